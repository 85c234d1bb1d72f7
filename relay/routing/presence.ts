/**
 * Agents' presence: online or away as they chose it (`agent:status`) while at least one console
 * socket of theirs is connected, offline once the last one has been gone for a short grace period
 * (a page reload must not send all their conversations back to the queue).
 *
 * Everything reads it through `AgentPresence`. One node: `PresenceTracker` below counts sockets in
 * memory. Several nodes (`PARLEY_REDIS_URL`): relay/cluster/redis-presence.ts keeps the counts of
 * every node in Redis, so each node's routing sees agents connected to any of them.
 */
import type { AgentSummary, Presence } from '../../shared/helpdesk.ts'
import type { Agent } from '../store/types.ts'

/** The capacity new agents get (the console's and `agent:add`'s default). */
export const DEFAULT_CAPACITY = 5

/**
 * Concurrent conversations auto-assignment gives the agent. A record without one (made before
 * routing existed, or the bootstrap admin) gets none: such agents take conversations by hand until
 * an admin sets their capacity, so turning routing on never floods someone who was not set up for it.
 */
export function capacityOf(agent: Pick<Agent, 'capacity'>): number {
  return agent.capacity ?? 0
}
/** How long after the last console socket closed an agent still counts as there. */
export const DEFAULT_OFFLINE_GRACE_MS = 10_000

/** An agent as other agents see them. */
export function agentSummary(agent: Agent, presence: Presence, load: number): AgentSummary {
  return {
    id: agent.id,
    name: agent.name,
    email: agent.email,
    role: agent.role,
    presence,
    skills: agent.skills ?? [],
    languages: agent.languages ?? [],
    teamId: agent.teamId ?? null,
    capacity: capacityOf(agent),
    load,
  }
}

export interface PresenceChange {
  agent: Agent
  from: Presence
  to: Presence
  /**
   * This node made the change (routing and the `agent:presence` push act on it); false: another
   * node did and acts on it, this one only learned of it.
   */
  local: boolean
}

/** Presence as routing, the console and the widget's availability read it (reads are synchronous). */
export interface AgentPresence {
  /** Called after every change of an agent's presence; returns the unsubscribe function. */
  subscribe(listener: (change: PresenceChange) => void): () => void
  /** A console socket of the agent connected (to this node). */
  connect(agent: Agent, socketId: string): void
  /** A console socket of the agent disconnected; the last one anywhere starts the grace period. */
  disconnect(agentId: string, socketId: string): void
  /** The agent chose online or away (from any of their tabs). */
  setStatus(agent: Agent, status: 'online' | 'away'): AgentSummary | Promise<AgentSummary>
  presenceOf(agentId: string): Presence
  /** Whether any agent of the site is online (away does not count: they take nothing new). */
  anyOnline(siteId: string): boolean
  /** Agents with presence online. */
  onlineAgentIds(): string[]
  /** An agent record as an AgentSummary with their presence and load now (for `agents:list`). */
  summarize(agent: Agent): AgentSummary
  /** Before the relay serves: reads what other nodes know (a no-op in memory). */
  start(): Promise<void>
  /** Presence no longer changes (the relay is shutting down). */
  close(): Promise<void>
}

export interface PresenceOptions {
  /** Open conversations assigned to the agent now (relay/routing/load.ts). */
  load(agentId: string): number
  offlineGraceMs?: number
}

interface Entry {
  agent: Agent
  sockets: Set<string>
  /** What the agent chose; kept across tabs and through the grace period. */
  chosen: 'online' | 'away'
  presence: Presence
  offlineTimer: ReturnType<typeof setTimeout> | undefined
}

/** Presence in this process's memory: the one-node default. */
export class PresenceTracker implements AgentPresence {
  readonly #entries = new Map<string, Entry>()
  readonly #listeners = new Set<(change: PresenceChange) => void>()
  readonly #load: (agentId: string) => number
  readonly #graceMs: number
  #closed = false

  constructor(options: PresenceOptions) {
    this.#load = options.load
    this.#graceMs = options.offlineGraceMs ?? DEFAULT_OFFLINE_GRACE_MS
  }

  /** Called after every change of an agent's presence; returns the unsubscribe function. */
  subscribe(listener: (change: PresenceChange) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** A console socket of the agent connected. */
  connect(agent: Agent, socketId: string): void {
    if (this.#closed) return
    const entry = this.#entries.get(agent.id)
    if (entry) {
      clearTimeout(entry.offlineTimer)
      entry.offlineTimer = undefined
      entry.agent = agent
      entry.sockets.add(socketId)
      // Back within the grace period: still what they chose; after it: online again.
      if (entry.presence === 'offline') this.#set(entry, entry.chosen)
      return
    }
    const created: Entry = {
      agent,
      sockets: new Set([socketId]),
      chosen: 'online',
      presence: 'offline',
      offlineTimer: undefined,
    }
    this.#entries.set(agent.id, created)
    this.#set(created, 'online')
  }

  /** A console socket of the agent disconnected; the last one starts the grace period. */
  disconnect(agentId: string, socketId: string): void {
    const entry = this.#entries.get(agentId)
    if (!entry || this.#closed) return
    entry.sockets.delete(socketId)
    if (entry.sockets.size > 0 || entry.offlineTimer !== undefined) return
    entry.offlineTimer = setTimeout(() => {
      entry.offlineTimer = undefined
      if (this.#closed || entry.sockets.size > 0) return
      // Gone for good: the next console they open starts online, whatever they chose before.
      entry.chosen = 'online'
      this.#entries.delete(agentId)
      this.#set(entry, 'offline')
    }, this.#graceMs)
  }

  /** The agent chose online or away (from any of their tabs). */
  setStatus(agent: Agent, status: 'online' | 'away'): AgentSummary {
    const entry = this.#entries.get(agent.id)
    if (entry && !this.#closed) {
      entry.chosen = status
      if (entry.presence !== 'offline') this.#set(entry, status)
    }
    return this.summarize(agent)
  }

  presenceOf(agentId: string): Presence {
    return this.#entries.get(agentId)?.presence ?? 'offline'
  }

  /** Whether any agent of the site is online (away does not count: they take nothing new). */
  anyOnline(siteId: string): boolean {
    for (const entry of this.#entries.values()) {
      if (entry.presence === 'online' && entry.agent.siteIds.includes(siteId)) return true
    }
    return false
  }

  /** Agents with presence online, as connected (their records may be newer in the store). */
  onlineAgentIds(): string[] {
    return [...this.#entries.values()].filter((e) => e.presence === 'online').map((e) => e.agent.id)
  }

  /** An agent record as an AgentSummary with their presence and load now (for `agents:list`). */
  summarize(agent: Agent): AgentSummary {
    return agentSummary(agent, this.presenceOf(agent.id), this.#load(agent.id))
  }

  async start(): Promise<void> {}

  /** Stops the grace timers; presence no longer changes (the relay is shutting down). */
  async close(): Promise<void> {
    this.#closed = true
    for (const entry of this.#entries.values()) clearTimeout(entry.offlineTimer)
  }

  #set(entry: Entry, to: Presence): void {
    const from = entry.presence
    if (from === to) return
    entry.presence = to
    for (const listener of this.#listeners) listener({ agent: entry.agent, from, to, local: true })
  }
}
