/**
 * One node at a time runs the helpdesk's periodic work (queue fill, no-answer reassignment, SLA
 * checks and warnings), so a warning is sent once, not once per node. The lock is a Redis key set
 * with NX and an expiry, renewed by its holder at every tick; a holder that dies or loses Redis lets
 * it lapse, and another node takes it at its next tick.
 */
import { randomUUID } from 'node:crypto'
import type { RedisClient } from './redis.ts'

/** Takes the lock if free, renews it if this node holds it: 1 when this node holds it now. */
const TAKE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
return 0
`

/** Lets the lock go only if this node still holds it. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`

/** Ticks a holder may miss before the lock lapses. */
const LAPSE_TICKS = 3
/** The shortest lapse, whatever the tick (a tick may take a while on a large queue). */
const MIN_LAPSE_MS = 1_000

export interface TickLockOptions {
  client: RedisClient
  /** `PARLEY_REDIS_PREFIX`. */
  prefix: string
  tickMs: number
}

export class RedisTickLock {
  readonly #client: RedisClient
  readonly #key: string
  readonly #holder = randomUUID()
  readonly #lapseMs: number

  constructor(options: TickLockOptions) {
    this.#client = options.client
    this.#key = `${options.prefix}:helpdesk:tick-lock`
    this.#lapseMs = Math.max(MIN_LAPSE_MS, options.tickMs * LAPSE_TICKS)
  }

  /** Whether this node runs this tick: takes or renews the lock. */
  async held(): Promise<boolean> {
    const reply = await this.#client.eval(TAKE, {
      keys: [this.#key],
      arguments: [this.#holder, String(this.#lapseMs)],
    })
    return Number(reply) === 1
  }

  /** On shutdown: another node may take the lock at its next tick instead of after the lapse. */
  async release(): Promise<void> {
    await this.#client.eval(RELEASE, { keys: [this.#key], arguments: [this.#holder] })
  }
}
