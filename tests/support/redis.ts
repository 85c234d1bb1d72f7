/**
 * Test support for the `cluster` vitest project: the test Redis (`PARLEY_TEST_REDIS_URL`, default the
 * local Redis of a dev or CI machine) and a fresh key prefix per test, so parallel runs on one Redis
 * never share a stream, a channel or a key (a database index would not do: pub/sub ignores it).
 * Unreachable means a loud failure, never skipped tests.
 */
import { randomBytes } from 'node:crypto'
import { createClient } from 'redis'
import { describeRedis } from '../../relay/cluster/redis.ts'

export const TEST_REDIS_URL = process.env.PARLEY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'

export interface TestRedis {
  url: string
  /** A client for checks the relay does not offer. */
  client: ReturnType<typeof createClient>
  /** A new prefix (`parley_test_<random>`) for `PARLEY_REDIS_PREFIX`; its keys are deleted by `end()`. */
  freshPrefix(): string
  /** Deletes the keys of every prefix this handed out, then disconnects. */
  end(): Promise<void>
}

/** Connects to the test Redis, or throws an error saying where it looked and what to set. */
export async function connectTestRedis(): Promise<TestRedis> {
  const client = createClient({
    url: TEST_REDIS_URL,
    socket: { connectTimeout: 5_000, reconnectStrategy: false },
  })
  client.on('error', () => undefined)
  try {
    await client.connect()
    await client.ping()
  } catch (cause) {
    client.destroy()
    const reason = cause instanceof Error ? cause.message || cause.name : String(cause)
    throw new Error(
      `Redis not reachable at ${describeRedis(TEST_REDIS_URL)} (${reason}); set PARLEY_TEST_REDIS_URL ` +
        'to a Redis this test run may write to, e.g. redis://127.0.0.1:6379',
    )
  }
  const prefixes = new Set<string>()
  return {
    url: TEST_REDIS_URL,
    client,
    freshPrefix() {
      const prefix = `parley_test_${randomBytes(6).toString('hex')}`
      prefixes.add(prefix)
      return prefix
    },
    async end() {
      for (const prefix of prefixes) {
        for await (const keys of client.scanIterator({ MATCH: `${prefix}:*`, COUNT: 100 })) {
          if (keys.length > 0) await client.del(keys)
        }
      }
      await client.close()
    },
  }
}
