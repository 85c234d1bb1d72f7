/**
 * The helpdesk's periodic work on several nodes (PARLEY_REDIS_URL: relay/cluster/tick-lock.ts): one
 * node at a time runs it, so an SLA warning reaches the agents once, not once per node; when that
 * node stops, another takes over, and it knows of the replies agents sent on the other node.
 */
import { afterAll, afterEach, expect, it } from 'vitest'
import type { AgentNotification } from '../../shared/helpdesk.ts'
import type { ConversationSummary } from '../../shared/protocol.ts'
import { clusterEnv, twoNodes } from '../support/cluster.ts'
import { fakeClock, openConsole, shopperAsksForPerson, stored } from '../support/helpdesk.ts'
import { connectTestDatabase } from '../support/postgres.ts'
import { connectTestRedis } from '../support/redis.ts'
import { call, clientId, record, type TestRelay } from '../support/relay.ts'

const db = await connectTestDatabase()
const redis = await connectTestRedis()
afterAll(async () => {
  await db.end()
  await redis.end()
})

const relays: TestRelay[] = []
afterEach(async () => {
  for (const relay of relays.splice(0)) await relay.close()
})

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

it('sends each SLA warning of a waiting conversation once however many nodes tick, and goes on when a node stops', async () => {
  // One clock for both nodes; real, short ticks.
  const clock = fakeClock('2026-01-19T10:00:00.000Z')
  const [a, b] = await twoNodes(clusterEnv(db, redis), relays, { now: clock.now, helpdesk: { tickMs: 25 } })
  // Wes has no capacity: the conversation stays queued, and its warnings go to the site's agents.
  const wes = await b.addAgent({ email: 'wes@example.com', name: 'Wes' })
  const watcher = await openConsole(b, wes.email)
  const notices = record<AgentNotification>(watcher, 'notification')
  const { shopper, conversationId } = await shopperAsksForPerson(a)
  expect((await stored(a, conversationId)).status).toBe('queued')
  const kinds = () => notices.filter((n) => n.conversationId === conversationId).map((n) => n.kind)

  // 100 s of the 120 s first-response target: near breach, seen by many ticks of both nodes.
  clock.advance(100_000)
  await expect.poll(kinds).toEqual(['sla_near_breach'])
  await wait(300)
  expect(kinds()).toEqual(['sla_near_breach'])

  // Node A stops (it may have held the lock, or not); B runs the tick from now on.
  await a.close()
  clock.advance(30_000)
  await expect.poll(kinds, { timeout: 5_000 }).toEqual(['sla_near_breach', 'sla_breached'])
  await wait(300)
  expect(kinds()).toEqual(['sla_near_breach', 'sla_breached'])
  const breaches = (await b.app.parley.store.listEvents(conversationId)).filter(
    (e) => e.type === 'sla_breached',
  )
  expect(breaches).toHaveLength(1)
  shopper.close()
  watcher.close()
})

it('counts a first reply sent on node A when node B checks the SLA, though B had read the conversation before', async () => {
  const clock = fakeClock('2026-01-19T10:00:00.000Z')
  const [a, b] = await twoNodes(clusterEnv(db, redis), relays, { now: clock.now, helpdesk: { tickMs: 25 } })
  const ada = await a.addAgent({ email: 'ada@example.com', name: 'Ada' })
  const onA = await openConsole(a, ada.email)
  const watcher = await openConsole(b, (await b.addAgent({ email: 'wes@example.com', name: 'Wes' })).email)
  const { shopper, conversationId } = await shopperAsksForPerson(a)
  await call(onA, 'conversation:claim', { conversationId })
  // B shows it (and so reads its SLA facts) while nobody has answered yet.
  const shown = async () =>
    (
      await call<{ conversations: ConversationSummary[] }>(watcher, 'inbox:query', { view: 'all' })
    ).conversations.find((c) => c.id === conversationId)
  await expect.poll(async () => (await shown())?.status).toBe('assigned')
  expect((await shown())?.sla?.firstResponseAt).toBeNull()

  clock.advance(30_000)
  await call(onA, 'message:send', { conversationId, clientId: clientId(), text: 'Ada here, looking now' })
  // A stops: B runs the tick, past the first-response due time.
  await a.close()
  clock.advance(120_000)
  await wait(300)
  const breaches = (await b.app.parley.store.listEvents(conversationId)).filter(
    (e) => e.type === 'sla_breached' && e.data.breach === 'first_response_breached',
  )
  expect(breaches).toEqual([])
  expect((await shown())?.sla?.firstResponseAt).toBe('2026-01-19T10:00:30.000Z')
  shopper.close()
  watcher.close()
})
