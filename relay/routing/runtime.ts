/**
 * The live helpdesk machinery of one relay, assembled once in `buildApp`: presence, each agent's
 * load, auto-assignment, SLA tracking and the widget's availability, plus the periodic tick that
 * drives what no event announces (SLA deadlines, no-answer timeouts, business hours opening).
 */
import type { Server } from 'socket.io'
import type { AgentNotification, Availability } from '../../shared/helpdesk.ts'
import {
  CONSOLE_NAMESPACE,
  type ConversationSummary,
  type SlaSummary,
  WIDGET_NAMESPACE,
} from '../../shared/protocol.ts'
import type { ContactCache } from '../conversations/contact-cache.ts'
import type { ConversationService, Logger } from '../conversations/service.ts'
import { toSummary } from '../conversations/views.ts'
import { SlaTracker } from '../sla/tracker.ts'
import { rooms } from '../sockets/broadcaster.ts'
import type { Agent, Conversation, Store } from '../store/types.ts'
import { AvailabilityService } from './availability.ts'
import { AssignmentLoad } from './load.ts'
import { type AgentPresence, type PresenceChange, type PresenceOptions, PresenceTracker } from './presence.ts'
import { RoutingService } from './service.ts'

export const DEFAULT_TICK_MS = 10_000

export interface HelpdeskRuntimeOptions {
  /** How often deadlines are checked (SLA, no answer, business hours); default 10 s. */
  tickMs?: number
  /** How long an agent whose last console closed still counts as there; default 10 s. */
  offlineGraceMs?: number
}

export interface HelpdeskRuntimeDeps extends HelpdeskRuntimeOptions {
  store: Store
  io: Server
  /** This relay is one of several nodes (relay/cluster); absent: it is alone. */
  cluster?: ClusterDeps
  contacts: ContactCache
  now: () => Date
  log: Logger
  /** A channel's reply window for the summary (`replyWindowEndsAt`); undefined for channels without one. */
  replyWindowEndsAt?: (conversation: Conversation) => Promise<string | null | undefined>
}

/** Which node runs the periodic work. */
export interface TickLock {
  /** Whether this node runs this tick (takes or renews the lock). */
  held(): Promise<boolean>
  release(): Promise<void>
}

/**
 * What changes with several nodes: presence is shared (relay/cluster/redis-presence.ts) and each
 * routing decision re-reads the agents' loads from the store first (other nodes assign too); one
 * node at a time runs the tick's routing and SLA passes (relay/cluster/tick-lock.ts; every node
 * still refreshes its own widgets' availability); an agent's reply tells the other nodes' SLA
 * trackers to re-read the conversation (over the socket.io adapter).
 */
export interface ClusterDeps {
  presence(options: PresenceOptions): AgentPresence
  tickLock: TickLock
}

/** The server-side event that tells the other nodes a conversation's SLA facts changed. */
const SLA_STALE = 'parley:sla-stale'

/** The widget sockets of a site, for availability pushes (joined in relay/sockets/widget-availability.ts). */
export const availabilityRoom = (siteId: string) => `availability:${siteId}`

export class HelpdeskRuntime {
  readonly presence: AgentPresence
  readonly load = new AssignmentLoad()
  readonly sla: SlaTracker
  readonly availability: AvailabilityService
  #routing: RoutingService | null = null
  readonly #deps: HelpdeskRuntimeDeps
  #timer: ReturnType<typeof setInterval> | undefined
  #ticking: Promise<void> | null = null
  #closed = false

  constructor(deps: HelpdeskRuntimeDeps) {
    this.#deps = deps
    const consoleNsp = deps.io.of(CONSOLE_NAMESPACE)
    const presenceOptions: PresenceOptions = {
      load: (agentId) => this.load.load(agentId),
      ...(deps.offlineGraceMs !== undefined && { offlineGraceMs: deps.offlineGraceMs }),
    }
    this.presence = deps.cluster
      ? deps.cluster.presence(presenceOptions)
      : new PresenceTracker(presenceOptions)
    this.sla = new SlaTracker({
      store: deps.store,
      now: deps.now,
      log: deps.log,
      changed: (conversation) => this.#upsert(conversation),
      notify: (conversation, notification) => {
        // The assignee's tabs; while nobody owns it, every agent of the site.
        const room =
          conversation.status === 'assigned' && conversation.assigneeId
            ? rooms.agent(conversation.assigneeId)
            : rooms.site(conversation.siteId)
        consoleNsp.to(room).emit('notification', notification satisfies AgentNotification)
      },
    })
    this.availability = new AvailabilityService({
      store: deps.store,
      anyOnline: (siteId) => this.presence.anyOnline(siteId),
      now: deps.now,
      log: deps.log,
      // Each node tells its own widgets (it keeps what it told them): one push per widget, not one per node.
      push: (siteId, availability: Availability) =>
        deps.io
          .of(WIDGET_NAMESPACE)
          .local.to(availabilityRoom(siteId))
          .emit('availability:changed', availability),
    })
    this.presence.subscribe((change) => this.#presenceChanged(change))
  }

  /** The summary agents see, SLA included: the one projection for every push and reply. */
  readonly summarize = async (conversation: Conversation): Promise<ConversationSummary> => {
    const [contact, sla, replyWindowEndsAt] = await Promise.all([
      this.#deps.contacts.get(conversation.contactId),
      this.slaFor(conversation),
      this.#deps.replyWindowEndsAt?.(conversation),
    ])
    return toSummary(conversation, contact, sla, replyWindowEndsAt)
  }

  readonly slaFor = (conversation: Conversation): Promise<SlaSummary | null> => this.sla.slaFor(conversation)

  /** Auto-assignment; null until `attach`. */
  get routing(): RoutingService | null {
    return this.#routing
  }

  /** Observes the conversation service: routing applies its commands through it. */
  attach(service: ConversationService): void {
    const routing = new RoutingService({
      store: this.#deps.store,
      service,
      presence: this.presence,
      load: this.load,
      dueAt: (conversation) => this.sla.dueAt(conversation),
      loadChanged: (agentIds) => {
        for (const id of agentIds) this.#pushAgent(id)
      },
      ...(this.#deps.cluster && { syncLoad: () => this.load.refresh(this.#deps.store) }),
      now: this.#deps.now,
      log: this.#deps.log,
    })
    this.#routing = routing
    service.observe(routing)
    service.observe(this.sla)
    if (this.#deps.cluster) this.#shareSlaFacts(service)
  }

  /** Reads the current assignments and starts the tick. */
  async start(): Promise<void> {
    await this.load.init(this.#deps.store)
    await this.presence.start()
    const tickMs = this.#deps.tickMs ?? DEFAULT_TICK_MS
    this.#timer = setInterval(() => void this.tick(), tickMs)
    // The tick never keeps the process alive on its own.
    this.#timer.unref?.()
  }

  /** One pass over the deadlines; a pass still running is not started again. */
  tick(): Promise<void> {
    if (this.#closed) return Promise.resolve()
    this.#ticking ??= (async () => {
      const leads = await this.#leads()
      for (const [name, run, everyNode] of [
        ['routing', () => this.#routing?.tick(), false],
        ['sla', () => this.sla.tick(), false],
        // Each node's own widgets.
        ['availability', () => this.availability.tick(), true],
      ] as const) {
        if (!leads && !everyNode) continue
        try {
          await run()
        } catch (error) {
          this.#deps.log.error({ err: error }, `helpdesk ${name} tick failed`)
        }
      }
    })().finally(() => {
      this.#ticking = null
    })
    return this.#ticking
  }

  /**
   * The SLA facts of a conversation (its first reply) are kept per node from what that node
   * stores; a reply stored here makes the other nodes re-read them, so whichever node ticks
   * knows of it.
   */
  #shareSlaFacts(service: ConversationService): void {
    const consoleNsp = this.#deps.io.of(CONSOLE_NAMESPACE)
    consoleNsp.on(SLA_STALE, (conversationId: unknown) => {
      if (typeof conversationId === 'string') this.sla.stale(conversationId)
    })
    service.observe({
      messageStored: (conversation, message) => {
        if (message.author === 'agent' && !message.internal)
          consoleNsp.serverSideEmit(SLA_STALE, conversation.id)
      },
    })
  }

  /** Whether this node runs the tick's cluster-wide passes (without a lock: always). */
  async #leads(): Promise<boolean> {
    if (!this.#deps.cluster) return true
    try {
      return await this.#deps.cluster.tickLock.held()
    } catch (error) {
      // Unsure who holds it: better no node this tick than two.
      this.#deps.log.error({ err: error }, 'helpdesk tick lock could not be taken')
      return false
    }
  }

  /** A site's helpdesk settings changed: the widgets' availability and the queue follow at once. */
  async settingsChanged(siteId: string): Promise<void> {
    await this.availability.refresh(siteId)
    await this.#routing?.tick()
  }

  /** A contact changed (an email left in the widget): agents' summaries of their latest conversation show it. */
  contactChanged(siteId: string, contactId: string): void {
    this.#deps.store.listConversations({ siteIds: [siteId], contactId, limit: 1 }).then(
      ([latest]) => {
        if (latest) this.#upsert(latest)
      },
      (error: unknown) => this.#deps.log.error({ err: error, contactId }, 'contact upsert failed'),
    )
  }

  /** Stops the tick and waits for decisions in flight; presence no longer changes. */
  async close(): Promise<void> {
    this.#closed = true
    clearInterval(this.#timer)
    await this.presence.close()
    await this.#ticking
    await this.#deps.cluster?.tickLock
      .release()
      .catch((error: unknown) => this.#deps.log.error({ err: error }, 'helpdesk tick lock release failed'))
    await Promise.all([this.#routing?.close(), this.sla.close()])
  }

  #presenceChanged({ agent, from, to, local }: PresenceChange): void {
    // The node that made the change tells the consoles (all nodes' through the adapter) and routes.
    if (local) this.#pushAgent(agent.id, agent)
    for (const siteId of agent.siteIds) {
      this.availability
        .refresh(siteId)
        .catch((error: unknown) =>
          this.#deps.log.error({ err: error, siteId }, 'availability refresh failed'),
        )
    }
    const routing = this.#routing
    if (!routing || !local) return
    const done =
      to === 'online'
        ? routing.agentAvailable(agent.id)
        : to === 'offline' && from !== 'offline'
          ? routing.agentOffline(agent.id)
          : null
    done?.catch((error: unknown) =>
      this.#deps.log.error({ err: error, agentId: agent.id }, `routing after ${to} failed`),
    )
  }

  /** `agent:presence` to the agent's sites, with their load now. */
  #pushAgent(agentId: string, known?: Agent): void {
    const consoleNsp = this.#deps.io.of(CONSOLE_NAMESPACE)
    const record = known ? Promise.resolve(known) : this.#deps.store.getAgent(agentId)
    record.then(
      (agent) => {
        if (!agent || agent.siteIds.length === 0) return
        consoleNsp.to(agent.siteIds.map(rooms.site)).emit('agent:presence', this.presence.summarize(agent))
      },
      (error: unknown) => this.#deps.log.error({ err: error, agentId }, 'agent presence push failed'),
    )
  }

  /** The conversation's summary again, to the agents (its SLA state changed; the shopper's view did not). */
  #upsert(conversation: Conversation): void {
    // The stored state, not the snapshot the check started from: a newer upsert must not be undone.
    this.#deps.store
      .getConversation(conversation.id)
      .then((current) => (current ? this.summarize(current) : null))
      .then(
        (summary) => {
          if (summary)
            this.#deps.io
              .of(CONSOLE_NAMESPACE)
              .to(rooms.site(summary.siteId))
              .emit('conversation:upserted', summary)
        },
        (error: unknown) =>
          this.#deps.log.error({ err: error, conversationId: conversation.id }, 'SLA upsert failed'),
      )
  }
}
