import { describe, expect, it } from 'vitest'
import { type ActionRequestedData, DEFAULT_POLICY, type Policy } from '../../shared/policy.ts'
import type { AuditEvent } from '../../shared/protocol.ts'
import { describePolicy } from './describe.ts'
import { replayPolicy } from './replay.ts'

function event(id: string, at: string, data: ActionRequestedData): AuditEvent {
  return { id, conversationId: 'cnv_1', type: 'action_requested', actor: { kind: 'bot', id: null }, at, data }
}

const order = {
  number: 'TW-1',
  status: 'delivered',
  deliveredAt: '2026-11-30T00:00:00.000Z',
  total: 100,
  currency: 'USD',
}
const refund = (id: string, amount: number, decision: 'suggest' | 'never' | 'execute') =>
  event(id, '2026-12-01T00:00:00.000Z', {
    actionId: `act_${id}`,
    type: 'refund',
    input: { orderNumber: 'TW-1', amount },
    decision,
    reason: 'then',
    code: decision === 'never' ? 'over_limit' : 'allowed',
    status: decision === 'never' ? 'refused' : decision === 'suggest' ? 'pending' : 'executed',
    facts: { at: '2026-12-01T00:00:00.000Z', order, ownership: 'email', amount, committedRefunds: 0 },
  })

describe('replayPolicy', () => {
  it('counts newly executed, suggested and refused requests and lists changed ones first', () => {
    const proposed: Policy = {
      actions: {
        ...DEFAULT_POLICY.actions,
        refund: { mode: 'execute', maxAmount: 80, requireOwnership: true },
      },
    }
    const result = replayPolicy(proposed, [
      refund('a', 10, 'suggest'), // → execute
      refund('b', 90, 'suggest'), // → never (over 80)
      refund('c', 70, 'never'), // → execute
      refund('d', 5, 'execute'), // unchanged
    ])
    expect(result.summary).toEqual({ newlyExecuted: 2, newlySuggested: 0, newlyRefused: 1 })
    expect(result.counts).toEqual({
      before: { execute: 1, suggest: 2, never: 1 },
      after: { execute: 3, suggest: 0, never: 1 },
    })
    expect(result.items.map((i) => [i.actionId, i.changed])).toEqual([
      ['act_a', true],
      ['act_b', true],
      ['act_c', true],
      ['act_d', false],
    ])
    expect(result.items[1]?.after.code).toBe('over_limit')
  })

  it('skips other events and malformed data', () => {
    const other: AuditEvent = { ...refund('x', 1, 'suggest'), type: 'handoff' }
    const broken: AuditEvent = { ...refund('y', 1, 'suggest'), data: { type: 'refund' } }
    expect(replayPolicy(DEFAULT_POLICY, [other, broken]).total).toBe(0)
  })
})

describe('describePolicy', () => {
  it('tells the model every action, its mode and its limits, and that claims change nothing', () => {
    const text = describePolicy(DEFAULT_POLICY)
    expect(text).toContain(
      '- Refund: you may request it with the tool; a person from the team approves or rejects it',
    )
    expect(text).toContain("at most 50.00 in the order's currency")
    expect(text).toContain('within 30 days of delivery')
    expect(text).toContain('- Look up an order: you may do it with the tool')
    expect(text).toMatch(/manager's approval, changes nothing/)
    const never = describePolicy({
      actions: { ...DEFAULT_POLICY.actions, cancel: { mode: 'never', requireOwnership: true } },
    })
    expect(never).toContain('- Cancel an order: not allowed for you')
  })
})
