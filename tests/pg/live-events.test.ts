/**
 * Live events across two real relays ("nodes") that share one PostgreSQL schema and one Redis
 * (PARLEY_REDIS_URL: socket.io's Redis Streams adapter): the shopper's widget is on node A, the
 * agent's console on node B, and what happens on one node reaches the sockets of the other at once,
 * with no resume; who is viewing a conversation is read from both nodes. Each test has its own
 * schema and Redis prefix.
 */
import { afterAll, afterEach, expect, it } from 'vitest'
import type { InboxCounts, Viewers } from '../../shared/helpdesk.ts'
import type { ConversationSummary, Message, WidgetConversation } from '../../shared/protocol.ts'
import { clusterEnv, twoNodes } from '../support/cluster.ts'
import { connectTestDatabase } from '../support/postgres.ts'
import { connectTestRedis } from '../support/redis.ts'
import {
  call,
  clientId,
  connectConsole,
  connectWidget,
  login,
  queuedConversation,
  signedInAgent,
  type TestRelay,
  waitFor,
} from '../support/relay.ts'

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

it('delivers the shopper’s messages on node A to the console on node B live, and the agent’s take-over and reply back to the widget', async () => {
  const [a, b] = await twoNodes(clusterEnv(db, redis), relays)
  const agent = await signedInAgent(b, 'sam@example.com', 'Sam')
  const shopper = await connectWidget(a.url)

  // A new conversation on A appears in B's inbox.
  const appeared = waitFor<ConversationSummary>(agent, 'conversation:upserted', () => true)
  const sent = await call<{ conversation: WidgetConversation }>(shopper.socket, 'message:send', {
    clientId: clientId(),
    text: 'hello',
  })
  const conversationId = sent.conversation.id
  expect((await appeared).id).toBe(conversationId)

  // The handoff on A: B's inbox shows it queued, and B's counts (pushed by A, which finds B's
  // console with fetchSockets across the nodes) have it unassigned.
  const queued = waitFor<ConversationSummary>(
    agent,
    'conversation:upserted',
    (c) => c.id === conversationId && c.status === 'queued',
  )
  const counted = waitFor<InboxCounts>(agent, 'inbox:counts', (c) => c.unassigned === 1)
  await call(shopper.socket, 'message:send', {
    clientId: clientId(),
    conversationId,
    text: 'I need a real person',
  })
  await queued
  await counted

  // The agent opens it on B; the shopper's next message on A arrives there live.
  await call(agent, 'conversation:open', { conversationId })
  const heard = waitFor<Message>(agent, 'message:new', (m) => m.author === 'contact')
  await call(shopper.socket, 'message:send', {
    clientId: clientId(),
    conversationId,
    text: 'My order #1042 never arrived',
  })
  expect(await heard).toMatchObject({ conversationId, text: 'My order #1042 never arrived' })

  // A take-over on B is seen by the widget on A.
  const taken = waitFor<WidgetConversation>(
    shopper.socket,
    'conversation:updated',
    (c) => c.status === 'assigned',
  )
  await call(agent, 'conversation:claim', { conversationId })
  expect(await taken).toMatchObject({ id: conversationId, assigneeName: 'Sam' })

  // And the reply typed on B reaches the widget on A.
  const reply = waitFor<Message>(shopper.socket, 'message:new', (m) => m.author === 'agent')
  await call(agent, 'message:send', { conversationId, clientId: clientId(), text: 'Sam here, from node B' })
  expect(await reply).toMatchObject({ conversationId, text: 'Sam here, from node B', authorName: 'Sam' })

  shopper.socket.close()
  agent.close()
})

it('signing out on node A closes the consoles of that session on node B', async () => {
  const [a, b] = await twoNodes(clusterEnv(db, redis), relays)
  await a.addAgent({ email: 'sam@example.com', name: 'Sam' })
  const cookie = await login(a.url, 'sam@example.com', 'correct-horse-battery')
  const onB = await connectConsole(b.url, cookie)
  const closed = new Promise<string>((resolve) => onB.once('disconnect', resolve))
  const out = await fetch(`${a.url}/api/auth/logout`, { method: 'POST', headers: { cookie } })
  expect(out.status).toBe(200)
  // Ended by the server (through the adapter), not by a transport error.
  expect(await closed).toBe('io server disconnect')
})

it('shows agents viewing one conversation from two nodes to each other, and tells A when B’s last tab closes', async () => {
  const [a, b] = await twoNodes(clusterEnv(db, redis), relays)
  const ada = await signedInAgent(a, 'ada@example.com', 'Ada')
  const bo = await signedInAgent(b, 'bo@example.com', 'Bo')
  const { socket: shopper, conversationId } = await queuedConversation(a.url)
  const names = (v: Viewers) => v.viewers.map((agent) => agent.name)

  await call(ada, 'conversation:viewing', { conversationId, viewing: true })
  const adaSeesBo = waitFor<Viewers>(ada, 'conversation:viewers', (v) => v.viewers.length === 2)
  const both = await call<Viewers>(bo, 'conversation:viewing', { conversationId, viewing: true })
  expect(names(both)).toEqual(['Ada', 'Bo'])
  expect(names(await adaSeesBo)).toEqual(['Ada', 'Bo'])

  const boGone = waitFor<Viewers>(ada, 'conversation:viewers', (v) => v.viewers.length === 1)
  bo.close()
  expect(names(await boGone)).toEqual(['Ada'])
  shopper.close()
  ada.close()
})

it('lets the other nodes see a console socket’s agent without the password hash', async () => {
  const [a, b] = await twoNodes(clusterEnv(db, redis), relays)
  const bo = await signedInAgent(b, 'bo@example.com', 'Bo')
  // Node A asks every node for the console sockets: B's comes back over Redis.
  const sockets = await a.app.parley.io.of('/console').fetchSockets()
  expect(sockets.map((s) => s.data.agent?.name)).toEqual(['Bo'])
  expect(sockets[0]?.data.agent.passwordHash).toBe('')
  expect((await b.app.parley.store.getAgentByEmail('bo@example.com'))?.passwordHash).toMatch(/^scrypt\$/)
  bo.close()
})
