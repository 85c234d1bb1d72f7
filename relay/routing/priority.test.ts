import { describe, expect, it } from 'vitest'
import { basePriority, priorityFor, raise } from './priority.ts'

const plain = { sentiment: 0, contact: {} }

describe('priorityFor', () => {
  it('puts a payment failure and a double charge above a shipping question', () => {
    expect(priorityFor({ ...plain, intent: 'payment_failed' })).toBe('high')
    expect(priorityFor({ ...plain, intent: 'double_charge' })).toBe('high')
    expect(priorityFor({ ...plain, intent: 'shipping-times' })).toBe('normal')
  })

  it('makes fraud, chargebacks, legal threats and safety urgent', () => {
    for (const intent of ['fraud', 'chargeback', 'legal', 'abuse', 'safety']) {
      expect(priorityFor({ ...plain, intent })).toBe('urgent')
    }
  })

  it('gives small talk and off-topic questions low priority, anything else normal', () => {
    expect(priorityFor({ ...plain, intent: 'out_of_scope' })).toBe('low')
    expect(priorityFor({ ...plain, intent: 'greeting' })).toBe('low')
    expect(priorityFor({ ...plain, intent: 'request_human' })).toBe('normal')
    expect(priorityFor({ ...plain, intent: 'unknown' })).toBe('normal')
  })

  it('raises one step for strongly negative sentiment (-0.6 or below), not for mild annoyance', () => {
    expect(priorityFor({ ...plain, intent: 'shipping-times', sentiment: -0.6 })).toBe('high')
    expect(priorityFor({ ...plain, intent: 'payment_failed', sentiment: -0.9 })).toBe('urgent')
    expect(priorityFor({ ...plain, intent: 'shipping-times', sentiment: -0.59 })).toBe('normal')
    expect(priorityFor({ ...plain, intent: 'shipping-times', sentiment: null })).toBe('normal')
  })

  it('raises one step for a VIP or a lifetime value of at least 1000, once when both', () => {
    expect(priorityFor({ ...plain, intent: 'returns', contact: { vip: true } })).toBe('high')
    expect(priorityFor({ ...plain, intent: 'returns', contact: { lifetimeValue: 1000 } })).toBe('high')
    expect(priorityFor({ ...plain, intent: 'returns', contact: { lifetimeValue: 999.99 } })).toBe('normal')
    expect(priorityFor({ ...plain, intent: 'returns', contact: { vip: true, lifetimeValue: 5000 } })).toBe(
      'high',
    )
  })

  it('takes the high-value threshold from the options', () => {
    expect(
      priorityFor(
        { ...plain, intent: 'returns', contact: { lifetimeValue: 300 } },
        { highValueThreshold: 250 },
      ),
    ).toBe('high')
  })

  it('stacks sentiment and customer value but never goes past urgent', () => {
    expect(priorityFor({ intent: 'returns', sentiment: -0.8, contact: { vip: true } })).toBe('urgent')
    expect(priorityFor({ intent: 'fraud', sentiment: -0.8, contact: { vip: true } })).toBe('urgent')
  })

  it("never lowers below the bot's suggestion but may raise above it", () => {
    expect(priorityFor({ ...plain, intent: 'shipping-times', botSuggested: 'urgent' })).toBe('urgent')
    expect(priorityFor({ ...plain, intent: 'payment_failed', botSuggested: 'low' })).toBe('high')
  })
})

describe('priority helpers', () => {
  it('raises low → normal → high → urgent and keeps urgent', () => {
    expect([raise('low'), raise('normal'), raise('high'), raise('urgent')]).toEqual([
      'normal',
      'high',
      'urgent',
      'urgent',
    ])
  })

  it('takes the sensitive topics’ priorities from the bot’s rules', () => {
    expect(basePriority('complaint')).toBe('high')
    expect(basePriority('data_deletion')).toBe('high')
  })
})
