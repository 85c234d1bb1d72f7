import { once } from 'node:events'
import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import { connectRedis, describeRedis } from './redis.ts'

const log = { info() {}, warn() {}, error() {}, debug() {} }

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  server.close()
  await once(server, 'close')
  if (!address || typeof address !== 'object') throw new Error('no port')
  return address.port
}

describe('describeRedis', () => {
  it('names scheme, host, port and database, never the user or password', () => {
    expect(describeRedis('redis://parley:hunter2@cache.internal:6380/2')).toBe(
      'redis://cache.internal:6380/2',
    )
    expect(describeRedis('rediss://:hunter2@cache.internal')).toBe('rediss://cache.internal:6379/0')
    expect(describeRedis('not a url hunter2')).toBe('the configured Redis')
  })
})

describe('connectRedis', () => {
  it('fails at once with where and why (not the password) when nothing answers', async () => {
    const port = await closedPort()
    const started = Date.now()
    const failure = connectRedis(`redis://:hunter2@127.0.0.1:${port}/0`, log)
    await expect(failure).rejects.toThrow(
      `Redis not reachable at redis://127.0.0.1:${port}/0 (connect ECONNREFUSED 127.0.0.1:${port}); check PARLEY_REDIS_URL`,
    )
    await expect(failure).rejects.not.toThrow(/hunter2/)
    // No retrying at start-up: the relay says so instead of hanging.
    expect(Date.now() - started).toBeLessThan(3000)
  })
})
