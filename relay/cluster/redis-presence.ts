/**
 * Agents' presence shared by every node through Redis (`PARLEY_REDIS_URL`), behind the same
 * `AgentPresence` as the in-memory tracker. Each node writes how many console sockets of each agent
 * it holds and renews a heartbeat; an agent is online (or away) while a live node counts a socket,
 * offline once none has for the grace period. A node that crashes stops renewing: once its
 * heartbeat lapses its counts stop counting, and its agents go offline after the grace like any others.
 *
 * Changes are decided in Redis scripts (relay/cluster/presence-scripts.ts), so exactly one node makes
 * each one: that node's listeners get it as `local` (it routes and tells the consoles) and it
 * publishes it; the other nodes update what they read and hear it as not local. Reads are
 * synchronous, from this node's copy, which the heartbeat also brings up to date.
 */
import { randomUUID } from 'node:crypto'
import type { AgentSummary, Presence } from '../../shared/helpdesk.ts'
import type { Logger } from '../conversations/service.ts'
import {
  type AgentPresence,
  agentSummary,
  DEFAULT_OFFLINE_GRACE_MS,
  type PresenceChange,
  type PresenceOptions,
} from '../routing/presence.ts'
import type { Agent } from '../store/types.ts'
import { DEPART, JOIN, LEAVE, SETTLE, STATUS, SWEEP } from './presence-scripts.ts'
import type { RedisClient } from './redis.ts'

/** How often a node renews its heartbeat and re-reads everyone's presence. */
export const DEFAULT_HEARTBEAT_MS = 3_000
/** A node whose heartbeat is this many intervals old is taken for dead. */
const LAPSE_HEARTBEATS = 3

export interface RedisPresenceOptions extends PresenceOptions {
  client: RedisClient
  /** `PARLEY_REDIS_PREFIX`. */
  prefix: string
  /** An agent's record, for changes other nodes made (they publish only the id). */
  getAgent(agentId: string): Promise<Agent | null>
  log: Logger
  heartbeatMs?: number
}

interface Known {
  presence: Presence
  version: number
  siteIds: string[]
}

/** What a node publishes after a change it made. */
interface Published {
  node: string
  agentId: string
  from: Presence
  to: Presence
  version: number
  siteIds: string[]
}

const PRESENCES: readonly Presence[] = ['online', 'away', 'offline']

function presence(value: unknown): Presence {
  return PRESENCES.includes(value as Presence) ? (value as Presence) : 'offline'
}

function sites(value: unknown): string[] {
  try {
    const parsed: unknown = JSON.parse(String(value))
    return Array.isArray(parsed) ? parsed.filter((s): s is string => typeof s === 'string') : []
  } catch {
    return []
  }
}

export class RedisPresence implements AgentPresence {
  /** This process in the cluster: new at every start, so a restarted node never counts a dead one's sockets. */
  readonly node = randomUUID()
  readonly #options: RedisPresenceOptions
  readonly #graceMs: number
  readonly #heartbeatMs: number
  readonly #channel: string
  readonly #known = new Map<string, Known>()
  /** This node's console sockets per agent. */
  readonly #sockets = new Map<string, Set<string>>()
  /** Agents this node waits on to settle (go offline once the grace is over). */
  readonly #settling = new Map<string, ReturnType<typeof setTimeout>>()
  readonly #listeners = new Set<(change: PresenceChange) => void>()
  #subscriber: RedisClient | null = null
  #heartbeat: ReturnType<typeof setInterval> | undefined
  #sweeping: Promise<void> | null = null
  #closed = false

  constructor(options: RedisPresenceOptions) {
    this.#options = options
    this.#graceMs = options.offlineGraceMs ?? DEFAULT_OFFLINE_GRACE_MS
    this.#heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS
    this.#channel = `${options.prefix}:presence`
  }

  subscribe(listener: (change: PresenceChange) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** Joins the cluster: listens for other nodes' changes, then reads everyone's presence. */
  async start(): Promise<void> {
    const subscriber = this.#options.client.duplicate()
    subscriber.on('error', (error: unknown) =>
      this.#options.log.error({ err: error }, 'redis presence: subscriber connection failed'),
    )
    await subscriber.connect()
    await subscriber.subscribe(this.#channel, (message) => this.#heard(message))
    this.#subscriber = subscriber
    await this.#sweep()
    this.#heartbeat = setInterval(() => void this.#sweep(), this.#heartbeatMs)
    this.#heartbeat.unref?.()
  }

  connect(agent: Agent, socketId: string): void {
    if (this.#closed) return
    const sockets = this.#sockets.get(agent.id) ?? new Set<string>()
    sockets.add(socketId)
    this.#sockets.set(agent.id, sockets)
    this.#run(JOIN, [agent.id, this.node, String(sockets.size), JSON.stringify(agent.siteIds)])
      .then((reply) => this.#changed(agent, reply))
      .catch((error: unknown) => this.#failed('join', agent.id, error))
  }

  disconnect(agentId: string, socketId: string): void {
    const sockets = this.#sockets.get(agentId)
    if (!sockets || this.#closed) return
    sockets.delete(socketId)
    if (sockets.size === 0) this.#sockets.delete(agentId)
    this.#run(LEAVE, [agentId, this.node, String(sockets.size)])
      .then((total) => {
        if (Number(total) === 0) this.#settleLater(agentId, this.#graceMs)
      })
      .catch((error: unknown) => this.#failed('leave', agentId, error))
  }

  async setStatus(agent: Agent, status: 'online' | 'away'): Promise<AgentSummary> {
    if (!this.#closed) {
      const reply = await this.#run(STATUS, [agent.id, status])
      this.#changed(agent, reply)
    }
    return this.summarize(agent)
  }

  presenceOf(agentId: string): Presence {
    return this.#known.get(agentId)?.presence ?? 'offline'
  }

  anyOnline(siteId: string): boolean {
    for (const known of this.#known.values()) {
      if (known.presence === 'online' && known.siteIds.includes(siteId)) return true
    }
    return false
  }

  onlineAgentIds(): string[] {
    return [...this.#known].filter(([, k]) => k.presence === 'online').map(([id]) => id)
  }

  summarize(agent: Agent): AgentSummary {
    return agentSummary(agent, this.presenceOf(agent.id), this.#options.load(agent.id))
  }

  /**
   * Leaves the cluster: this node's counts go at once (the other nodes settle its agents after the
   * grace), and presence no longer changes here. The shared client is the caller's to close.
   */
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    clearInterval(this.#heartbeat)
    for (const timer of this.#settling.values()) clearTimeout(timer)
    this.#settling.clear()
    await this.#sweeping
    try {
      await this.#run(DEPART, [this.node, JSON.stringify([...this.#sockets.keys()])])
    } catch (error) {
      this.#options.log.error({ err: error }, 'redis presence: could not leave the cluster')
    }
    await this.#subscriber?.close()
  }

  #run(script: string, args: string[]): Promise<unknown> {
    return this.#options.client.eval(script, { arguments: [this.#options.prefix, ...args] })
  }

  #failed(what: string, agentId: string, error: unknown): void {
    // The next heartbeat re-asserts this node's counts and re-reads everyone's presence.
    this.#options.log.error({ err: error, agentId }, `redis presence: ${what} failed`)
  }

  /** Applies a script's {from, to, v, sites} for a change this node made. */
  #changed(agent: Agent, reply: unknown): void {
    const [from, to, version, siteIds] = reply as [string, string, number | string, string]
    this.#learn(agent, presence(from), presence(to), Number(version), sites(siteIds), true)
  }

  /** Records a state; announces it when it changes what this node knew. */
  #learn(
    agent: Agent | string,
    from: Presence,
    to: Presence,
    version: number,
    siteIds: string[],
    local: boolean,
  ): void {
    const id = typeof agent === 'string' ? agent : agent.id
    const known = this.#known.get(id)
    const before = known?.presence ?? 'offline'
    // An older state (a message that crossed a newer one) is not recorded.
    const stale = known !== undefined && known.version > version
    if (!stale) this.#known.set(id, { presence: to, version, siteIds })
    // Another node's stale news changes nothing; a change this node made is still acted on.
    if (stale && !local) return
    if (local && from !== to) {
      const message: Published = { node: this.node, agentId: id, from, to, version, siteIds }
      this.#options.client
        .publish(this.#channel, JSON.stringify(message))
        .catch((error: unknown) => this.#failed('publish', id, error))
    }
    // A change this node made is announced even if a message told of it first; another's once.
    if (local ? from === to : before === to) return
    const announce = (record: Agent) => {
      if (this.#closed) return
      const change: PresenceChange = { agent: record, from: local ? from : before, to, local }
      for (const listener of this.#listeners) listener(change)
    }
    if (typeof agent !== 'string') {
      announce(agent)
      return
    }
    this.#options.getAgent(id).then(
      (record) => {
        if (record) announce(record)
      },
      (error: unknown) => this.#failed('agent lookup', id, error),
    )
  }

  /** Another node's change. */
  #heard(raw: string): void {
    let message: Published
    try {
      message = JSON.parse(raw) as Published
    } catch {
      return
    }
    if (message.node === this.node || typeof message.agentId !== 'string') return
    this.#learn(
      message.agentId,
      presence(message.from),
      presence(message.to),
      Number(message.version),
      Array.isArray(message.siteIds) ? message.siteIds : [],
      false,
    )
  }

  /** Asks Redis to settle the agent once `ms` have passed (offline if no live node counts a socket by then). */
  #settleLater(agentId: string, ms: number): void {
    if (this.#closed || this.#settling.has(agentId)) return
    const timer = setTimeout(() => {
      this.#settling.delete(agentId)
      if (this.#closed) return
      this.#run(SETTLE, [agentId, String(this.#graceMs)])
        .then(async (reply) => {
          const [from, to, version, siteIds, wait] = reply as [string, string, number, string, number]
          if (Number(wait) > 0) this.#settleLater(agentId, Number(wait))
          if (from === to) return
          const agent = await this.#options.getAgent(agentId)
          this.#learn(agent ?? agentId, presence(from), presence(to), Number(version), sites(siteIds), true)
        })
        .catch((error: unknown) => this.#failed('settle', agentId, error))
    }, ms)
    timer.unref?.()
    this.#settling.set(agentId, timer)
  }

  /** The heartbeat: renews this node, settles everyone and brings this node's copy up to date. */
  #sweep(): Promise<void> {
    if (this.#closed) return Promise.resolve()
    this.#sweeping ??= this.#sweepOnce()
      .catch((error: unknown) => this.#options.log.error({ err: error }, 'redis presence: heartbeat failed'))
      .finally(() => {
        this.#sweeping = null
      })
    return this.#sweeping
  }

  async #sweepOnce(): Promise<void> {
    const counts = Object.fromEntries([...this.#sockets].map(([id, sockets]) => [id, sockets.size]))
    const reply = (await this.#run(SWEEP, [
      this.node,
      String(this.#heartbeatMs * LAPSE_HEARTBEATS),
      String(this.#graceMs),
      JSON.stringify(counts),
    ])) as string[]
    const [counter, ...rows] = reply
    const listed = new Set<string>()
    for (let i = 0; i + 5 < rows.length; i += 6) {
      const [id = '', from, to, version, siteIds, wait] = rows.slice(i, i + 6)
      listed.add(id)
      if (Number(wait) > 0) this.#settleLater(id, Number(wait))
      const made = from !== to
      const agent = made ? ((await this.#options.getAgent(id)) ?? id) : id
      this.#learn(agent, presence(from), presence(to), Number(version), sites(siteIds), made)
    }
    // Not listed: offline, unless this node heard of something newer since.
    for (const [id, known] of this.#known) {
      if (!listed.has(id) && known.presence !== 'offline' && known.version <= Number(counter))
        this.#learn(id, known.presence, 'offline', Number(counter), known.siteIds, false)
    }
  }
}
