import { describe, expect, it } from 'vitest'
import { DEFAULT_POLICY } from '../../../../shared/policy.ts'
import { parseLimit, samePolicy, toggleStatus, withMode, withRule } from './draft.ts'

describe('policy draft helpers', () => {
  it('changes one rule and leaves the others and the original alone', () => {
    const next = withMode(DEFAULT_POLICY, 'refund', 'execute')
    expect(next.actions.refund).toEqual({ ...DEFAULT_POLICY.actions.refund, mode: 'execute' })
    expect(next.actions.cancel).toBe(DEFAULT_POLICY.actions.cancel)
    expect(DEFAULT_POLICY.actions.refund.mode).toBe('suggest')
    expect(samePolicy(next, DEFAULT_POLICY)).toBe(false)
    expect(samePolicy(withMode(next, 'refund', 'suggest'), DEFAULT_POLICY)).toBe(true)
  })

  it('removes a limit set to undefined', () => {
    const next = withRule(DEFAULT_POLICY, 'refund', { maxAmount: undefined })
    expect('maxAmount' in next.actions.refund).toBe(false)
    expect(next.actions.refund.withinDaysOfDelivery).toBe(30)
  })

  it('reads limits: empty is no limit, junk and negatives are invalid, days are whole', () => {
    expect(parseLimit(' ', false)).toBeUndefined()
    expect(parseLimit('12,5', false)).toBe(12.5)
    expect(parseLimit('-1', false)).toBeNull()
    expect(parseLimit('abc', false)).toBeNull()
    expect(parseLimit('2.5', true)).toBeNull()
    expect(parseLimit('14', true)).toBe(14)
  })

  it('toggles allowed statuses, none meaning any', () => {
    const rule = DEFAULT_POLICY.actions.cancel
    expect(toggleStatus(rule, 'shipped', true)).toEqual(['processing', 'shipped'])
    expect(toggleStatus(rule, 'processing', false)).toBeUndefined()
  })
})
