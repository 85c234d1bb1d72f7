/**
 * Agents' presence across nodes (PARLEY_REDIS_URL: relay/cluster/redis-presence.ts), with real relays
 * on one PostgreSQL schema and one Redis: routing on one node sees agents connected to another, a
 * status chosen on one node holds on the others, and a node that dies takes its agents offline
 * after the heartbeat lapses and the grace runs out.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, expect, it } from 'vitest'
import type { AgentNotification, AgentSummary } from '../../shared/helpdesk.ts'
import type { WidgetConversation } from '../../shared/protocol.ts'
import { clusterEnv, twoNodes } from '../support/cluster.ts'
import { openConsole, shopperAsksForPerson, stored } from '../support/helpdesk.ts'
import { connectTestDatabase } from '../support/postgres.ts'
import { startRelayProcess } from '../support/process.ts'
import { connectTestRedis } from '../support/redis.ts'
import { call, connectConsole, login, record, type TestRelay, waitFor } from '../support/relay.ts'

const db = await connectTestDatabase()
const redis = await connectTestRedis()
afterAll(async () => {
  await db.end()
  await redis.end()
})

const relays: TestRelay[] = []
const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const relay of relays.splice(0)) await relay.close()
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

/** Waits until the node sees the agent with this presence (news from another node takes a moment). */
async function seen(node: TestRelay, agentId: string, presence: string): Promise<void> {
  await expect.poll(() => node.app.parley.helpdesk.presence.presenceOf(agentId)).toBe(presence)
}

it('auto-assigns a conversation handed off on node A to an agent online only on node B', async () => {
  const [a, b] = await twoNodes(clusterEnv(db, redis), relays)
  const ada = await b.addAgent({ email: 'ada@example.com', name: 'Ada', capacity: 2 })
  const console = await openConsole(b, 'ada@example.com')
  const notices = record<AgentNotification>(console, 'notification')
  await seen(a, ada.id, 'online')
  expect(a.app.parley.helpdesk.presence.anyOnline('demo')).toBe(true)

  const { shopper, conversationId } = await shopperAsksForPerson(a)
  expect((await stored(a, conversationId)).assigneeId).toBe(ada.id)
  // A's routing counted it; the shopper on A and Ada's console on B hear of it.
  expect(a.app.parley.helpdesk.presence.summarize(ada)).toMatchObject({ presence: 'online', load: 1 })
  const resumed = await call<{ conversation: WidgetConversation }>(shopper, 'conversation:resume', {
    conversationId,
    afterSeq: 0,
  })
  expect(resumed.conversation).toMatchObject({ status: 'assigned', assigneeName: 'Ada' })
  await expect
    .poll(() => notices.filter((n) => n.kind === 'assigned').map((n) => n.conversationId))
    .toEqual([conversationId])
  shopper.close()
  console.close()
})

it('holds an agent’s away on every node, counts their tabs on all of them, and routes when they are back', async () => {
  const [a, b] = await twoNodes(clusterEnv(db, redis), relays, { helpdesk: { offlineGraceMs: 100 } })
  const ada = await b.addAgent({ email: 'ada@example.com', name: 'Ada', capacity: 2 })
  const wes = await a.addAgent({ email: 'wes@example.com', name: 'Wes' })
  const watcher = await openConsole(a, wes.email)
  const onB = await openConsole(b, ada.email)
  await seen(a, ada.id, 'online')

  // Wes on A hears Ada's away, chosen on B, once: the node that made the change tells the consoles.
  const pushes = record<AgentSummary>(watcher, 'agent:presence')
  const away = await call<{ agent: AgentSummary }>(onB, 'agent:status', { status: 'away' })
  expect(away.agent.presence).toBe('away')
  await seen(a, ada.id, 'away')
  const { conversationId } = await shopperAsksForPerson(a)
  expect((await stored(a, conversationId)).status).toBe('queued')
  expect(pushes.filter((p) => p.id === ada.id).map((p) => p.presence)).toEqual(['away'])

  // A tab on A, then the one on B closes: her tab on A keeps her there, still away, past the grace.
  const onA = await openConsole(a, ada.email)
  onB.close()
  await new Promise((resolve) => setTimeout(resolve, 500))
  expect(a.app.parley.helpdesk.presence.presenceOf(ada.id)).toBe('away')
  expect(b.app.parley.helpdesk.presence.presenceOf(ada.id)).toBe('away')

  // Back online: she takes what waited.
  await call(onA, 'agent:status', { status: 'online' })
  await expect.poll(async () => (await stored(a, conversationId)).assigneeId).toBe(ada.id)
  await seen(b, ada.id, 'online')
  onA.close()
  watcher.close()
})

it('takes the agents of a node that died offline on the others, and their conversations back to the queue', async () => {
  const env = clusterEnv(db, redis)
  const [a] = await twoNodes(env, relays, { helpdesk: { offlineGraceMs: 100 } })
  const ada = await a.addAgent({ email: 'ada@example.com', name: 'Ada', capacity: 2 })

  // Node C is a real relay process, killed without a chance to say goodbye.
  const dataDir = await mkdtemp(path.join(tmpdir(), 'parley-node-c-'))
  const c = startRelayProcess({ ...env, PARLEY_DATA_DIR: dataDir })
  cleanups.push(async () => {
    c.child.kill('SIGKILL')
    await c.exited
    await rm(dataDir, { recursive: true, force: true })
  })
  const cUrl = await c.url
  const onC = await connectConsole(cUrl, await login(cUrl, 'ada@example.com', 'correct-horse-battery'))
  await seen(a, ada.id, 'online')
  const { shopper, conversationId } = await shopperAsksForPerson(a)
  expect((await stored(a, conversationId)).assigneeId).toBe(ada.id)

  const backToQueue = waitFor<WidgetConversation>(
    shopper,
    'conversation:updated',
    (conversation) => conversation.status === 'queued',
    25_000,
  )
  c.child.kill('SIGKILL')
  await c.exited
  // Nobody on A closed a socket: C's heartbeat lapses (3 × 3 s), then A's grace runs out.
  await backToQueue
  expect(a.app.parley.helpdesk.presence.presenceOf(ada.id)).toBe('offline')
  const events = await a.app.parley.store.listEvents(conversationId)
  expect(events.filter((e) => e.type === 'unassigned')).toEqual([
    expect.objectContaining({ data: expect.objectContaining({ reason: 'assignee_offline' }) }),
  ])
  onC.close()
  shopper.close()
}, 45_000)
