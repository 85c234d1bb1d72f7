import path from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Message, Source } from '../../shared/protocol.ts'
import {
  apiKeyOf,
  errorReply,
  type FakeAnthropic,
  type RecordedRequest,
  type Scripted,
  startFakeAnthropic,
  textReply,
  toolReply,
} from '../../tests/support/fake-anthropic.ts'
import { startRelay } from '../../tests/support/relay.ts'
import { loadArticlesFromDir } from '../kb/parse.ts'
import type { Article } from '../store/types.ts'
import { type AnthropicProviderOptions, createAnthropicProvider } from './anthropic-provider.ts'
import { BotEngine } from './engine.ts'
import type {
  ActionInput,
  BotDecision,
  BotEvent,
  BotTools,
  BotTurn,
  OrderLookupInput,
  ToolResult,
  ToolsFactory,
} from './types.ts'

const KB = path.resolve(import.meta.dirname, '../../../shared/data/kb')
const SITE = 'shop'
const TIMEOUT_MS = 800

let fake: FakeAnthropic
let articles: Article[]

beforeAll(async () => {
  fake = await startFakeAnthropic()
  articles = await loadArticlesFromDir(KB, SITE)
})
afterAll(async () => {
  await fake.close()
})
beforeEach(async () => {
  // Each test scripts its own replies; leftovers from a failed test must not leak into the next.
  await fetch(`${fake.url}/__reset`, { method: 'POST' })
})

const articleUrl = (a: Article) => `https://shop.example/help/${a.slug}`

function setup(options: Partial<AnthropicProviderOptions> = {}, tools?: ToolsFactory) {
  const provider = createAnthropicProvider({
    apiKey: 'test-key',
    baseURL: fake.url,
    model: 'claude-haiku-4-5',
    timeoutMs: TIMEOUT_MS,
    maxRetries: 1,
    ...options,
  })
  const engine = new BotEngine({
    provider,
    loadArticles: async () => articles,
    articleUrl,
    timeoutMs: 10_000,
    ...(tools ? { tools } : {}),
  })
  return { provider, engine }
}

function turn(text: string, history: Message[] = []): BotTurn {
  return { siteId: SITE, conversationId: 'c1', text, history, locale: 'en' }
}

/** Runs one turn and keeps every event with the time it arrived. */
async function run(engine: BotEngine, t: BotTurn, signal?: AbortSignal) {
  const events: Array<BotEvent & { at: number }> = []
  const started = Date.now()
  const decision = await engine.respond(t, (e) => events.push({ ...e, at: Date.now() - started }), signal)
  const deltas = events.filter((e) => e.type === 'delta').map((e) => e.text)
  return { decision, events, deltas, elapsed: Date.now() - started }
}

const search = (query: string) => toolReply([{ name: 'search_knowledge', input: { query } }])

function toolResultsOf(request: RecordedRequest | undefined): Array<Record<string, unknown>> {
  const last = request?.body.messages.at(-1)
  if (!last || typeof last.content === 'string') return []
  return last.content.filter((b) => b.type === 'tool_result')
}

function expectHandoff(decision: BotDecision, reason: string) {
  expect(decision.outcome).toBe('handoff')
  if (decision.outcome === 'handoff') expect(decision.reason).toBe(reason)
}

const ORDER_SOURCE: Source = { slug: 'order:TW-1001', title: 'Order TW-1001', url: null }

/** Relay tools that record what they were asked; orders answer from a fixed table. */
function recordingTools() {
  const lookups: OrderLookupInput[] = []
  const actions: ActionInput[] = []
  const turns: BotTurn[] = []
  const factory: ToolsFactory = (t, searchKnowledge): BotTools => {
    turns.push(t)
    return {
      searchKnowledge,
      async lookupOrder(input): Promise<ToolResult> {
        lookups.push(input)
        if (input.orderNumber !== 'TW-1001') return { ok: false, code: 'not_found', error: 'no such order' }
        if (input.email !== 'ana@example.com')
          return { ok: false, code: 'not_verified', error: 'the email does not match the order' }
        return {
          ok: true,
          data: { orderNumber: 'TW-1001', status: 'shipped', shippedAt: '2026-03-02', carrier: 'DHL' },
          sources: [ORDER_SOURCE],
        }
      },
      async requestAction(input) {
        actions.push(input)
        return {
          ok: true,
          data: { status: 'pending', message: 'A person from the team will approve or reject it.' },
          sources: [ORDER_SOURCE],
        }
      },
    }
  }
  return { factory, lookups, actions, turns }
}

describe('anthropic provider: streamed, sourced answers', () => {
  it('streams the answer as several growing deltas and cites the verified article it searched', async () => {
    const { engine } = setup()
    fake.enqueue(
      search('return window'),
      textReply(
        [
          'You have 30 days from delivery to return unworn items. ',
          'Start under Account → Orders → Return items. ',
          'Returns are free within the country.',
          '\n<sources>returns</sources>',
        ],
        { chunkDelayMs: 60 },
      ),
    )
    const { decision, deltas, events } = await run(engine, turn('How long do I have to return an item?'))

    expect(decision.outcome).toBe('answer')
    if (decision.outcome !== 'answer') return
    expect(decision.sources).toEqual([
      { slug: 'returns', title: 'Returning an item', url: 'https://shop.example/help/returns' },
    ])
    expect(decision.text).toBe(
      'You have 30 days from delivery to return unworn items. Start under Account → Orders → Return items. Returns are free within the country.',
    )
    expect(deltas.length).toBeGreaterThanOrEqual(3)
    expect(deltas.join('')).toBe(decision.text)
    // The text grew while the model was still writing: the first sentence came well before the last.
    const times = events.filter((e) => e.type === 'delta').map((e) => e.at)
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(60)
  })

  it('never lets the sources marker into a streamed delta, however the chunks split it', async () => {
    const { engine } = setup()
    fake.enqueue(
      search('return window'),
      textReply([
        'You have 30 days to return an item.',
        ' ',
        '\n',
        '<',
        's',
        'our',
        'ces',
        '>',
        'ret',
        'urns',
        '</sour',
        'ces>',
      ]),
    )
    const { decision, deltas } = await run(engine, turn('How long do I have to return an item?'))

    expect(decision.outcome).toBe('answer')
    expect(deltas.join('')).toBe('You have 30 days to return an item.')
    for (const delta of deltas) expect(delta).not.toMatch(/<|sources|returns/)
    expect(decision.outcome === 'answer' && decision.text).toBe('You have 30 days to return an item.')
  })

  it('sends a cached prefix (system prompt and tools) before the history, and the next call reads it from the cache', async () => {
    const { engine, provider } = setup()
    fake.enqueue(
      search('return window'),
      textReply('You have 30 days. <sources>returns</sources>'),
      search('gift card payment'),
      textReply('Yes, gift cards can be used at checkout. <sources>payment-methods</sources>'),
    )
    await run(engine, turn('How long do I have to return an item?'))
    await run(engine, turn('Can I pay with a gift card?'))

    const [first, , third] = fake.requests
    const system = first?.body.system
    expect(Array.isArray(system)).toBe(true)
    if (!Array.isArray(system)) return
    expect(system.at(-1)?.cache_control).toEqual({ type: 'ephemeral' })
    expect(system[0]?.text).toMatch(/automated assistant/)
    expect(system[0]?.text).toMatch(/Never claim or imply that you are a person/)
    expect(system[0]?.text).toMatch(/only sources of facts/)
    expect(system[0]?.text).toMatch(/handoff_to_human/)
    const tools = first?.body.tools ?? []
    expect(tools.map((t) => t.name)).toEqual([
      'search_knowledge',
      'lookup_order',
      'request_action',
      'handoff_to_human',
    ])
    expect(tools.at(-1)?.cache_control).toEqual({ type: 'ephemeral' })
    expect(tools.slice(0, -1).every((t) => t.cache_control === undefined)).toBe(true)
    // The prefix is byte-identical across turns; only the messages after it change.
    expect(third?.body.system).toEqual(first?.body.system)
    expect(third?.body.tools).toEqual(first?.body.tools)
    expect(first?.body.messages).toEqual([{ role: 'user', content: 'How long do I have to return an item?' }])
    expect(first?.body.stream).toBe(true)
    expect(apiKeyOf(first!)).toBe('test-key')

    const stats = provider.stats()
    expect(stats.calls).toBe(4)
    expect(stats.cacheCreationInputTokens).toBeGreaterThan(0)
    expect(stats.cacheReadInputTokens).toBeGreaterThan(0)
    expect(stats.inputTokens).toBeGreaterThan(0)
    expect(stats.outputTokens).toBeGreaterThan(0)
  })

  it('gives the model only verified passages as the search_knowledge result, never a draft', async () => {
    const { engine } = setup()
    fake.enqueue(search('returns'), textReply('You have 30 days. <sources>returns</sources>'))
    const { decision, events } = await run(engine, turn('How long do I have to return an item?'))

    expect(decision.outcome).toBe('answer')
    const [result] = toolResultsOf(fake.requests[1])
    const assistant = fake.requests[1]?.body.messages.at(-2)
    const toolUse = Array.isArray(assistant?.content)
      ? assistant.content.find((b) => b.type === 'tool_use')
      : undefined
    expect(assistant?.role).toBe('assistant')
    expect(toolUse?.name).toBe('search_knowledge')
    expect(result?.tool_use_id).toBe(toolUse?.id)
    const content = JSON.parse(String(result?.content)) as { passages: Array<{ slug: string; text: string }> }
    const slugs = content.passages.map((p) => p.slug)
    expect(slugs).toContain('returns')
    const verified = new Set(articles.filter((a) => a.verified).map((a) => a.slug))
    for (const slug of slugs) expect(verified.has(slug)).toBe(true)
    expect(String(result?.content)).not.toMatch(/DRAFT|90 days|returns-draft/)
    expect(content.passages.find((p) => p.slug === 'returns')?.text).toMatch(/30 days from delivery/)
    expect(events.filter((e) => e.type !== 'delta').map((e) => [e.type, 'name' in e ? e.name : ''])).toEqual([
      ['tool_call', 'search_knowledge'],
      ['tool_result', 'search_knowledge'],
    ])
  })

  it('keeps text written before a tool call in the answer, streamed exactly as sent', async () => {
    const { engine } = setup()
    fake.enqueue(
      toolReply([{ name: 'search_knowledge', input: { query: 'return window' } }], { text: 'Let me check.' }),
      textReply(['You have 30 days. ', '<sources>returns</sources>']),
    )
    const { decision, deltas } = await run(engine, turn('How long do I have to return an item?'))
    expect(decision.outcome === 'answer' && decision.text).toBe('Let me check.\n\nYou have 30 days.')
    expect(deltas.join('')).toBe('Let me check.\n\nYou have 30 days.')
    const assistant = fake.requests[1]?.body.messages.at(-2)
    expect(assistant?.content).toEqual([
      { type: 'text', text: 'Let me check.' },
      {
        type: 'tool_use',
        id: expect.any(String),
        name: 'search_knowledge',
        input: { query: 'return window' },
      },
    ])
  })

  it('gives prior turns as history: shopper as user, bot as assistant, a person as a note, system skipped', async () => {
    const { engine } = setup()
    const msg = (seq: number, author: Message['author'], text: string, sources: Source[] = []): Message =>
      ({
        id: `m${seq}`,
        conversationId: 'c1',
        seq,
        clientId: null,
        author,
        authorId: null,
        authorName: null,
        text,
        sources,
        createdAt: '2026-01-01T00:00:00Z',
      }) as Message
    const history = [
      msg(1, 'bot', 'Hi! I am an automated assistant.'),
      msg(2, 'contact', 'Do you ship abroad?'),
      msg(3, 'bot', 'Yes, we ship to 30 countries.', [
        { slug: 'shipping-options', title: 'Shipping', url: null },
      ]),
      msg(4, 'system', 'Conversation handed to Maria'),
      msg(5, 'agent', 'Anything else?'),
    ]
    fake.enqueue(search('return window'), textReply('You have 30 days. <sources>returns</sources>'))
    await run(engine, turn('How long do I have to return an item?', history))

    expect(fake.requests[0]?.body.messages).toEqual([
      { role: 'user', content: 'Do you ship abroad?' },
      { role: 'assistant', content: 'Yes, we ship to 30 countries.\n<sources>shipping-options</sources>' },
      {
        role: 'user',
        content:
          '[A person from the store team replied earlier: "Anything else?"]\n\nHow long do I have to return an item?',
      },
    ])
  })

  it('asks for a missing detail without sources when the model marks it as a question', async () => {
    const { engine } = setup()
    fake.enqueue(textReply('Could you tell me your order number? <sources>ask</sources>'))
    const { decision } = await run(engine, turn('Where is my order?'))
    expect(decision).toMatchObject({ outcome: 'clarify', text: 'Could you tell me your order number?' })
  })
})

describe('anthropic provider: grounding', () => {
  it('hands off when the answer cites a slug that no tool returned', async () => {
    const { engine } = setup()
    fake.enqueue(
      search('return window'),
      textReply('Returns are free for 90 days. <sources>free-returns-forever</sources>'),
    )
    const { decision } = await run(engine, turn('How long do I have to return an item?'))
    expectHandoff(decision, 'no_answer')
    expect(decision.outcome === 'handoff' && decision.summary).toMatch(/free-returns-forever/)
  })

  it('hands off when the answer cites a verified article it never searched for in this turn', async () => {
    const { engine } = setup()
    fake.enqueue(textReply('You have 30 days. <sources>returns</sources>'))
    const { decision } = await run(engine, turn('How long do I have to return an item?'))
    expectHandoff(decision, 'no_answer')
  })

  it('hands off when the answer has no sources marker', async () => {
    const { engine } = setup()
    fake.enqueue(search('return window'), textReply('You have 30 days to return an item.'))
    const { decision } = await run(engine, turn('How long do I have to return an item?'))
    expectHandoff(decision, 'no_answer')
  })

  it('never returns a reply that claims to be a person, and never streams the claim', async () => {
    const { engine } = setup()
    fake.enqueue(
      search('return window'),
      textReply([
        "Hi, I'm Sarah from the support team. ",
        'You have 30 days. ',
        '<sources>returns</sources>',
      ]),
    )
    const { decision, deltas } = await run(engine, turn('How long do I have to return an item?'))
    expectHandoff(decision, 'policy')
    expect(deltas.join('')).not.toMatch(/Sarah/)
  })

  it('hands off with the model’s summary when it calls handoff_to_human', async () => {
    const { engine } = setup()
    fake.enqueue(
      toolReply([
        {
          name: 'handoff_to_human',
          input: {
            reason: 'no_answer',
            summary: 'Shopper asks whether we price match; no article covers it.',
          },
        },
      ]),
    )
    const { decision } = await run(engine, turn('Do you price match other stores?'))
    expectHandoff(decision, 'no_answer')
    expect(decision.outcome === 'handoff' && decision.summary).toMatch(
      /Assistant's note: Shopper asks whether we price match; no article covers it\./,
    )
    expect(decision.outcome === 'handoff' && decision.text).toMatch(/connecting you with a person/)
    expect(fake.requests).toHaveLength(1)
  })
})

describe('anthropic provider: order tools', () => {
  it('passes lookup_order to the relay’s tools and answers from the order it returned', async () => {
    const tools = recordingTools()
    const { engine } = setup({}, tools.factory)
    fake.enqueue(
      toolReply([{ name: 'lookup_order', input: { order_number: 'TW-1001', email: 'ana@example.com' } }]),
      textReply('Your order TW-1001 shipped on 2 March with DHL. <sources>order:TW-1001</sources>'),
    )
    const { decision } = await run(engine, turn('Where is my order TW-1001? My email is ana@example.com'))

    expect(tools.lookups).toEqual([{ orderNumber: 'TW-1001', email: 'ana@example.com' }])
    expect(tools.turns[0]?.conversationId).toBe('c1')
    expect(decision).toMatchObject({ outcome: 'tool', tool: 'order_lookup', sources: [ORDER_SOURCE] })
    const [result] = toolResultsOf(fake.requests[1])
    expect(JSON.parse(String(result?.content))).toMatchObject({
      ok: true,
      data: { status: 'shipped' },
      sources: [{ slug: 'order:TW-1001' }],
    })
  })

  it('passes request_action to the relay’s tools and reports what the policy decided', async () => {
    const tools = recordingTools()
    const { engine } = setup({}, tools.factory)
    fake.enqueue(
      toolReply([
        {
          name: 'request_action',
          input: {
            type: 'refund',
            order_number: 'TW-1001',
            email: 'ana@example.com',
            amount: 20,
            reason: 'arrived damaged',
          },
        },
      ]),
      textReply(
        'I asked for a refund of $20; a person from the team will approve it. <sources>order:TW-1001</sources>',
      ),
    )
    const { decision } = await run(
      engine,
      turn('Can I get a refund of $20 for order TW-1001? It arrived damaged. ana@example.com'),
    )
    expect(tools.actions).toEqual([
      {
        type: 'refund',
        orderNumber: 'TW-1001',
        email: 'ana@example.com',
        amount: 20,
        reason: 'arrived damaged',
      },
    ])
    expect(decision).toMatchObject({ outcome: 'tool', tool: 'refund', sources: [ORDER_SOURCE] })
  })

  it('hands off when the model cites an order the tools never returned', async () => {
    const tools = recordingTools()
    const { engine } = setup({}, tools.factory)
    fake.enqueue(
      toolReply([{ name: 'lookup_order', input: { order_number: 'TW-1001', email: 'ana@example.com' } }]),
      textReply('Your order TW-2002 shipped. <sources>order:TW-2002</sources>'),
    )
    const { decision } = await run(engine, turn('Where is my order TW-1001? My email is ana@example.com'))
    expectHandoff(decision, 'no_answer')
  })

  it('returns a tool error to the model, and hands off when it repeats the failing call', async () => {
    const tools = recordingTools()
    const { engine } = setup({}, tools.factory)
    const lookup = toolReply([
      { name: 'lookup_order', input: { order_number: 'TW-1001', email: 'bob@example.com' } },
    ])
    fake.enqueue(lookup, lookup)
    const { decision } = await run(engine, turn('Where is my order TW-1001? My email is bob@example.com'))

    const [result] = toolResultsOf(fake.requests[1])
    expect(result?.is_error).toBe(true)
    expect(JSON.parse(String(result?.content))).toEqual({
      ok: false,
      code: 'not_verified',
      error: 'the email does not match the order',
    })
    expectHandoff(decision, 'no_answer')
    expect(fake.requests).toHaveLength(2)
    expect(tools.lookups).toHaveLength(1)
  })

  it('hands off when the model keeps calling tools past maxToolRounds', async () => {
    const { engine } = setup({ maxToolRounds: 2 })
    fake.setFallback(search('returns'))
    const { decision } = await run(engine, turn('How long do I have to return an item?'))
    expectHandoff(decision, 'no_answer')
    expect(fake.requests).toHaveLength(3)
  })

  it('refuses a tool call with invalid input without calling the relay’s tools', async () => {
    const tools = recordingTools()
    const { engine } = setup({}, tools.factory)
    fake.enqueue(
      toolReply([
        { name: 'request_action', input: { type: 'wire_money', order_number: 'TW-1001', reason: 'x' } },
      ]),
      textReply('Sorry, I cannot do that. Could you tell me what you need?<sources>ask</sources>'),
    )
    await run(
      engine,
      turn('Can I get a refund of $20 for order TW-1001? It arrived damaged. ana@example.com'),
    )
    expect(tools.actions).toEqual([])
    const [result] = toolResultsOf(fake.requests[1])
    expect(result?.is_error).toBe(true)
    expect(String(result?.content)).toMatch(/invalid input: type/)
  })
})

describe('anthropic provider in the relay', () => {
  it('is chosen from ANTHROPIC_API_KEY and looks orders up through the relay’s policy-checked tools', async () => {
    const relay = await startRelay({ ANTHROPIC_API_KEY: 'relay-key', ANTHROPIC_BASE_URL: fake.url })
    try {
      expect(relay.app.parley.bot.providerName).toBe('anthropic')
      fake.enqueue(
        toolReply([{ name: 'lookup_order', input: { order_number: 'TW-1003', email: 'ana@example.com' } }]),
        textReply('Your order TW-1003 is still being prepared. <sources>order:TW-1003</sources>'),
      )
      const decision = await relay.app.parley.bot.respond(
        {
          siteId: 'demo',
          conversationId: 'c-relay',
          text: 'Where is my order TW-1003? My email is ana@example.com',
          history: [],
          locale: 'en',
        },
        () => {},
      )
      expect(decision).toMatchObject({
        outcome: 'tool',
        tool: 'order_lookup',
        sources: [{ slug: 'order:TW-1003', title: 'Order TW-1003', url: null }],
      })
      const [result] = toolResultsOf(fake.requests[1])
      expect(JSON.parse(String(result?.content))).toMatchObject({
        ok: true,
        sources: [{ slug: 'order:TW-1003' }],
      })
      // The shopper's own details stay out of what the model is given back.
      expect(String(result?.content)).not.toMatch(/ana@example\.com/)
      expect(apiKeyOf(fake.requests[0]!)).toBe('relay-key')
    } finally {
      await relay.close()
    }
  })
})

describe('anthropic provider: failures hand off honestly and in time', () => {
  const failures: Array<[string, Scripted[]]> = [
    ['429 rate_limit_error', [errorReply(429), errorReply(429)]],
    ['500 api_error', [errorReply(500), errorReply(500)]],
    ['529 overloaded_error', [errorReply(529), errorReply(529)]],
    [
      'a stream that breaks mid-way',
      [textReply(['You have ', '30 days ', 'to return.'], { breakAfterDeltas: 2 })],
    ],
    [
      'an overloaded_error event mid-stream',
      [
        textReply(['You have ', '30 days.'], {
          errorAfterDeltas: { after: 1, errorType: 'overloaded_error' },
        }),
      ],
    ],
    ['a response that never comes', [{ type: 'hang' }, { type: 'hang' }]],
    ['a stream that stalls', [textReply(['You have ', '30 days.'], { stallAfterDeltas: 1 })]],
    ['a refusal', [textReply('I cannot help with that.', { stopReason: 'refusal' })]],
  ]

  it.each(failures)('%s → provider_error handoff within the time limit', async (_name, script) => {
    const { engine } = setup()
    fake.enqueue(...script)
    const { decision, elapsed } = await run(engine, turn('How long do I have to return an item?'))
    expectHandoff(decision, 'provider_error')
    expect(decision.text).toMatch(/technical problem/)
    expect(elapsed).toBeLessThan(TIMEOUT_MS + 2000)
  })

  it('retries a 529 once, not forever', async () => {
    const { engine } = setup()
    fake.setFallback(errorReply(529))
    const { decision } = await run(engine, turn('How long do I have to return an item?'))
    expectHandoff(decision, 'provider_error')
    expect(fake.requests).toHaveLength(2)
  })

  it('answers after a single 529 when the retry succeeds', async () => {
    const { engine } = setup()
    fake.enqueue(
      errorReply(529),
      search('return window'),
      textReply('You have 30 days. <sources>returns</sources>'),
    )
    const { decision } = await run(engine, turn('How long do I have to return an item?'))
    expect(decision.outcome).toBe('answer')
  })

  it('stops a slow stream as soon as the turn is aborted', async () => {
    const { engine } = setup({ timeoutMs: 5000 })
    fake.enqueue(textReply(['You have ', '30 days ', 'to return.'], { chunkDelayMs: 2000 }))
    const controller = new AbortController()
    setTimeout(() => controller.abort(new Error('agent took over')), 150)
    const { decision, elapsed } = await run(
      engine,
      turn('How long do I have to return an item?'),
      controller.signal,
    )
    expectHandoff(decision, 'provider_error')
    expect(elapsed).toBeLessThan(1000)
  })
})
