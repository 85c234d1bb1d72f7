import { writeFile } from 'node:fs/promises'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { hashPassword } from '../../relay/auth/passwords.ts'
import { newId } from '../../shared/ids.ts'
import { DEFAULT_POLICY, type Policy, type ReplayResult } from '../../shared/policy.ts'
import type { Message, WidgetConversation } from '../../shared/protocol.ts'
import { policyWith, sampleOrders, useSampleOrders } from '../support/orders.ts'
import {
  call,
  clientId,
  connectWidget,
  login,
  startRelay,
  type TestRelay,
  waitFor,
} from '../support/relay.ts'

let relay: TestRelay
let adminCookie: string
let agentCookie: string

beforeEach(async () => {
  relay = await startRelay()
  await useSampleOrders(relay.app.parley.store, relay.dataDir)
  await relay.app.parley.store.putAgent({
    id: newId('agt_'),
    email: 'admin@example.com',
    name: 'Ada Admin',
    role: 'admin',
    passwordHash: await hashPassword('correct-horse-battery'),
    siteIds: ['demo'],
    createdAt: new Date().toISOString(),
  })
  await relay.addAgent({ email: 'sam@example.com', name: 'Sam' })
  adminCookie = await login(relay.url, 'admin@example.com', 'correct-horse-battery')
  agentCookie = await login(relay.url, 'sam@example.com', 'correct-horse-battery')
})
afterEach(async () => {
  await relay.close()
})

function inject(
  method: 'GET' | 'PUT' | 'POST',
  url: string,
  cookie: string,
  payload?: Record<string, unknown>,
) {
  return relay.app.inject({ method, url, headers: { cookie }, ...(payload === undefined ? {} : { payload }) })
}

/** One shopper conversation per message; resolves once the bot answered each. */
async function history(texts: string[]): Promise<void> {
  for (const text of texts) {
    const shopper = await connectWidget(relay.url)
    const reply = waitFor<Message>(shopper.socket, 'message:new', (m) => m.author === 'bot' && m.seq === 3)
    await call<{ conversation: WidgetConversation }>(shopper.socket, 'message:send', {
      clientId: clientId(),
      text,
    })
    await reply
    shopper.socket.close()
  }
}

describe('the policy routes', () => {
  it('shows the default policy to agents of the site and its text for the model', async () => {
    const res = await inject('GET', '/api/sites/demo/policy', agentCookie)
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body.data.policy).toEqual(DEFAULT_POLICY)
    expect(body.data.text).toContain('Refund: you may request it with the tool')
    expect((await inject('GET', '/api/sites/elsewhere/policy', adminCookie)).json().error.code).toBe(
      'not_found',
    )
    expect((await relay.app.inject({ method: 'GET', url: '/api/sites/demo/policy' })).statusCode).toBe(401)
  })

  it('lets only admins save a policy, and only a valid one', async () => {
    const proposed = policyWith({ refund: { mode: 'execute', maxAmount: 25, requireOwnership: true } })
    const byAgent = await inject('PUT', '/api/sites/demo/policy', agentCookie, { policy: proposed })
    expect(byAgent.statusCode).toBe(403)
    const invalid = await inject('PUT', '/api/sites/demo/policy', adminCookie, {
      policy: policyWith({ refund: { mode: 'always' as 'execute', requireOwnership: true } }),
    })
    expect(invalid.statusCode).toBe(400)
    expect(invalid.json().error.code).toBe('invalid_payload')
    expect((await relay.app.parley.store.getSite('demo'))?.policy).toEqual(DEFAULT_POLICY)
    const saved = await inject('PUT', '/api/sites/demo/policy', adminCookie, { policy: proposed })
    expect(saved.statusCode).toBe(200)
    expect((await relay.app.parley.store.getSite('demo'))?.policy).toEqual(proposed)
    expect((await inject('GET', '/api/sites/demo/policy', agentCookie)).json().data.policy).toEqual(proposed)
  })
})

describe('policy replay', () => {
  it('reports which past actions a proposed policy would execute, suggest or refuse, and saves nothing', async () => {
    await history([
      'I want a refund of $30 for order TW-1001, my email is maya@example.com', // suggest
      // Pending refunds count: $5 is all that is left of the $35.
      'I want a refund of $5 for order TW-1001, my email is maya@example.com', // suggest
      'Please cancel order TW-1003, my email is ana@example.com', // suggest
      'Where is my order TW-1002? my email is leo@example.com', // look-up, executed
    ])
    const store = relay.app.parley.store
    const conversations = await store.listConversations({ siteIds: ['demo'] })
    const eventsBefore = await Promise.all(conversations.map((c) => store.listEvents(c.id)))
    const actionsBefore = await store.listActions({ siteIds: ['demo'] })

    // Small refunds run by themselves, cancellations are no longer for the bot.
    const proposed: Policy = policyWith({
      refund: { mode: 'execute', maxAmount: 20, withinDaysOfDelivery: 30, requireOwnership: true },
      cancel: { mode: 'never', requireOwnership: true },
    })
    const res = await inject('POST', '/api/sites/demo/policy/replay', adminCookie, { policy: proposed })
    expect(res.statusCode).toBe(200)
    const result = res.json().data as ReplayResult
    expect(result.total).toBe(4)
    expect(result.changed).toBe(3)
    expect(result.summary).toEqual({ newlyExecuted: 1, newlySuggested: 0, newlyRefused: 2 })
    expect(result.counts.before).toEqual({ execute: 1, suggest: 3, never: 0 })
    expect(result.counts.after).toEqual({ execute: 2, suggest: 0, never: 2 })
    const changed = result.items.filter((i) => i.changed)
    expect(
      changed.map((i) => [i.type, i.input.amount ?? null, i.before.decision, i.after.decision]).sort(),
    ).toEqual([
      ['cancel', null, 'suggest', 'never'],
      ['refund', 30, 'suggest', 'never'],
      ['refund', 5, 'suggest', 'execute'],
    ])
    expect(changed.find((i) => i.input.amount === 30)?.after.code).toBe('over_limit')
    expect(result.items.find((i) => !i.changed)?.type).toBe('order_lookup')

    expect((await store.getSite('demo'))?.policy).toEqual(DEFAULT_POLICY)
    expect(await Promise.all(conversations.map((c) => store.listEvents(c.id)))).toEqual(eventsBefore)
    expect(await store.listActions({ siteIds: ['demo'] })).toEqual(actionsBefore)
  })

  it('judges past requests with the facts of their time, not of today', async () => {
    await history(['I want a refund of $12 for order TW-1001, my email is maya@example.com'])
    // The order file changes afterwards (delivered yesterday, by today's file): the replay still
    // judges the order as it was when asked, delivered five days before.
    const file = await useSampleOrders(relay.app.parley.store, relay.dataDir)
    const orders = sampleOrders().map((o) =>
      o.number === 'TW-1001' ? { ...o, deliveredAt: new Date(Date.now() - 86_400_000).toISOString() } : o,
    )
    await writeFile(file, JSON.stringify(orders))
    const proposed = policyWith({
      refund: { mode: 'execute', maxAmount: 50, withinDaysOfDelivery: 3, requireOwnership: true },
    })
    const result = (
      await inject('POST', '/api/sites/demo/policy/replay', adminCookie, { policy: proposed })
    ).json().data as ReplayResult
    expect(result.items[0]?.after).toMatchObject({ decision: 'never', code: 'delivery_window_passed' })
    expect(result.summary.newlyRefused).toBe(1)
  })

  it('is for admins of the site only and validates the proposed policy', async () => {
    const byAgent = await inject('POST', '/api/sites/demo/policy/replay', agentCookie, {
      policy: DEFAULT_POLICY,
    })
    expect(byAgent.statusCode).toBe(403)
    const invalid = await inject('POST', '/api/sites/demo/policy/replay', adminCookie, {
      policy: { actions: {} },
    })
    expect(invalid.json().error.code).toBe('invalid_payload')
    const empty = await inject('POST', '/api/sites/demo/policy/replay', adminCookie, {
      policy: DEFAULT_POLICY,
    })
    expect(empty.json().data).toMatchObject({ total: 0, changed: 0, items: [], truncated: false })
  })
})
