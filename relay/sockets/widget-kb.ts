/**
 * Self-service from the widget: search the site's verified articles (the bot's retriever, so a
 * shopper finds what the bot would answer from), read one, and say whether it helped. Drafts are
 * invisible here exactly as they are to the bot.
 */
import {
  KbArticleRefSchema,
  KbFeedbackSchema,
  type KbSearchResult,
  KbSearchSchema,
} from '../../shared/protocol.ts'
import { buildExcerpt } from '../bot/excerpt.ts'
import { type ConceptRetriever, createRetriever } from '../bot/retrieval.ts'
import type { Logger } from '../conversations/service.ts'
import { AppError } from '../errors.ts'
import { bodyExcerpt, changeArticle } from '../kb/articles.ts'
import type { Article, Store } from '../store/types.ts'
import { handle } from './handler.ts'
import type { Limiter, LimitOptions } from './limits.ts'

export interface WidgetKbDeps {
  store: Store
  log: Logger
  /** Searches per shopper (`KB_SEARCH_LIMIT`) and votes per shopper and article (`KB_VOTE_LIMIT`). */
  searches: Limiter
  votes: Limiter
}

/** What the handlers need of a widget socket (its site and shopper come from the handshake). */
export interface WidgetKbSocket {
  data: { siteId: string; contactId: string }
  on(
    event: 'kb:search' | 'kb:article' | 'kb:feedback',
    listener: (payload: unknown, ack: unknown) => void,
  ): unknown
}

const RESULTS = 5
const EXCERPT_MAX = 220
/** Searches run as the shopper types (debounced): 30 in 10 s is plenty. */
export const KB_SEARCH_LIMIT: LimitOptions = { points: 30, duration: 10 }
/** One vote per shopper, article and day. */
export const KB_VOTE_LIMIT: LimitOptions = { points: 1, duration: 24 * 60 * 60 }

interface SiteIndex {
  signature: string
  verified: Map<string, Article>
  retriever: ConceptRetriever
}

interface RelayState {
  indexes: Map<string, SiteIndex>
}

// Per relay (per store), not per socket: indexes are shared by every connection.
const states = new WeakMap<Store, RelayState>()

function stateFor(store: Store): RelayState {
  let state = states.get(store)
  if (!state) {
    state = { indexes: new Map() }
    states.set(store, state)
  }
  return state
}

/** The site's verified articles indexed; rebuilt when any of them changed (edit, verify, learnt example). */
async function siteIndex(store: Store, state: RelayState, siteId: string): Promise<SiteIndex> {
  const verified = (await store.listArticles(siteId)).filter((a) => a.verified)
  const signature = verified.map((a) => `${a.slug}@${a.updatedAt}#${a.examples?.length ?? 0}`).join('|')
  const cached = state.indexes.get(siteId)
  if (cached?.signature === signature) return cached
  const index = {
    signature,
    verified: new Map(verified.map((a) => [a.slug, a])),
    retriever: createRetriever(verified),
  }
  state.indexes.set(siteId, index)
  return index
}

function publicUrl(article: Article): string {
  return article.url ?? `/help/${encodeURIComponent(article.siteId)}/${article.slug}`
}

function clip(text: string): string {
  const flat = text.replace(/^- /gm, '').replace(/\s+/g, ' ').trim()
  return flat.length <= EXCERPT_MAX ? flat : `${flat.slice(0, EXCERPT_MAX - 1).replace(/\s+\S*$/, '')}…`
}

/** Wires `kb:search`, `kb:article` and `kb:feedback` on one widget socket. */
export function registerWidgetKbHandlers(socket: WidgetKbSocket, deps: WidgetKbDeps): void {
  const { siteId, contactId } = socket.data
  const state = stateFor(deps.store)

  socket.on(
    'kb:search',
    handle('kb:search', KbSearchSchema, deps.log, async ({ query }) => {
      if (!(await deps.searches.consume(`${siteId}:${contactId}`)))
        throw new AppError('rate_limited', 'too many searches, wait a few seconds')
      const index = await siteIndex(deps.store, state, siteId)
      const concepts = index.retriever.analyze(query)
      const results: KbSearchResult[] = index.retriever.search(query, RESULTS).map(({ article }) => ({
        slug: article.slug,
        title: article.title,
        excerpt: clip(buildExcerpt(article.body, concepts) || bodyExcerpt(article.body, EXCERPT_MAX)),
        url: publicUrl(article),
      }))
      return { results }
    }),
  )

  socket.on(
    'kb:article',
    handle('kb:article', KbArticleRefSchema, deps.log, async ({ slug }) => {
      const article = (await siteIndex(deps.store, state, siteId)).verified.get(slug)
      if (!article) throw new AppError('not_found', 'no such article')
      return { article: { slug, title: article.title, body: article.body, url: publicUrl(article) } }
    }),
  )

  socket.on(
    'kb:feedback',
    handle('kb:feedback', KbFeedbackSchema, deps.log, async ({ slug, helpful }) => {
      const article = (await siteIndex(deps.store, state, siteId)).verified.get(slug)
      if (!article) throw new AppError('not_found', 'no such article')
      if (!(await deps.votes.consume(`${siteId}:${contactId}:${slug}`))) return { counted: false }
      // Votes are not content: updatedAt stays, so neither the bot nor the index rebuilds.
      const changed = await changeArticle(deps.store, siteId, slug, (a) =>
        a.verified
          ? helpful
            ? { ...a, helpful: (a.helpful ?? 0) + 1 }
            : { ...a, notHelpful: (a.notHelpful ?? 0) + 1 }
          : null,
      )
      if (!changed?.after.verified) throw new AppError('not_found', 'no such article')
      return { counted: true }
    }),
  )
}
