/**
 * Self-service state (searching help articles, reading one, voting) and the pure functions that
 * change it. No I/O: the help controller (`help.ts`) feeds it replies, the views read it.
 */
import type { KbArticle, KbSearchResult } from '../../shared/protocol.ts'

/** `chat` shows the conversation; `results` and `article` replace it until the shopper goes back. */
export type HelpView = 'chat' | 'results' | 'article'

export interface HelpState {
  view: HelpView
  query: string
  /** The query the shown results answer (null before the first search). */
  resultsFor: string | null
  results: KbSearchResult[]
  searching: boolean
  /** Why the last search or article load failed (an error code), until the next one. */
  error: string | null
  article: KbArticle | null
  articleLoading: boolean
  /** The shopper's vote per article slug: true helpful, false not. */
  votes: Readonly<Record<string, boolean>>
}

export function initialHelpState(): HelpState {
  return {
    view: 'chat',
    query: '',
    resultsFor: null,
    results: [],
    searching: false,
    error: null,
    article: null,
    articleLoading: false,
    votes: {},
  }
}

export const helpReducers = {
  queryChanged(state: HelpState, query: string): HelpState {
    // Clearing the search field is a way back to the chat.
    if (query.trim() === '')
      return { ...state, query, view: 'chat', searching: false, resultsFor: null, results: [], error: null }
    return { ...state, query, view: 'results' }
  },
  searchStarted(state: HelpState): HelpState {
    return { ...state, searching: true, error: null, view: 'results' }
  },
  searched(state: HelpState, r: { query: string; results: KbSearchResult[] }): HelpState {
    return { ...state, searching: false, resultsFor: r.query, results: r.results, error: null }
  },
  searchFailed(state: HelpState, code: string): HelpState {
    return { ...state, searching: false, error: code }
  },
  articleRequested(state: HelpState): HelpState {
    return { ...state, view: 'article', article: null, articleLoading: true, error: null }
  },
  articleLoaded(state: HelpState, article: KbArticle): HelpState {
    return { ...state, article, articleLoading: false }
  },
  articleFailed(state: HelpState, code: string): HelpState {
    return { ...state, articleLoading: false, error: code }
  },
  voted(state: HelpState, v: { slug: string; helpful: boolean | null }): HelpState {
    const votes = { ...state.votes }
    if (v.helpful === null) delete votes[v.slug]
    else votes[v.slug] = v.helpful
    return { ...state, votes }
  },
  backToResults(state: HelpState): HelpState {
    return { ...state, view: state.query.trim() ? 'results' : 'chat', article: null, error: null }
  },
  backToChat(state: HelpState): HelpState {
    return { ...state, view: 'chat', article: null, error: null }
  },
}

type Reducers = typeof helpReducers
export type HelpActions = {
  [K in keyof Reducers]: Reducers[K] extends (state: HelpState, ...args: infer A) => HelpState
    ? (...args: A) => void
    : never
}

export interface HelpStore extends HelpActions {
  getState(): HelpState
  subscribe(listener: () => void): () => void
}

export function createHelpStore(initial: HelpState = initialHelpState()): HelpStore {
  let state = initial
  const listeners = new Set<() => void>()
  const actions = {} as Record<string, (...args: unknown[]) => void>
  for (const [name, reducer] of Object.entries(helpReducers)) {
    actions[name] = (...args: unknown[]) => {
      const next = (reducer as (s: HelpState, ...a: unknown[]) => HelpState)(state, ...args)
      if (next === state) return
      state = next
      for (const listener of listeners) listener()
    }
  }
  return {
    ...(actions as unknown as HelpActions),
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
