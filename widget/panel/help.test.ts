import { describe, expect, it, vi } from 'vitest'
import type { KbSearchResult } from '../../shared/protocol.ts'
import type { Chat } from './chat.ts'
import { createHelp } from './help.ts'
import type { Reply } from './transport.ts'

function result(slug: string): KbSearchResult {
  return { slug, title: slug, excerpt: '', url: `/help/demo/${slug}` }
}

function fakeKb(overrides: Partial<Chat['kb']> = {}) {
  const searches: string[] = []
  const kb: Chat['kb'] = {
    kbSearch: async (query) => {
      searches.push(query)
      return { ok: true, data: { results: [result(query.replace(/\s+/g, '-'))] } }
    },
    kbArticle: async (slug) => ({ ok: true, data: { article: { slug, title: 'T', body: 'B', url: '/x' } } }),
    kbFeedback: async () => ({ ok: true, data: { counted: true } }),
    ...overrides,
  }
  return { kb, searches }
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('createHelp', () => {
  it('searches once the shopper stops typing, and clearing the field goes back to the chat', async () => {
    vi.useFakeTimers()
    try {
      const { kb, searches } = fakeKb()
      const help = createHelp({ kb, debounceMs: 200 })
      help.input('ret')
      help.input('return')
      expect(help.store.getState().view).toBe('results')
      await vi.advanceTimersByTimeAsync(250)
      expect(searches).toEqual(['return'])
      expect(help.store.getState()).toMatchObject({ resultsFor: 'return', results: [result('return')] })
      help.input('')
      expect(help.store.getState()).toMatchObject({ view: 'chat', results: [] })
      await vi.advanceTimersByTimeAsync(250)
      expect(searches).toEqual(['return'])
    } finally {
      vi.useRealTimers()
    }
  })

  it('keeps the newest query results when an older search answers last', async () => {
    const pending: ((r: Reply<{ results: KbSearchResult[] }>) => void)[] = []
    const { kb } = fakeKb({ kbSearch: () => new Promise((resolve) => pending.push(resolve)) })
    const help = createHelp({ kb })
    help.input('ship')
    help.submit()
    help.input('shipping times')
    help.submit()
    pending[1]?.({ ok: true, data: { results: [result('shipping-times')] } })
    pending[0]?.({ ok: true, data: { results: [result('ship')] } })
    await flush()
    expect(help.store.getState()).toMatchObject({
      resultsFor: 'shipping times',
      results: [result('shipping-times')],
    })
  })

  it('opens an article and takes one vote, which it forgets again if the relay did not get it', async () => {
    let fail = true
    const votes: boolean[] = []
    const { kb } = fakeKb({
      kbFeedback: async (_slug, helpful) => {
        votes.push(helpful)
        return fail
          ? { ok: false, error: { code: 'offline', message: 'x' } }
          : { ok: true, data: { counted: true } }
      },
    })
    const help = createHelp({ kb })
    help.open('returns')
    expect(help.store.getState()).toMatchObject({ view: 'article', articleLoading: true })
    await flush()
    expect(help.store.getState().article?.slug).toBe('returns')
    help.vote('returns', true)
    expect(help.store.getState().votes).toEqual({ returns: true })
    await flush()
    expect(help.store.getState().votes).toEqual({})
    fail = false
    help.vote('returns', false)
    help.vote('returns', true)
    await flush()
    expect(votes).toEqual([true, false])
    expect(help.store.getState().votes).toEqual({ returns: false })
    help.backToChat()
    expect(help.store.getState()).toMatchObject({ view: 'chat', article: null })
  })
})
