/**
 * Rate limits counted in Redis with `PARLEY_REDIS_URL`, so an attempt counts on every node: the
 * login limit (a store for @fastify/rate-limit) and the widget's limits (rate-limiter-flexible's
 * Redis limiter behind relay/sockets/limits.ts). Keys live under `PREFIX:limit:`. While Redis is not
 * reachable each node counts on its own, in memory, as a single node does: logins and widgets keep
 * working and stay limited, per node, instead of waiting for Redis or going unlimited.
 */
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit'
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible'
import type { Logger } from '../conversations/service.ts'
import { type Limiters, limiterOf } from '../sockets/limits.ts'
import type { RedisClient } from './redis.ts'

/**
 * One fixed window per key: the first attempt starts it (INCR, then PEXPIRE), later ones count
 * within it; a key left without an expiry gets one. Returns the count and the window's ms left.
 */
const INCR = `
local current = redis.call('INCR', KEYS[1])
if current == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {current, ttl}
`

type Counted = { current: number; ttl: number }
type IncrCallback = (error: Error | null, result?: Counted) => void

/** Per-node counts for while Redis is away, one memory limiter per window length. */
class LocalCounts {
  readonly #byWindow = new Map<number, RateLimiterMemory>()

  async incr(key: string, timeWindow: number): Promise<Counted> {
    let limiter = this.#byWindow.get(timeWindow)
    if (!limiter) {
      // `points` does not matter: penalty() only counts, the plugin compares with its max.
      limiter = new RateLimiterMemory({ points: 1, duration: timeWindow / 1000 })
      this.#byWindow.set(timeWindow, limiter)
    }
    const res = await limiter.penalty(key, 1)
    return { current: res.consumedPoints, ttl: res.msBeforeNext }
  }
}

export interface RedisRateLimitOptions {
  client: RedisClient
  /** `PARLEY_REDIS_PREFIX`. */
  prefix: string
  log: Logger
}

/**
 * A @fastify/rate-limit store (its `store` option) counting in Redis: a route's limit counts the
 * attempts of one client on every node. Keys: `PREFIX:limit:http:METHOD/url:client`. Fixed windows
 * only: `continueExceeding` and `exponentialBackoff` are refused rather than ignored.
 */
export function redisRateLimitStore(options: RedisRateLimitOptions): FastifyRateLimitStoreCtor {
  const { client, log } = options
  const local = new LocalCounts()

  /** Counts in Redis, or on this node while Redis is not connected or a count fails. */
  async function count(key: string, timeWindow: number): Promise<Counted> {
    // Not connected: the client would queue the command until it is, and the request would wait.
    if (!client.isReady) return local.incr(key, timeWindow)
    try {
      const reply = await client.eval(INCR, { keys: [key], arguments: [String(timeWindow)] })
      const [current, ttl] = reply as [number, number]
      return { current, ttl }
    } catch (error) {
      log.error({ err: error }, 'rate limit: Redis count failed, counting on this node')
      return local.incr(key, timeWindow)
    }
  }

  return class RedisRateLimitStore implements FastifyRateLimitStore {
    readonly #key: string

    constructor(params: { continueExceeding?: boolean; exponentialBackoff?: boolean }, key?: string) {
      if (params.continueExceeding || params.exponentialBackoff)
        throw new Error('redis rate limit store: continueExceeding and exponentialBackoff are not supported')
      this.#key = key ?? `${options.prefix}:limit:http:`
    }

    incr(key: string, callback: IncrCallback, timeWindow: number): void {
      count(`${this.#key}${key}`, timeWindow).then(
        (result) => callback(null, result),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      )
    }

    /** A route's own store: its counts apart from every other route's. */
    child(routeOptions: Parameters<FastifyRateLimitStore['child']>[0]): FastifyRateLimitStore {
      // The plugin passes the route as `routeInfo` (its types do not say so).
      const params = routeOptions as { continueExceeding?: boolean; exponentialBackoff?: boolean }
      const route = (routeOptions as { routeInfo?: { method?: unknown; url?: unknown } }).routeInfo
      const method = Array.isArray(route?.method) ? route.method.join(',') : String(route?.method ?? '')
      return new RedisRateLimitStore(params, `${this.#key}${method}${String(route?.url ?? '')}:`)
    }
  }
}

/**
 * The widget's limits in Redis (`PREFIX:limit:NAME:key`), each with a per-node memory limiter of
 * the same size that counts while Redis is not connected.
 */
export function redisLimiters(options: Pick<RedisRateLimitOptions, 'client' | 'prefix'>): Limiters {
  return (name, limit) =>
    limiterOf(
      new RateLimiterRedis({
        ...limit,
        storeClient: options.client,
        useRedisPackage: true,
        keyPrefix: `${options.prefix}:limit:${name}`,
        // Fail over at once rather than queue behind a reconnecting client.
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory(limit),
      }),
    )
}
