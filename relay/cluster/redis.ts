/**
 * The relay's Redis when `PARLEY_REDIS_URL` is set: one client, shared by socket.io's Redis Streams
 * adapter (rooms span nodes) and cluster presence (relay/cluster/redis-presence.ts). Start-up fails
 * with a clear message when Redis cannot be reached; once connected, the client reconnects with a
 * capped backoff (meanwhile it queues commands, so live events wait rather than get lost).
 */
import { createAdapter } from '@socket.io/redis-streams-adapter'
import { createClient } from 'redis'
import type { Logger } from '../conversations/service.ts'

export type RedisClient = ReturnType<typeof createClient>

/** How long one connection attempt may take. */
const CONNECT_TIMEOUT_MS = 5_000
/** The longest wait between reconnection attempts once the relay runs. */
const MAX_RECONNECT_DELAY_MS = 5_000

/** `host:port/db` of a Redis URL, never its user or password (for logs and errors). */
export function describeRedis(url: string): string {
  try {
    const parsed = new URL(url)
    const db = parsed.pathname.replace(/^\/+/, '') || '0'
    return `${parsed.protocol}//${parsed.hostname || 'localhost'}:${parsed.port || '6379'}/${db}`
  } catch {
    return 'the configured Redis'
  }
}

function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  // Node's connection errors to a name with two addresses are an AggregateError without a message.
  const code = (error as NodeJS.ErrnoException).code
  const inner = error instanceof AggregateError ? error.errors[0] : undefined
  return error.message || (inner instanceof Error && inner.message) || code || error.name
}

/**
 * Connects to Redis, or throws an error naming where (without credentials) and why. Errors after
 * that are logged while the client reconnects.
 */
export async function connectRedis(url: string, log: Logger): Promise<RedisClient> {
  let started = false
  const client = createClient({
    url,
    socket: {
      connectTimeout: CONNECT_TIMEOUT_MS,
      // At start-up a failure is final (the relay must not come up without the cluster); later it is retried.
      reconnectStrategy: (retries, cause) =>
        started ? Math.min(50 * 2 ** Math.min(retries, 7), MAX_RECONNECT_DELAY_MS) : cause,
    },
  })
  client.on('error', (error: unknown) => {
    if (started)
      log.error({ err: error, redis: describeRedis(url) }, 'redis: connection failed, reconnecting')
  })
  try {
    await client.connect()
  } catch (error) {
    const cause = (error as { originalError?: unknown; socketError?: unknown }).socketError ?? error
    throw new Error(
      `Redis not reachable at ${describeRedis(url)} (${reasonOf(cause)}); check PARLEY_REDIS_URL`,
    )
  }
  started = true
  return client
}

/** socket.io's Redis Streams adapter with every stream and channel under `prefix`. */
export function redisAdapter(client: RedisClient, prefix: string) {
  return createAdapter(client, { streamName: `${prefix}:socket.io`, channelPrefix: `${prefix}:socket.io` })
}
