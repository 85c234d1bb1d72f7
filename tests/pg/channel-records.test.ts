/**
 * The messaging channels' records in PostgreSQL: two real relays on one schema share them, so the
 * same message id delivered to both nodes at the same moment is stored once, and a webhook that
 * reaches either node finds the contact the other recorded.
 */
import { afterAll, afterEach, expect, it } from 'vitest'
import { sign } from '../../relay/channels/api/signature.ts'
import { connectTestDatabase } from '../support/postgres.ts'
import { startRelay, type TestRelay } from '../support/relay.ts'

const db = await connectTestDatabase()
afterAll(() => db.end())

const SECRET = 'generic-webhook-secret-for-tests'
const relays: TestRelay[] = []
afterEach(async () => {
  for (const relay of relays.splice(0)) await relay.close()
})

function post(relay: TestRelay, body: object): Promise<Response> {
  const raw = JSON.stringify(body)
  const timestamp = String(Math.floor(Date.now() / 1000))
  return fetch(`${relay.url}/webhooks/api`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-parley-timestamp': timestamp,
      'x-parley-signature': sign(SECRET, timestamp, raw),
    },
    body: raw,
  })
}

it('stores a message id delivered to two nodes at the same moment once, and either node knows the sender', async () => {
  const env = {
    PARLEY_DATABASE_URL: db.url,
    PARLEY_DATABASE_SCHEMA: db.freshSchema(),
    PARLEY_SECRET: 'a shared secret of the cluster, long enough',
    PARLEY_API_WEBHOOK_SECRET: SECRET,
  }
  const a = await startRelay(env)
  relays.push(a)
  const b = await startRelay(env)
  relays.push(b)

  const conversationIds = new Set<string>()
  for (let round = 0; round < 5; round++) {
    const body = { id: `sms-${round}`, from: '+33612345678', text: `Message ${round}` }
    const responses = await Promise.all([post(a, body), post(b, body), post(a, body), post(b, body)])
    // 202 for the delivery that stored the message, 200 for the duplicates.
    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 202])
    const answers = await Promise.all(
      responses.map(
        async (r) =>
          ((await r.json()) as { data: { conversationId: string; messageId: string; duplicate: boolean } })
            .data,
      ),
    )
    expect(answers.filter((d) => !d.duplicate)).toHaveLength(1)
    expect(new Set(answers.map((d) => d.messageId)).size).toBe(1)
    for (const answer of answers) conversationIds.add(answer.conversationId)
  }
  // One sender, one conversation, whichever node each delivery reached.
  expect(conversationIds.size).toBe(1)
  const texts = (await b.app.parley.store.listMessages([...conversationIds][0] ?? ''))
    .filter((m) => m.author === 'contact')
    .map((m) => m.text)
  expect(texts).toEqual(['Message 0', 'Message 1', 'Message 2', 'Message 3', 'Message 4'])
})
