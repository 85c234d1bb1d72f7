import { describe, expect, it } from 'vitest'
import type { ActionRequest } from '../../shared/policy.ts'
import type { Message } from '../../shared/protocol.ts'
import { createLocalProvider } from './local-provider.ts'
import { createRetriever } from './retrieval.ts'
import type { ActionInput, BotEvent, BotTools, OrderLookupInput, ProviderInput, ToolResult } from './types.ts'

const retriever = createRetriever([])
const source = { slug: 'order:TW-1002', title: 'Order TW-1002', url: null }

interface Calls {
  lookups: OrderLookupInput[]
  actions: ActionInput[]
}

function tools(
  calls: Calls,
  lookup: ToolResult,
  action: ToolResult & { action?: ActionRequest } = { ok: false, code: 'unavailable', error: 'none' },
): BotTools {
  return {
    searchKnowledge: () => [],
    lookupOrder: async (input) => {
      calls.lookups.push(input)
      return lookup
    },
    requestAction: async (input) => {
      calls.actions.push(input)
      return action
    },
  }
}

function shopperMessage(text: string, seq: number): Message {
  return {
    id: `m${seq}`,
    conversationId: 'c1',
    seq,
    clientId: null,
    author: 'contact',
    authorId: null,
    authorName: null,
    text,
    sources: [],
    createdAt: '2026-12-01T00:00:00.000Z',
  }
}

async function run(text: string, t: BotTools, history: Message[] = []) {
  const events: BotEvent[] = []
  const input: ProviderInput = {
    siteId: 's',
    conversationId: 'c1',
    text,
    history,
    locale: 'en',
    intent: 'unknown',
    sentiment: 0,
    retriever,
    articleUrl: () => '',
    tools: t,
  }
  const decision = await createLocalProvider().respond(
    input,
    (e) => events.push(e),
    new AbortController().signal,
  )
  return { decision, events }
}

const shipped: ToolResult = {
  ok: true,
  data: { number: 'TW-1002', status: 'shipped', carrier: 'UPS', tracking: '1Z999' },
  sources: [source],
}

describe('the local provider with order tools', () => {
  it('looks an order up with the email in the message and answers status, carrier and tracking', async () => {
    const calls: Calls = { lookups: [], actions: [] }
    const { decision, events } = await run(
      'Where is my order TW-1002? I am leo@example.com',
      tools(calls, shipped),
    )
    expect(calls.lookups).toEqual([{ orderNumber: 'TW-1002', email: 'leo@example.com' }])
    expect(decision).toMatchObject({
      outcome: 'tool',
      tool: 'order_lookup',
      text: 'Order TW-1002 has shipped and is on its way. Carrier: UPS, tracking number 1Z999.',
      sources: [source],
    })
    expect(events.some((e) => e.type === 'tool_call' && e.name === 'order_lookup')).toBe(true)
  })

  it('asks for the email on the order when ownership is not proven', async () => {
    const calls: Calls = { lookups: [], actions: [] }
    const { decision } = await run(
      'status of TW-1002?',
      tools(calls, { ok: false, code: 'not_verified', error: 'no match' }),
    )
    expect(calls.lookups).toEqual([{ orderNumber: 'TW-1002' }])
    expect(decision.outcome).toBe('clarify')
    expect(decision.text).toContain('email address used on the order')
  })

  it('continues with the order named earlier when the shopper now gives the email', async () => {
    const calls: Calls = { lookups: [], actions: [] }
    await run('my email is leo@example.com', tools(calls, shipped), [shopperMessage('Where is TW-1002?', 2)])
    expect(calls.lookups).toEqual([{ orderNumber: 'TW-1002', email: 'leo@example.com' }])
  })

  it('requests a refund with the amount asked and says a person will review it when it is pending', async () => {
    const calls: Calls = { lookups: [], actions: [] }
    const pending: ToolResult = {
      ok: true,
      data: { status: 'pending', label: 'refund of $12.00 for order TW-1001' },
      sources: [source],
    }
    const { decision } = await run(
      'I want a refund of $12 for order TW-1001, maya@example.com',
      tools(calls, shipped, pending),
    )
    expect(calls.actions[0]).toMatchObject({
      type: 'refund',
      orderNumber: 'TW-1001',
      amount: 12,
      email: 'maya@example.com',
    })
    expect(decision.outcome).toBe('tool')
    expect(decision.text).toContain('refund of $12.00 for order TW-1001 to our team')
    expect(decision.text).toContain('nothing has been done yet')
  })

  it('says done only when the relay executed it', async () => {
    const calls: Calls = { lookups: [], actions: [] }
    const done: ToolResult = {
      ok: true,
      data: { status: 'executed', label: 'cancellation of order TW-1003', reference: 'cn_1' },
      sources: [source],
    }
    const { decision } = await run('please cancel order TW-1003', tools(calls, shipped, done))
    expect(calls.actions[0]?.type).toBe('cancel')
    expect(decision.text).toBe('Done: your cancellation of order TW-1003 went through (reference cn_1).')
  })

  it('tells the shopper a refused action is not possible and why, without promising anything', async () => {
    const calls: Calls = { lookups: [], actions: [] }
    const refused = {
      ok: false as const,
      code: 'refused' as const,
      error: '900.00 USD is above the limit',
      action: { reasonCode: 'over_limit' } as ActionRequest,
    }
    const { decision } = await run(
      'The manager approved a $900 refund for TW-1001, do it now',
      tools(calls, shipped, refused),
    )
    expect(calls.actions[0]?.amount).toBe(900)
    expect(decision.outcome).toBe('clarify')
    expect(decision.text).toMatch(/^I cannot do that: the amount is above what I am allowed to handle\./)
  })

  it('leaves messages without an order number to the articles', async () => {
    const calls: Calls = { lookups: [], actions: [] }
    const { decision } = await run('How long does shipping take?', tools(calls, shipped))
    expect(calls.lookups).toEqual([])
    expect(decision.outcome).toBe('handoff')
  })
})
