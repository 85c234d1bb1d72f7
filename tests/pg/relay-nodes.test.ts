/**
 * Two real relays ("nodes") on one PostgreSQL schema via PARLEY_DATABASE_URL and no Redis: what one
 * stores the other serves. Without PARLEY_REDIS_URL live socket events do not cross nodes, so the
 * shopper picks the agent's reply up with a resume, as after a reconnect to another node (with
 * Redis they arrive live: live-events.test.ts).
 */
import { afterAll, afterEach, expect, it } from 'vitest'
import { PgStore } from '../../relay/store/pg-store.ts'
import type { Message, WidgetConversation } from '../../shared/protocol.ts'
import { connectTestDatabase } from '../support/postgres.ts'
import {
  call,
  clientId,
  queuedConversation,
  signedInAgent,
  startRelay,
  type TestRelay,
} from '../support/relay.ts'

const db = await connectTestDatabase()
afterAll(() => db.end())

const relays: TestRelay[] = []
afterEach(async () => {
  for (const relay of relays.splice(0)) await relay.close()
})

it('keeps a conversation in PostgreSQL that a shopper on one node and an agent on another share', async () => {
  const schema = db.freshSchema()
  const env = {
    PARLEY_DATABASE_URL: db.url,
    PARLEY_DATABASE_SCHEMA: schema,
    // Shopper tokens are signed: every node needs the same secret.
    PARLEY_SECRET: 'a shared secret of the cluster, long enough',
  }
  const a = await startRelay(env)
  relays.push(a)
  const b = await startRelay(env)
  relays.push(b)
  expect(a.app.parley.store).toBeInstanceOf(PgStore)

  const shopper = await queuedConversation(a.url, 'I need a real person')
  const agent = await signedInAgent(b, 'sam@example.com', 'Sam')
  const { conversationId } = shopper
  await call(agent, 'conversation:claim', { conversationId })
  await call(agent, 'message:send', { conversationId, clientId: clientId(), text: 'Sam here, from node B' })

  const resumed = await call<{ messages: Message[]; conversation: WidgetConversation }>(
    shopper.socket,
    'conversation:resume',
    { conversationId, afterSeq: 0 },
  )
  expect(resumed.conversation.status).toBe('assigned')
  expect(resumed.messages.at(-1)?.text).toBe('Sam here, from node B')
  expect(resumed.messages.map((m) => m.seq)).toEqual(resumed.messages.map((_, i) => i + 1))

  const direct = new PgStore({ connectionString: db.url, schema })
  await direct.init()
  expect((await direct.getConversation(conversationId))?.assigneeName).toBe('Sam')
  await direct.close()
  shopper.socket.close()
  agent.close()
})
