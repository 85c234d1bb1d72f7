import { describe, expect, it } from 'vitest'
import { DEFAULT_POLICY, type OrderFacts, type Policy } from '../../shared/policy.ts'
import { evaluateAction, proveOwnership } from './evaluate.ts'

const NOW = new Date('2026-12-03T12:00:00.000Z')
const delivered: OrderFacts = {
  number: 'TW-1001',
  status: 'delivered',
  deliveredAt: '2026-11-28T12:00:00.000Z',
  total: 35,
  currency: 'USD',
}
const owned = { now: NOW, ownership: 'email' as const }

function policy(over: Partial<Policy['actions']>): Policy {
  return { actions: { ...DEFAULT_POLICY.actions, ...over } }
}

describe('evaluateAction', () => {
  it('suggests a refund within every limit under the default policy and says why', () => {
    const verdict = evaluateAction(DEFAULT_POLICY, { type: 'refund', amount: 12 }, delivered, owned)
    expect(verdict).toMatchObject({ decision: 'suggest', code: 'allowed' })
    expect(verdict.reason).toContain('12.00 USD within the 50.00 USD limit')
    expect(verdict.reason).toContain('delivered 5 days ago (limit 30)')
  })

  it('executes when the rule says execute, and never gives more than the rule', () => {
    const execute = policy({ refund: { mode: 'execute', maxAmount: 50, requireOwnership: true } })
    expect(evaluateAction(execute, { type: 'refund', amount: 35 }, delivered, owned).decision).toBe('execute')
    expect(evaluateAction(DEFAULT_POLICY, { type: 'refund', amount: 1 }, delivered, owned).decision).toBe(
      'suggest',
    )
  })

  it('refuses a refund above the limit, whatever mode the rule has', () => {
    for (const mode of ['execute', 'suggest'] as const) {
      const p = policy({ refund: { mode, maxAmount: 20, requireOwnership: true } })
      expect(evaluateAction(p, { type: 'refund', amount: 20.01 }, delivered, owned)).toMatchObject({
        decision: 'never',
        code: 'over_limit',
      })
    }
  })

  it('refuses a refund of more than is left on the order, counting earlier refunds', () => {
    const p = policy({ refund: { mode: 'execute', requireOwnership: true } })
    expect(evaluateAction(p, { type: 'refund', amount: 36 }, delivered, owned).code).toBe('over_refundable')
    expect(
      evaluateAction(p, { type: 'refund', amount: 20 }, delivered, { ...owned, committedRefunds: 20 }).code,
    ).toBe('over_refundable')
    expect(
      evaluateAction(p, { type: 'refund', amount: 15 }, delivered, { ...owned, committedRefunds: 20 }).code,
    ).toBe('allowed')
  })

  it('refuses a refund without a positive amount', () => {
    for (const amount of [0, -5, Number.NaN, null, undefined]) {
      expect(evaluateAction(DEFAULT_POLICY, { type: 'refund', amount }, delivered, owned).code).toBe(
        'amount_invalid',
      )
    }
  })

  it('refuses outside the days since delivery, counting from when it was asked', () => {
    const p = policy({ refund: { mode: 'suggest', withinDaysOfDelivery: 4, requireOwnership: true } })
    expect(evaluateAction(p, { type: 'refund', amount: 5 }, delivered, owned)).toMatchObject({
      decision: 'never',
      code: 'delivery_window_passed',
    })
    const earlier = { ...owned, now: new Date('2026-12-01T12:00:00.000Z') }
    expect(evaluateAction(p, { type: 'refund', amount: 5 }, delivered, earlier).decision).toBe('suggest')
  })

  it('refuses a refund or replacement of an order that was not delivered', () => {
    const shipped = { ...delivered, status: 'shipped', deliveredAt: null }
    expect(evaluateAction(DEFAULT_POLICY, { type: 'refund', amount: 5 }, shipped, owned).code).toBe(
      'not_delivered',
    )
    expect(evaluateAction(DEFAULT_POLICY, { type: 'replacement' }, shipped, owned).code).toBe('not_delivered')
  })

  it('refuses a cancellation of an order in a status the rule does not allow', () => {
    const verdict = evaluateAction(
      DEFAULT_POLICY,
      { type: 'cancel' },
      { ...delivered, status: 'shipped' },
      owned,
    )
    expect(verdict).toMatchObject({ decision: 'never', code: 'status_not_allowed' })
    expect(verdict.reason).toContain('only for processing orders')
    expect(
      evaluateAction(DEFAULT_POLICY, { type: 'cancel' }, { ...delivered, status: 'processing' }, owned)
        .decision,
    ).toBe('suggest')
  })

  it('refuses without proof of ownership, and looks nothing else up first', () => {
    const unproven = { now: NOW, ownership: null }
    expect(evaluateAction(DEFAULT_POLICY, { type: 'order_lookup' }, delivered, unproven)).toMatchObject({
      decision: 'never',
      code: 'not_verified',
    })
    expect(evaluateAction(DEFAULT_POLICY, { type: 'refund', amount: 900 }, delivered, unproven).code).toBe(
      'not_verified',
    )
    const open = policy({ order_lookup: { mode: 'execute', requireOwnership: false } })
    expect(evaluateAction(open, { type: 'order_lookup' }, delivered, unproven).decision).toBe('execute')
  })

  it('refuses what the rule says never to, and orders that do not exist or cannot be read', () => {
    const never = policy({ refund: { mode: 'never', requireOwnership: true } })
    expect(evaluateAction(never, { type: 'refund', amount: 1 }, delivered, owned).code).toBe('mode_never')
    expect(evaluateAction(DEFAULT_POLICY, { type: 'order_lookup' }, null, owned).code).toBe('not_found')
    expect(
      evaluateAction(DEFAULT_POLICY, { type: 'order_lookup' }, null, {
        ...owned,
        orderError: 'order_unavailable',
      }).code,
    ).toBe('order_unavailable')
  })
})

describe('proveOwnership', () => {
  const order = { email: ' Maya@Example.com ' }

  it('accepts the order email given by the shopper regardless of case and spaces', () => {
    expect(proveOwnership(order, { givenEmail: 'maya@example.COM  ' })).toBe('email')
  })

  it('accepts a verified identity with the order email', () => {
    expect(proveOwnership(order, { verifiedEmail: 'MAYA@example.com' })).toBe('verified_identity')
  })

  it('rejects another email, no email, and orders without an email', () => {
    expect(proveOwnership(order, { givenEmail: 'mallory@example.com' })).toBeNull()
    expect(proveOwnership(order, {})).toBeNull()
    expect(proveOwnership({ email: null }, { givenEmail: '' })).toBeNull()
    expect(proveOwnership(null, { givenEmail: 'maya@example.com' })).toBeNull()
  })
})
