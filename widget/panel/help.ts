/**
 * The self-service controller: searches as the shopper types (debounced, the latest query wins),
 * opens an article, sends "Was this helpful?". Created explicitly; nothing runs at construction.
 */
import type { Chat } from './chat.ts'
import { createHelpStore, type HelpStore } from './help-store.ts'

export interface HelpOptions {
  kb: Chat['kb']
  /** Pause after the last keystroke before searching. */
  debounceMs?: number
}

export interface Help {
  readonly store: HelpStore
  /** The search field changed. */
  input(query: string): void
  /** Enter in the search field: search now. */
  submit(): void
  open(slug: string): void
  vote(slug: string, helpful: boolean): void
  backToResults(): void
  backToChat(): void
  stop(): void
}

export function createHelp(options: HelpOptions): Help {
  const store = createHelpStore()
  const debounceMs = options.debounceMs ?? 250
  let timer: ReturnType<typeof setTimeout> | undefined
  let searchRun = 0
  let articleRun = 0

  async function search(): Promise<void> {
    clearTimeout(timer)
    timer = undefined
    const query = store.getState().query.trim()
    if (query === '') return
    const run = ++searchRun
    store.searchStarted()
    const reply = await options.kb.kbSearch(query)
    // A slower answer to an older query must not replace a newer one.
    if (run !== searchRun) return
    if (reply.ok) store.searched({ query, results: reply.data.results })
    else store.searchFailed(reply.error.code)
  }

  return {
    store,
    input(query) {
      store.queryChanged(query)
      clearTimeout(timer)
      if (query.trim() === '') {
        searchRun++
        return
      }
      timer = setTimeout(() => void search(), debounceMs)
    },
    submit() {
      void search()
    },
    open(slug) {
      const run = ++articleRun
      store.articleRequested()
      void options.kb.kbArticle(slug).then((reply) => {
        if (run !== articleRun) return
        if (reply.ok) store.articleLoaded(reply.data.article)
        else store.articleFailed(reply.error.code)
      })
    },
    vote(slug, helpful) {
      if (store.getState().votes[slug] !== undefined) return
      store.voted({ slug, helpful })
      void options.kb.kbFeedback(slug, helpful).then((reply) => {
        // Not recorded (offline, timeout): let the shopper try again.
        if (!reply.ok) store.voted({ slug, helpful: null })
      })
    },
    backToResults: () => store.backToResults(),
    backToChat: () => store.backToChat(),
    stop() {
      clearTimeout(timer)
      searchRun++
      articleRun++
    },
  }
}
