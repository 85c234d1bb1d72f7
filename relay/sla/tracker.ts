/**
 * Live SLAs: the status of every conversation past handoff, for its summary (`slaFor`), and a
 * periodic check (`tick`) that records missed targets as `sla_breached` audit events (once per
 * clock and cycle), warns the assignee (or the site, while unassigned) of near breaches and breaches,
 * and pushes the summary again when its state changes so the console's highlight follows.
 *
 * Cheap by design: a conversation's facts (handoff, first agent reply, resolution) are read from
 * its events and messages once, then kept current from the service's observers; a summary only
 * re-reads them when the conversation's status changed since (a handoff, a resolve, a reopen).
 * Work on one conversation is serialized, so summaries come out in the order they were asked for.
 *
 * Breach bookkeeping is checked against the stored events, so a restart records nothing twice. With
 * several nodes one at a time runs the tick (relay/cluster/tick-lock.ts), and an agent's reply stored
 * on another node marks the conversation `stale` here (relay/routing/runtime.ts).
 */
import type { AgentNotification } from '../../shared/helpdesk.ts'
import { newId } from '../../shared/ids.ts'
import type { AuditEvent, ConversationStatus, Message, SlaState, SlaSummary } from '../../shared/protocol.ts'
import type { ConversationObserver, Logger } from '../conversations/service.ts'
import type { Conversation, Store } from '../store/types.ts'
import { KeyedQueue } from '../util/keyed-queue.ts'
import { calendarFor } from './business-hours.ts'
import { slaFactsFrom } from './facts.ts'
import { type BreachEvent, type BreachType, breachEvents, computeSla, type SlaStatus } from './policy.ts'
import { resolveHelpdesk } from './site-settings.ts'

const SCAN_LIMIT = 100_000
const MAX_ENTRIES = 10_000
const OPEN: ConversationStatus[] = ['queued', 'assigned']

export interface SlaTrackerDeps {
  store: Store
  now: () => Date
  log: Logger
  /** Pushes the conversation's summary again (its SLA state changed). */
  changed(conversation: Conversation): void
  /** Tells the assignee, or the site's agents while unassigned. */
  notify(conversation: Conversation, notification: AgentNotification): void
}

interface Entry {
  /** The conversation status the facts were read for: another status means they may be stale. */
  status: ConversationStatus
  handoffAt: Date | null
  firstAgentMessageAt: Date | null
  resolvedAt: Date | null
  /** Breaches recorded for the current cycle. */
  recorded: Set<BreachType>
  /** Near-breach warnings sent, by clock and due time. */
  warned: Set<string>
  /** The state the latest summary showed. */
  shown: SlaState | null
  /** Another node changed the facts: read them again. */
  stale?: boolean
}

const LABEL: Record<BreachType, string> = {
  first_response_breached: 'First response',
  resolution_breached: 'Resolution',
}

/** The wire form of an SLA status. */
export function toSlaSummary(status: SlaStatus): SlaSummary {
  return {
    dueAt: status.dueAt?.toISOString() ?? null,
    firstResponseDue: status.firstResponseDue.toISOString(),
    resolutionDue: status.resolutionDue.toISOString(),
    firstResponseAt: status.firstResponseAt?.toISOString() ?? null,
    state: status.state,
    timeLeftMs: Math.round(status.timeLeftMs),
  }
}

function quote(conversation: Conversation): string {
  return conversation.preview ? ` "${conversation.preview}"` : ''
}

export class SlaTracker implements ConversationObserver {
  readonly #deps: SlaTrackerDeps
  readonly #entries = new Map<string, Entry>()
  readonly #queue = new KeyedQueue()
  #ticking = false
  #closed = false

  constructor(deps: SlaTrackerDeps) {
    this.#deps = deps
  }

  /** The SLA a conversation's summary carries; null while the bot has it (clocks start at handoff). */
  async slaFor(conversation: Conversation): Promise<SlaSummary | null> {
    if (conversation.status === 'bot') return null
    const status = await this.#queue.run(conversation.id, async () => {
      const found = await this.#status(conversation)
      const entry = this.#entries.get(conversation.id)
      if (entry) entry.shown = found?.state ?? null
      return found
    })
    return status ? toSlaSummary(status) : null
  }

  /** The due time the queue is ordered by (the running clock due first), or null. */
  async dueAt(conversation: Conversation): Promise<Date | null> {
    if (conversation.status === 'bot') return null
    return (await this.#queue.run(conversation.id, () => this.#status(conversation)))?.dueAt ?? null
  }

  transitioned(conversation: Conversation, _event: AuditEvent): Promise<void> {
    // A resolve after the due time is a breach to record now: the tick only looks at open conversations.
    return this.#check(conversation)
  }

  messageStored(conversation: Conversation, message: Message): Promise<void> | undefined {
    // Bot replies and internal notes never stop the first-response clock.
    if (message.author !== 'agent' || message.internal || this.#closed) return undefined
    return this.#queue.run(conversation.id, async () => {
      const entry = this.#entries.get(conversation.id)
      const at = new Date(message.createdAt)
      if (!entry?.handoffAt || entry.firstAgentMessageAt || at < entry.handoffAt) return
      entry.firstAgentMessageAt = at
      await this.#checkNow(conversation, true)
    })
  }

  /** Records breaches, sends warnings and pushes changed states for every open conversation. */
  async tick(): Promise<void> {
    if (this.#ticking || this.#closed) return
    this.#ticking = true
    try {
      const siteIds = (await this.#deps.store.listSites()).map((s) => s.id)
      if (siteIds.length === 0) return
      const open = await this.#deps.store.listConversations({ siteIds, statuses: OPEN, limit: SCAN_LIMIT })
      for (const conversation of open) {
        if (this.#closed) return
        await this.#check(conversation)
      }
    } finally {
      this.#ticking = false
    }
  }

  /**
   * Another node stored something that changes the conversation's facts (an agent's reply): the
   * next check re-reads them (warnings already sent stay sent).
   */
  stale(conversationId: string): void {
    void this.#queue.run(conversationId, async () => {
      const entry = this.#entries.get(conversationId)
      if (entry) entry.stale = true
    })
  }

  async close(): Promise<void> {
    this.#closed = true
    await this.#queue.drain()
  }

  #check(conversation: Conversation): Promise<void> {
    if (conversation.status === 'bot' || this.#closed) return Promise.resolve()
    return this.#queue.run(conversation.id, () => this.#checkNow(conversation, false))
  }

  /** Runs inside the conversation's queue. `push`: the summary changed whatever the state. */
  async #checkNow(conversation: Conversation, push: boolean): Promise<void> {
    const status = await this.#status(conversation)
    const entry = this.#entries.get(conversation.id)
    if (!status || !entry) return
    for (const breach of breachEvents(status, entry.recorded)) {
      await this.#record(conversation, breach)
      entry.recorded.add(breach.type)
      this.#deps.notify(conversation, {
        kind: 'sla_breached',
        conversationId: conversation.id,
        text: `${LABEL[breach.type]} target missed:${quote(conversation)}`,
      })
    }
    const clocks = [
      ['first_response_breached', status.firstResponse],
      ['resolution_breached', status.resolution],
    ] as const
    for (const [type, clock] of clocks) {
      const key = `${type}@${clock.dueAt.toISOString()}`
      if (clock.state !== 'near_breach' || entry.warned.has(key)) continue
      entry.warned.add(key)
      const minutes = Math.max(1, Math.ceil(clock.timeLeftMs / 60_000))
      this.#deps.notify(conversation, {
        kind: 'sla_near_breach',
        conversationId: conversation.id,
        text: `${LABEL[type]} due in ${minutes} min:${quote(conversation)}`,
      })
    }
    if (push || entry.shown !== status.state) {
      entry.shown = status.state
      this.#deps.changed(conversation)
    }
  }

  async #record(conversation: Conversation, breach: BreachEvent): Promise<void> {
    const at = this.#deps.now().toISOString()
    // Through the store's atomic update (the conversation itself is unchanged), so it lands in the audit log.
    const result = await this.#deps.store.updateConversation(conversation.id, (current) => ({
      ok: true,
      conversation: current,
      event: {
        id: newId('evt_'),
        conversationId: conversation.id,
        type: 'sla_breached',
        actor: { kind: 'system', id: null },
        at,
        data: {
          breach: breach.type,
          dueAt: breach.dueAt.toISOString(),
          startedAt: breach.startedAt.toISOString(),
          targetMs: breach.targetMs,
          channel: current.channel,
          priority: current.priority,
        },
      },
    }))
    if (!result?.ok) throw new Error(`could not record ${breach.type} on ${conversation.id}`)
  }

  /** Runs inside the conversation's queue. */
  async #status(conversation: Conversation): Promise<SlaStatus | null> {
    if (conversation.status === 'bot') return null
    const entry = await this.#entry(conversation)
    if (!entry.handoffAt) return null
    const site = await this.#deps.store.getSite(conversation.siteId)
    const settings = resolveHelpdesk(site)
    try {
      return computeSla(
        {
          channel: conversation.channel,
          priority: conversation.priority,
          handoffAt: entry.handoffAt,
          firstAgentMessageAt: entry.firstAgentMessageAt,
          resolvedAt: entry.resolvedAt,
        },
        settings.policy,
        calendarFor(settings.businessHours, conversation.teamId ?? null),
        this.#deps.now(),
      )
    } catch (error) {
      // A calendar with no open time left (only past partial holidays): no due time can be given.
      this.#deps.log.error({ err: error, conversationId: conversation.id }, 'SLA could not be computed')
      return null
    }
  }

  async #entry(conversation: Conversation): Promise<Entry> {
    const cached = this.#entries.get(conversation.id)
    if (cached && cached.status === conversation.status && !cached.stale) return cached
    const [events, messages] = await Promise.all([
      this.#deps.store.listEvents(conversation.id),
      this.#deps.store.listMessages(conversation.id),
    ])
    const facts = slaFactsFrom(
      conversation,
      events,
      messages.filter((m) => !m.internal),
    )
    const startedAt = facts.handoffAt?.toISOString()
    const recorded = events
      .filter((e) => e.type === 'sla_breached' && e.data.startedAt === startedAt)
      .map((e) => e.data.breach as BreachType)
    const entry: Entry = {
      status: conversation.status,
      handoffAt: facts.handoffAt,
      firstAgentMessageAt: facts.firstAgentMessageAt,
      resolvedAt: facts.resolvedAt,
      recorded: new Set(recorded),
      warned: cached?.warned ?? new Set(),
      shown: cached?.shown ?? null,
    }
    if (this.#entries.size >= MAX_ENTRIES && !cached) this.#entries.clear()
    this.#entries.set(conversation.id, entry)
    return entry
  }
}
