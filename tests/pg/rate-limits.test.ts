/**
 * Rate limits across two real relays ("nodes") sharing one Redis (PARLEY_REDIS_URL): the login
 * limit and the widget's limits count every node's attempts; while Redis is not connected, each
 * node still limits on its own. Each test has its own schema and Redis prefix.
 */
import fastifyRateLimit from '@fastify/rate-limit'
import Fastify from 'fastify'
import { createClient } from 'redis'
import { afterAll, afterEach, expect, it } from 'vitest'
import { redisLimiters, redisRateLimitStore } from '../../relay/cluster/redis-rate-limits.ts'
import { clusterEnv, twoNodes } from '../support/cluster.ts'
import { connectTestDatabase } from '../support/postgres.ts'
import { connectTestRedis } from '../support/redis.ts'
import { connectWidget, request, type TestRelay } from '../support/relay.ts'

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

/** One sign-in attempt over HTTP: its status and error code. */
async function attempt(url: string, password: string): Promise<[number, string | undefined]> {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'sam@example.com', password }),
  })
  const body = (await response.json()) as { error?: { code?: string } }
  return [response.status, body.error?.code]
}

it('refuses the 11th sign-in attempt on either node once 10 failed ones were spread over both', async () => {
  const env = clusterEnv(db, redis)
  const [a, b] = await twoNodes(env, relays)
  await a.addAgent({ email: 'sam@example.com', name: 'Sam' })
  const failed: Array<[number, string | undefined]> = []
  for (let i = 0; i < 10; i++) failed.push(await attempt(i % 2 === 0 ? a.url : b.url, `guess-${i}`))
  expect(failed).toEqual(Array.from({ length: 10 }, () => [401, 'unauthorized']))
  // Each node saw only five: a per-node limit of 10 would let both of these through.
  expect(await attempt(a.url, 'correct-horse-battery')).toEqual([429, 'rate_limited'])
  expect(await attempt(b.url, 'correct-horse-battery')).toEqual([429, 'rate_limited'])
  const keys = await redis.client.keys(`${env.PARLEY_REDIS_PREFIX}:limit:http:*`)
  expect(keys).toEqual([`${env.PARLEY_REDIS_PREFIX}:limit:http:POST/api/auth/login:127.0.0.1`])
})

it('counts a shopper’s left email addresses on both nodes: the 6th in a minute is refused on either', async () => {
  const [a, b] = await twoNodes(clusterEnv(db, redis), relays)
  const onA = await connectWidget(a.url)
  // The same shopper (their token) on the other node.
  const onB = await connectWidget(b.url, { token: onA.token })
  expect(onB.contactId).toBe(onA.contactId)
  const acks = []
  for (let i = 0; i < 5; i++) {
    const socket = i % 2 === 0 ? onA.socket : onB.socket
    acks.push(await request(socket, 'contact:email', { email: `shopper${i}@example.com` }))
  }
  expect(acks.map((ack) => ack.ok)).toEqual([true, true, true, true, true])
  for (const socket of [onA.socket, onB.socket]) {
    expect(await request(socket, 'contact:email', { email: 'again@example.com' })).toMatchObject({
      ok: false,
      error: { code: 'rate_limited' },
    })
  }
  onA.socket.close()
  onB.socket.close()
})

it('limits on this node alone while Redis is not connected, neither waiting for it nor letting attempts through', async () => {
  const client = createClient({ url: redis.url })
  await client.connect()
  await client.close()
  expect(client.isReady).toBe(false)
  const errors: unknown[] = []
  const log = { info: () => undefined, error: (obj: object) => errors.push(obj) }
  const prefix = redis.freshPrefix()

  const app = Fastify()
  await app.register(fastifyRateLimit, { global: false, store: redisRateLimitStore({ client, prefix, log }) })
  app.post('/login', { config: { rateLimit: { max: 10, timeWindow: '1 minute' } } }, async () => ({
    ok: true,
  }))
  const codes: number[] = []
  for (let i = 0; i < 12; i++) codes.push((await app.inject({ method: 'POST', url: '/login' })).statusCode)
  expect(codes).toEqual([...Array.from({ length: 10 }, () => 200), 429, 429])
  await app.close()

  const emails = redisLimiters({ client, prefix })('contact-email', { points: 5, duration: 60 })
  const allowed: boolean[] = []
  for (let i = 0; i < 6; i++) allowed.push(await emails.consume('demo:ctc_1'))
  expect(allowed).toEqual([true, true, true, true, true, false])
  expect(errors).toEqual([])
})
