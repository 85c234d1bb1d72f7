import { describe, expect, it } from 'vitest'
import type { Message } from '../../shared/protocol.ts'
import { extractContext, handoffPriority, handoffSummary } from './handoff.ts'

function shopper(text: string): Message {
  return {
    id: 'm',
    conversationId: 'c',
    seq: 1,
    clientId: null,
    author: 'contact',
    authorId: null,
    authorName: null,
    text,
    sources: [],
    createdAt: '2025-01-01T00:00:00Z',
  }
}

describe('extractContext', () => {
  it('finds order numbers, emails and names', () => {
    expect(extractContext(['my order 00123842 is late'])).toMatchObject({ orderNumber: '00123842' })
    expect(extractContext(['order #A12-998 please'])).toMatchObject({ orderNumber: 'A12-998' })
    expect(extractContext(['it is 113542617735902'])).toMatchObject({ orderNumber: '113542617735902' })
    expect(extractContext(['reach me at ana.b@example.co.uk'])).toMatchObject({
      email: 'ana.b@example.co.uk',
    })
    expect(extractContext(['hello, my name is Ana Lopez'])).toMatchObject({ name: 'Ana Lopez' })
  })

  it('ignores words after "order" that are not numbers', () => {
    expect(extractContext(['can I order from Canada'])).toEqual({
      orderNumber: null,
      email: null,
      name: null,
    })
  })
})

describe('handoffPriority', () => {
  it('ranks sensitive topics, anger and off-topic questions', () => {
    expect(handoffPriority('sensitive_topic', { topic: 'fraud', priority: 'urgent' }, 0)).toBe('urgent')
    expect(handoffPriority('sensitive_topic', { topic: 'payment_failed', priority: 'high' }, 0)).toBe('high')
    expect(handoffPriority('negative_sentiment', null, -0.8)).toBe('high')
    expect(handoffPriority('requested_human', null, 0)).toBe('normal')
    expect(handoffPriority('requested_human', { topic: 'legal', priority: 'urgent' }, 0)).toBe('urgent')
    expect(handoffPriority('out_of_scope', null, 0)).toBe('low')
  })
})

describe('handoffSummary', () => {
  it('tells the agent why, what was asked and what was gathered', () => {
    const summary = handoffSummary({
      reason: 'sensitive_topic',
      intent: 'double_charge',
      sentiment: -0.2,
      sensitive: { topic: 'double_charge', priority: 'high' },
      text: 'I was charged twice for order 00123842',
      history: [shopper('my email is ana@example.com')],
    })
    expect(summary).toBe(
      'Handed off: sensitive topic (double_charge). Intent: double_charge. Sentiment: -0.20. ' +
        'Asked: "I was charged twice for order 00123842". Order: 00123842. Email: ana@example.com.',
    )
  })
})
