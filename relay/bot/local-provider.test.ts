import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadArticlesFromDir } from '../kb/parse.ts'
import type { Article } from '../store/types.ts'
import { createLocalProvider } from './local-provider.ts'
import { createRetriever } from './retrieval.ts'
import type { BotEvent, ProviderInput, Retriever } from './types.ts'

const KB = path.resolve(import.meta.dirname, '../../../shared/data/kb')
let articles: Article[]
let retriever: Retriever

beforeAll(async () => {
  articles = await loadArticlesFromDir(KB, 'harbor')
  retriever = createRetriever(articles)
})

function input(text: string, over: Partial<ProviderInput> = {}): ProviderInput {
  return {
    siteId: 'harbor',
    conversationId: 'c1',
    text,
    history: [],
    locale: 'en',
    intent: 'unknown',
    sentiment: 0,
    retriever,
    articleUrl: (a) => `/help/${a.slug}`,
    tools: {
      searchKnowledge: (query, limit) => retriever.search(query, limit),
      lookupOrder: async () => ({ ok: false, code: 'unavailable', error: 'no orders in this test' }),
      requestAction: async () => ({ ok: false, code: 'unavailable', error: 'no actions in this test' }),
    },
    ...over,
  }
}

async function run(text: string, over: Partial<ProviderInput> = {}) {
  const deltas: string[] = []
  const emit = (e: BotEvent): void => {
    if (e.type === 'delta') deltas.push(e.text)
  }
  const decision = await createLocalProvider().respond(input(text, over), emit, new AbortController().signal)
  return { decision, deltas }
}

function bodySentences(slug: string): string {
  return (articles.find((a) => a.slug === slug)?.body ?? '').replace(/\s+/g, ' ')
}

describe('createLocalProvider', () => {
  it('is named local', () => {
    expect(createLocalProvider().name).toBe('local')
  })

  it('answers a clear question with sentences of the best article and cites it', async () => {
    const { decision, deltas } = await run('is there a fee to cancel my order?')
    expect(decision.outcome).toBe('answer')
    if (decision.outcome !== 'answer') return
    expect(decision.sources).toEqual([
      { slug: 'cancel-order', title: 'Cancelling an order and cancellation fees', url: '/help/cancel-order' },
    ])
    expect(decision.text).toContain('There is no cancellation fee.')
    for (const sentence of decision.text.split(/(?<=\.) /))
      expect(bodySentences('cancel-order')).toContain(sentence)
    expect(decision.confidence).toBeGreaterThan(0.45)
    expect(deltas.length).toBeGreaterThan(1)
    expect(deltas.join('')).toBe(decision.text)
  })

  it('keeps the excerpt short and picks the sentences about the question', async () => {
    const { decision } = await run('do your jeans run small?')
    expect(decision.outcome).toBe('answer')
    if (decision.outcome !== 'answer') return
    expect(decision.sources[0]?.slug).toBe('sizing')
    expect(decision.text).toContain('jeans run small')
    expect(decision.text.length).toBeLessThanOrEqual(420)
  })

  it('quotes plain text, not markdown', async () => {
    const md = createRetriever([
      {
        siteId: 's',
        slug: 'gift-wrap',
        title: 'Gift wrapping',
        tags: ['gift', 'wrap'],
        verified: true,
        body: 'We offer **free gift wrapping** on [every order](https://x.example).\n\n- Choose it at checkout.',
        url: null,
        updatedAt: '2025-01-01T00:00:00Z',
      },
    ])
    const { decision } = await run('do you offer gift wrapping', { retriever: md })
    expect(decision.outcome).toBe('answer')
    expect(decision.text).toBe('We offer free gift wrapping on every order.\n- Choose it at checkout.')
  })

  it('hands off when nothing matches and when the match is weak', async () => {
    expect((await run('quantum chromodynamics')).decision).toMatchObject({
      outcome: 'handoff',
      reason: 'no_answer',
    })
    expect((await run('reset the combination of my bicycle lock')).decision).toMatchObject({
      outcome: 'handoff',
      reason: 'low_confidence',
    })
  })

  it('asks which article is meant when two cover the question equally, citing none', async () => {
    const { decision, deltas } = await run('registration')
    expect(decision.outcome).toBe('clarify')
    expect(decision.text).toContain('Creating an account')
    expect(decision.text).toContain('Problems signing up')
    expect('sources' in decision).toBe(false)
    expect(deltas.join('')).toBe(decision.text)
  })

  it('gives the same decision for the same question', async () => {
    const first = await run('how long does delivery take?')
    const second = await run('how long does delivery take?')
    expect(second.decision).toEqual(first.decision)
  })

  it('honours an aborted signal', async () => {
    const controller = new AbortController()
    controller.abort(new Error('stop'))
    await expect(
      createLocalProvider().respond(input('how do I return an item'), () => {}, controller.signal),
    ).rejects.toThrow('stop')
  })
})
