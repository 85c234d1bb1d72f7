import { describe, expect, it } from 'vitest'
import type { Article } from '../store/types.ts'
import { BotEngine } from './engine.ts'
import type { BotDecision, BotEvent, BotProvider, BotTurn, ProviderInput } from './types.ts'

function article(slug: string, title: string, body: string, verified = true): Article {
  return {
    siteId: 'shop',
    slug,
    title,
    tags: [],
    verified,
    body,
    url: null,
    updatedAt: '2025-01-01T00:00:00Z',
  }
}

const ARTICLES = [
  article('returns', 'Returning an item', 'You have 30 days from delivery to return an item.'),
  article('shipping', 'Shipping times', 'Standard delivery takes 3 to 5 business days.'),
  article('returns-draft', 'Returns (draft)', 'Returns will be accepted for 90 days.', false),
]

/** A provider whose reply the test decides; records what it was asked. */
function fakeProvider(
  reply: (input: ProviderInput, emit: (e: BotEvent) => void, signal: AbortSignal) => Promise<BotDecision>,
) {
  const calls: ProviderInput[] = []
  const provider: BotProvider = {
    name: 'local',
    respond(input, emit, signal) {
      calls.push(input)
      return reply(input, emit, signal)
    },
  }
  return { provider, calls }
}

const answer = (text: string, slugs: string[]): BotDecision => ({
  outcome: 'answer',
  text,
  sources: slugs.map((slug) => ({ slug, title: 'whatever the provider says', url: null })),
  confidence: 0.9,
  intent: 'returns',
  sentiment: 0,
})

function engineWith(provider: BotProvider, loadArticles = async () => ARTICLES, timeoutMs = 1000): BotEngine {
  return new BotEngine({
    provider,
    loadArticles,
    articleUrl: (a) => `https://shop.example/help/${a.slug}`,
    timeoutMs,
  })
}

function turn(text: string, history: BotTurn['history'] = []): BotTurn {
  return { siteId: 'shop', conversationId: 'c1', text, history, locale: 'en' }
}

const returnsAnswer = fakeProvider(async (_input, emit) => {
  emit({ type: 'delta', text: 'You have 30 days. ' })
  emit({ type: 'delta', text: 'Start under Account.' })
  return answer('You have 30 days. Start under Account.', ['returns'])
})

describe('BotEngine disclosure', () => {
  it('opens with a fixed text saying it is an automated assistant and how to reach a person', () => {
    const engine = engineWith(returnsAnswer.provider)
    const greeting = engine.greeting()
    expect(greeting).toMatch(/automated assistant/)
    expect(greeting).toMatch(/bot, not a person/)
    expect(greeting).toMatch(/help articles/)
    expect(greeting).toMatch(/talk to a person/)
    expect(engine.greeting('fr-CA')).toBe(greeting)
  })

  it('uses a bot name that is not a person’s name', () => {
    expect(engineWith(returnsAnswer.provider).botName).toBe('Parley Assistant')
  })

  it('answers "are you a bot?" truthfully without asking the provider', async () => {
    const { provider, calls } = fakeProvider(async () => answer('I am a human.', ['returns']))
    const decision = await engineWith(provider).respond(turn('are you a bot?'), () => {})
    expect(decision.outcome).toBe('clarify')
    expect(decision.text).toMatch(/automated assistant \(a bot\), not a person/)
    expect(calls).toHaveLength(0)
  })
})

describe('BotEngine escalation before the provider', () => {
  it.each([
    ['I want to talk to a real person', 'requested_human', 'normal'],
    ['talk to a person', 'requested_human', 'normal'],
    ['my card was declined three times', 'sensitive_topic', 'high'],
    ['I was charged twice for order 12345678', 'sensitive_topic', 'high'],
    ['I am filing a chargeback', 'sensitive_topic', 'urgent'],
    ['my lawyer will hear about this', 'sensitive_topic', 'urgent'],
    ['this is terrible, I am furious and disgusted with you', 'negative_sentiment', 'high'],
  ])('hands "%s" off as %s with priority %s', async (text, reason, priority) => {
    const { provider, calls } = fakeProvider(async () => answer('x', ['returns']))
    const decision = await engineWith(provider).respond(turn(text), () => {})
    expect(decision).toMatchObject({ outcome: 'handoff', reason, priority })
    expect(decision.text).toMatch(/connecting you with a person/)
    expect(calls).toHaveLength(0)
  })

  it('declines an off-topic banking question without an article', async () => {
    const { provider, calls } = fakeProvider(async () => answer('x', ['returns']))
    const decision = await engineWith(provider).respond(
      turn('Where is the closest ATM for my card?'),
      () => {},
    )
    expect(decision.outcome).toBe('decline')
    expect(calls).toHaveLength(0)
  })

  it('hands a question with nothing store-like and no article to a person at low priority, not declining it', async () => {
    const { provider, calls } = fakeProvider(async () => answer('x', ['returns']))
    const decision = await engineWith(provider).respond(turn('Do you have a loyalty program?'), () => {})
    expect(decision).toMatchObject({ outcome: 'handoff', reason: 'out_of_scope', priority: 'low' })
    expect(calls).toHaveLength(0)
  })
})

describe('BotEngine grounding checks', () => {
  it('passes a sourced answer with its sources rebuilt from the verified article', async () => {
    const deltas: string[] = []
    const decision = await engineWith(returnsAnswer.provider).respond(
      turn('how do I return an item'),
      (e) => {
        if (e.type === 'delta') deltas.push(e.text)
      },
    )
    expect(decision.outcome).toBe('answer')
    if (decision.outcome !== 'answer') return
    expect(decision.sources).toEqual([
      { slug: 'returns', title: 'Returning an item', url: 'https://shop.example/help/returns' },
    ])
    expect(deltas.join('')).toBe('You have 30 days. Start under Account.')
  })

  it.each([
    ['no sources', []],
    ['an unverified draft', ['returns-draft']],
    ['a slug that does not exist', ['made-up']],
    ['one good and one unknown slug', ['returns', 'made-up']],
  ])('turns an answer citing %s into a no_answer handoff', async (_label, slugs) => {
    const { provider } = fakeProvider(async () => answer('Returns are accepted for 90 days.', slugs))
    const decision = await engineWith(provider).respond(turn('how do I return an item'), () => {})
    expect(decision).toMatchObject({ outcome: 'handoff', reason: 'no_answer' })
  })

  it.each([
    'I am a human, not a machine.',
    "I'm not a bot, I promise.",
    'This is Sarah from support. You have 30 days.',
  ])('never sends a reply claiming to be human: "%s"', async (text) => {
    const deltas: string[] = []
    const { provider } = fakeProvider(async (_input, emit) => {
      emit({ type: 'delta', text })
      return answer(text, ['returns'])
    })
    const decision = await engineWith(provider).respond(turn('how do I return an item'), (e) => {
      if (e.type === 'delta') deltas.push(e.text)
    })
    expect(decision).toMatchObject({ outcome: 'handoff', reason: 'policy' })
    expect(decision.text).not.toContain(text)
    expect(deltas.join('')).not.toMatch(/human|not a bot|Sarah/)
  })

  it('hands off with an honest message when the provider throws', async () => {
    const { provider } = fakeProvider(async () => {
      throw new Error('529 overloaded')
    })
    const decision = await engineWith(provider).respond(turn('how do I return an item'), () => {})
    expect(decision).toMatchObject({ outcome: 'handoff', reason: 'provider_error', priority: 'normal' })
    expect(decision.text).toMatch(/technical problem/)
  })

  it('hands off when the provider hangs past the timeout, and aborts it', async () => {
    let seen: AbortSignal | undefined
    const { provider } = fakeProvider((_input, _emit, signal) => {
      seen = signal
      return new Promise<BotDecision>(() => {})
    })
    const started = Date.now()
    const decision = await engineWith(provider, async () => ARTICLES, 50).respond(
      turn('how do I return an item'),
      () => {},
    )
    expect(decision).toMatchObject({ outcome: 'handoff', reason: 'provider_error' })
    expect(Date.now() - started).toBeLessThan(1000)
    expect(seen?.aborted).toBe(true)
  })

  it('hands off when the caller aborts the turn', async () => {
    const controller = new AbortController()
    const { provider } = fakeProvider(
      (_input, _emit, signal) =>
        new Promise<BotDecision>((_, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason)),
        ),
    )
    const pending = engineWith(provider).respond(turn('how do I return an item'), () => {}, controller.signal)
    controller.abort()
    await expect(pending).resolves.toMatchObject({ outcome: 'handoff', reason: 'provider_error' })
  })
})

describe('BotEngine handoffs and caching', () => {
  it('summarises a handoff with the order number and email from the conversation', async () => {
    const { provider } = fakeProvider(async (input) => ({
      outcome: 'handoff',
      reason: 'low_confidence',
      text: 'provider text is replaced',
      summary: '',
      priority: 'urgent',
      intent: input.intent,
      sentiment: input.sentiment,
    }))
    const history = [
      {
        id: 'm1',
        conversationId: 'c1',
        seq: 1,
        clientId: null,
        author: 'contact' as const,
        authorId: null,
        authorName: null,
        text: 'my email is ana@example.com',
        sources: [],
        createdAt: '2025-01-01T00:00:00Z',
      },
    ]
    const decision = await engineWith(provider).respond(
      turn('where is order 00123842 going', history),
      () => {},
    )
    expect(decision.outcome).toBe('handoff')
    if (decision.outcome !== 'handoff') return
    expect(decision.priority).toBe('normal')
    expect(decision.text).toMatch(/connecting you with a person/)
    expect(decision.summary).toContain('Order: 00123842')
    expect(decision.summary).toContain('Email: ana@example.com')
    expect(decision.summary).toContain('where is order 00123842 going')
  })

  it('gives an out-of-scope handoff low priority', async () => {
    const { provider } = fakeProvider(async (input) => ({
      outcome: 'handoff',
      reason: 'out_of_scope',
      text: '',
      summary: '',
      priority: 'normal',
      intent: input.intent,
      sentiment: input.sentiment,
    }))
    const decision = await engineWith(provider).respond(turn('how do I return an item'), () => {})
    expect(decision).toMatchObject({ outcome: 'handoff', reason: 'out_of_scope', priority: 'low' })
  })

  it('loads a site’s articles once and again after invalidate', async () => {
    let loads = 0
    const engine = engineWith(returnsAnswer.provider, async () => {
      loads++
      return ARTICLES
    })
    await engine.respond(turn('how do I return an item'), () => {})
    await engine.respond(turn('how long is shipping'), () => {})
    expect(loads).toBe(1)
    engine.invalidate('shop')
    await engine.respond(turn('how do I return an item'), () => {})
    expect(loads).toBe(2)
  })

  it('hands off when the articles cannot be loaded, and retries on the next turn', async () => {
    let loads = 0
    const engine = engineWith(returnsAnswer.provider, async () => {
      loads++
      if (loads === 1) throw new Error('store down')
      return ARTICLES
    })
    expect(await engine.respond(turn('how do I return an item'), () => {})).toMatchObject({
      reason: 'provider_error',
    })
    expect((await engine.respond(turn('how do I return an item'), () => {})).outcome).toBe('answer')
  })

  it('gives the provider a retriever that never surfaces drafts', async () => {
    const { provider, calls } = fakeProvider(async () => answer('x', ['returns']))
    await engineWith(provider).respond(turn('returns accepted for 90 days'), () => {})
    const slugs = calls[0]?.retriever.search('returns accepted for 90 days', 10).map((h) => h.article.slug)
    expect(slugs).toContain('returns')
    expect(slugs).not.toContain('returns-draft')
  })
})
