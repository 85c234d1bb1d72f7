import { describe, expect, it } from 'vitest'
import type { ActionRequest } from '../../../shared/policy.ts'
import { actionAmount, formatMoney, mergeActions } from './actions.ts'
import { createStore } from './store.ts'
import { ana, message, summary } from './test-support.ts'

function action(id: string, over: Partial<ActionRequest> = {}): ActionRequest {
  return {
    id,
    siteId: 'site_demo',
    conversationId: 'c1',
    type: 'refund',
    input: { orderNumber: 'TW-1001', amount: 12 },
    decision: 'suggest',
    reason: 'Within the policy',
    status: 'pending',
    result: null,
    decidedBy: null,
    note: null,
    createdAt: '2025-01-01T10:00:00.000Z',
    updatedAt: '2025-01-01T10:00:00.000Z',
    facts: {
      at: '2025-01-01T10:00:00.000Z',
      order: { number: 'TW-1001', status: 'delivered', deliveredAt: null, total: 35, currency: 'USD' },
      ownership: 'email',
      amount: 12,
      committedRefunds: 0,
    },
    ...over,
  }
}

function withOpen() {
  const store = createStore()
  store.signedIn(ana)
  store.conversationSelected('c1')
  store.conversationOpened({
    conversation: summary('c1'),
    messages: [message('c1', 1)],
    events: [],
    actions: [action('a_old', { status: 'executed', createdAt: '2025-01-01T09:00:00.000Z' })],
  })
  return store
}

describe('bot actions in the console', () => {
  it('keeps pending requests first, then newest, and a later update wins over an earlier one', () => {
    const old = action('a', { status: 'refused', createdAt: '2025-01-01T11:00:00.000Z' })
    const pending = action('b', { createdAt: '2025-01-01T09:00:00.000Z' })
    const merged = mergeActions([old], [pending])
    expect(merged.map((a) => a.id)).toEqual(['b', 'a'])
    const approved = { ...pending, status: 'approved' as const, updatedAt: '2025-01-01T12:00:00.000Z' }
    expect(mergeActions(merged, [approved]).find((a) => a.id === 'b')?.status).toBe('approved')
    expect(mergeActions([approved], [pending])[0]?.status).toBe('approved')
  })

  it('shows a pushed request of the open conversation and ignores those of others', () => {
    const store = withOpen()
    store.actionUpserted(action('a_new'))
    store.actionUpserted(action('a_elsewhere', { conversationId: 'c2' }))
    expect(store.getState().current?.actions.map((a) => a.id)).toEqual(['a_new', 'a_old'])
  })

  it('tracks a decision in flight, its result, and a refused decision', () => {
    const store = withOpen()
    store.actionUpserted(action('a_new'))
    store.decideStarted('c1', 'a_new')
    expect(store.getState().current?.deciding).toBe('a_new')
    store.decideFailed('c1', { code: 'invalid_transition', message: 'already approved' })
    expect(store.getState().current).toMatchObject({
      deciding: null,
      decideError: { code: 'invalid_transition' },
    })
    store.decideSucceeded(
      action('a_new', {
        status: 'approved',
        decidedBy: { id: 'x', name: 'Sam' },
        updatedAt: '2025-01-01T11:00:00.000Z',
      }),
    )
    expect(store.getState().current?.actions[0]).toMatchObject({ id: 'a_new', status: 'approved' })
    expect(store.getState().current?.decideError).toBeNull()
  })

  it('formats the amount a request is about in its currency', () => {
    const money = actionAmount(action('a'))
    expect(money).toEqual({ amount: 12, currency: 'USD' })
    expect(formatMoney('en-US', 12, 'USD')).toBe('$12.00')
  })
})
