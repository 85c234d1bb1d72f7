/**
 * The widget's rate limits behind one small interface, so that where they count is chosen at
 * start-up: in this process (`memoryLimiters`), or in Redis across every node with
 * `PARLEY_REDIS_URL` (relay/cluster/redis-rate-limits.ts `redisLimiters`).
 */
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible'

/** `points` attempts per key within `duration` seconds. */
export interface LimitOptions {
  points: number
  duration: number
}

/** Counts one kind of attempt per key. */
export interface Limiter {
  /** Counts one attempt: true while it is within the limit, false once it is over. */
  consume(key: string): Promise<boolean>
}

/** Makes the limiter of one kind of attempt; `name` keeps kinds apart where counters are shared. */
export type Limiters = (name: string, options: LimitOptions) => Limiter

/** A rate-limiter-flexible limiter as a Limiter: over the limit is `false`; a failure is thrown. */
export function limiterOf(limiter: RateLimiterAbstract): Limiter {
  return {
    async consume(key) {
      try {
        await limiter.consume(key)
        return true
      } catch (error) {
        if (error instanceof RateLimiterRes) return false
        throw error
      }
    },
  }
}

/** Limits counted in this process: each node counts its own attempts. */
export const memoryLimiters: Limiters = (_name, options) => limiterOf(new RateLimiterMemory(options))
