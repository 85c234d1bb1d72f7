/**
 * Auto-assignment, driven by the conversation service's stored transitions and by presence:
 * - handoff: the priority is set (`priorityFor`, never below the bot's), then the best online agent
 *   takes it (`chooseAgent`); nobody fits → it waits in the queue;
 * - an agent comes online or frees a slot (resolve, unassign, transfer): they take the queue's next
 *   conversation that fits (`pickNextConversation`), until their capacity is reached;
 * - an assignee goes offline, or does not answer within `reassignAfterMs`: back to the queue, then to
 *   someone else (an agent who gave a conversation back, or let it wait, does not get it again).
 *
 * Every assignment is `assign` with `onlyIfQueued`, through the store's atomic update: a person who
 * took the conversation first wins and the routing moves on. Decisions run one at a time on a node,
 * so two handoffs at once cannot both fill an agent's last slot; with several nodes each decision
 * first re-reads the loads from the store (`syncLoad`), but two nodes deciding at the same moment
 * can still both fill one agent's last slot (a lease per site would close that).
 */
import type { Actor, AuditEvent, Message } from '../../shared/protocol.ts'
import { scoreSentiment } from '../bot/sentiment.ts'
import type { ConversationObserver, ConversationService, Logger } from '../conversations/service.ts'
import { AppError } from '../errors.ts'
import { resolveHelpdesk } from '../sla/site-settings.ts'
import type { Agent, Conversation, Store } from '../store/types.ts'
import { KeyedQueue } from '../util/keyed-queue.ts'
import {
  canTakeMore,
  chooseAgent,
  fits,
  needsReassignment,
  pickNextConversation,
  type QueuedConversation,
  type RoutingAgent,
} from './assign.ts'
import type { AssignmentLoad } from './load.ts'
import { type AgentPresence, capacityOf } from './presence.ts'
import { priorityFor } from './priority.ts'

const SYSTEM: Actor = { kind: 'system', id: null }
/** One queue for every decision: loads span sites (an agent may work on several). */
const DECISIONS = 'routing'
const SCAN_LIMIT = 100_000
/** More picks in a row than any capacity: a bound, not a rule. */
const MAX_PICKS = 100

export interface RoutingDeps {
  store: Store
  service: Pick<ConversationService, 'apply' | 'messageStored'>
  presence: Pick<AgentPresence, 'presenceOf' | 'onlineAgentIds'>
  load: AssignmentLoad
  /** Re-reads the loads before each decision (several nodes assign); returns the agents whose load changed. */
  syncLoad?: () => Promise<string[]>
  /** The conversation's SLA due time (the queue is ordered by priority, then by it). */
  dueAt(conversation: Conversation): Promise<Date | null>
  /** These agents' loads changed (their `agent:presence` is pushed again). */
  loadChanged(agentIds: string[]): void
  now: () => Date
  log: Logger
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null
}

export class RoutingService implements ConversationObserver {
  readonly #deps: RoutingDeps
  readonly #queue = new KeyedQueue()
  readonly #lastAssignedAt = new Map<string, Date>()
  readonly #idleSince = new Map<string, Date>()
  /** Conversation → agents who gave it back (or let it wait) in this cycle: not offered to them again. */
  readonly #declined = new Map<string, Set<string>>()
  /** Conversation → the assignee's latest reply to the customer (null: none since assigned). */
  readonly #lastReply = new Map<string, Date | null>()
  #ticking = false
  #closed = false

  constructor(deps: RoutingDeps) {
    this.#deps = deps
  }

  transitioned(conversation: Conversation, event: AuditEvent): Promise<void> | undefined {
    const changed = this.#deps.load.track(conversation)
    if (changed.length > 0) this.#deps.loadChanged(changed)
    const id = conversation.id
    switch (event.type) {
      case 'handoff':
        return this.#decide(() => this.#handoff(id))
      case 'reopened':
        return conversation.status === 'queued' ? this.#decide(() => this.#route(id)) : undefined
      case 'unassigned': {
        const previous = text(event.data.previousAssigneeId)
        this.#lastReply.delete(id)
        // Offline is not a refusal: back online, they may get it again if nobody took it.
        if (previous && event.data.reason !== 'assignee_offline') this.#decline(id, previous)
        if (previous) this.#idleSince.set(previous, this.#deps.now())
        return this.#decide(async () => {
          await this.#route(id)
          if (previous) await this.#fill(previous)
        })
      }
      case 'assigned': {
        const agentId = text(event.data.agentId)
        const previous = text(event.data.previousAssigneeId)
        this.#lastReply.set(id, null)
        // The assignee's `assigned` notification comes from the helpdesk's observer (relay/helpdesk/notifications.ts).
        if (agentId) this.#lastAssignedAt.set(agentId, new Date(event.at))
        if (previous && previous !== agentId) {
          this.#idleSince.set(previous, this.#deps.now())
          return this.#decide(() => this.#fill(previous))
        }
        return undefined
      }
      case 'resolved': {
        this.#declined.delete(id)
        this.#lastReply.delete(id)
        const assignee = event.data.from === 'assigned' ? conversation.assigneeId : null
        if (!assignee) return undefined
        this.#idleSince.set(assignee, this.#deps.now())
        return this.#decide(() => this.#fill(assignee))
      }
      default:
        return undefined
    }
  }

  messageStored(conversation: Conversation, message: Message): void {
    if (message.author !== 'agent' || message.internal) return
    if (conversation.status === 'assigned' && message.authorId === conversation.assigneeId)
      this.#lastReply.set(conversation.id, new Date(message.createdAt))
  }

  /** The agent came online (or back from away): they take what waits for them. */
  agentAvailable(agentId: string): Promise<void> {
    this.#idleSince.set(agentId, this.#deps.now())
    return this.#decide(() => this.#fill(agentId))
  }

  /** The agent went offline: their conversations go back to the queue (sites with auto-assignment). */
  agentOffline(agentId: string): Promise<void> {
    return this.#decide(async () => {
      for (const id of this.#deps.load.assignedTo(agentId)) {
        const conversation = await this.#deps.store.getConversation(id)
        if (conversation?.status !== 'assigned' || conversation.assigneeId !== agentId) continue
        if (!(await this.#settings(conversation.siteId)).autoAssign) continue
        await this.#unassign(conversation, 'assignee_offline')
      }
    })
  }

  /** The periodic pass: no-answer reassignment, then online agents with free slots take waiting work. */
  async tick(): Promise<void> {
    if (this.#ticking || this.#closed) return
    this.#ticking = true
    try {
      await this.#decide(() => this.#reassignUnanswered())
      for (const agentId of this.#deps.presence.onlineAgentIds()) {
        if (this.#closed) return
        await this.#decide(() => this.#fill(agentId))
      }
    } finally {
      this.#ticking = false
    }
  }

  /** Resolves once every decision asked for so far has been made. */
  settled(): Promise<void> {
    return this.#queue.drain()
  }

  async close(): Promise<void> {
    this.#closed = true
    await this.#queue.drain()
  }

  #decide(task: () => Promise<void>): Promise<void> {
    return this.#queue.run(DECISIONS, async () => {
      if (this.#closed) return
      if (this.#deps.syncLoad) {
        const changed = await this.#deps.syncLoad()
        if (changed.length > 0) this.#deps.loadChanged(changed)
      }
      await task()
    })
  }

  #decline(conversationId: string, agentId: string): void {
    const set = this.#declined.get(conversationId) ?? new Set<string>()
    set.add(agentId)
    this.#declined.set(conversationId, set)
  }

  async #settings(siteId: string) {
    return resolveHelpdesk(await this.#deps.store.getSite(siteId))
  }

  async #handoff(id: string): Promise<void> {
    const conversation = await this.#deps.store.getConversation(id)
    if (conversation?.status !== 'queued') return
    const priority = await this.#priorityAtHandoff(conversation)
    // The bot's priority stands when the rules agree with it: no `updated` event for nothing.
    const current =
      priority === conversation.priority
        ? conversation
        : await this.#deps.service.apply(id, { type: 'update', priority }, SYSTEM)
    await this.#route(current.id)
  }

  /** From the bot's intent, the shopper's last words and what the store knows of them. */
  async #priorityAtHandoff(conversation: Conversation) {
    const [messages, contact] = await Promise.all([
      this.#deps.store.listMessages(conversation.id),
      this.#deps.store.getContact(conversation.contactId),
    ])
    const lastBot = messages.findLast((m) => m.author === 'bot' && m.bot !== undefined)
    const lastShopper = messages.findLast((m) => m.author === 'contact')
    return priorityFor({
      intent: lastBot?.bot?.intent ?? 'unknown',
      sentiment: lastShopper ? scoreSentiment(lastShopper.text) : null,
      contact: {
        ...(contact?.vip !== undefined && { vip: contact.vip }),
        ...(contact?.lifetimeValue !== undefined && { lifetimeValue: contact.lifetimeValue }),
      },
      botSuggested: conversation.priority,
    })
  }

  /** A queued conversation goes to the best online agent who fits, if any. */
  async #route(id: string): Promise<void> {
    const conversation = await this.#deps.store.getConversation(id)
    if (conversation?.status !== 'queued') return
    if (!(await this.#settings(conversation.siteId)).autoAssign) return
    const declined = this.#declined.get(id)
    const agents = (await this.#deps.store.listAgents()).filter(
      (a) => a.siteIds.includes(conversation.siteId) && !declined?.has(a.id),
    )
    const chosen = chooseAgent(
      await this.#queued(conversation),
      agents.map((a) => this.#routingAgent(a)),
    )
    const agent = chosen && agents.find((a) => a.id === chosen.id)
    if (agent) await this.#assign(conversation, agent)
  }

  /** The agent takes the queue's next fitting conversation, again and again while they have room. */
  async #fill(agentId: string): Promise<void> {
    const agent = await this.#deps.store.getAgent(agentId)
    if (!agent) return
    for (let pick = 0; pick < MAX_PICKS; pick++) {
      const routing = this.#routingAgent(agent)
      if (!canTakeMore(routing)) return
      const waiting = await this.#waitingFor(agent, routing)
      const next = pickNextConversation(
        routing,
        waiting.map((w) => w.queued),
      )
      const conversation = next && waiting.find((w) => w.queued.id === next.id)?.conversation
      if (!conversation) return
      // Lost to a person who took it meanwhile: the next read of the queue no longer has it.
      await this.#assign(conversation, agent)
    }
  }

  /** Queued conversations in the agent's auto-assigned sites that fit them (due times read for those only). */
  async #waitingFor(agent: Agent, routing: RoutingAgent) {
    const siteIds: string[] = []
    for (const siteId of agent.siteIds) if ((await this.#settings(siteId)).autoAssign) siteIds.push(siteId)
    if (siteIds.length === 0) return []
    const queued = await this.#deps.store.listConversations({
      siteIds,
      statuses: ['queued'],
      limit: SCAN_LIMIT,
    })
    const waiting: { conversation: Conversation; queued: QueuedConversation }[] = []
    for (const conversation of queued) {
      if (this.#declined.get(conversation.id)?.has(agent.id)) continue
      const shape = { ...this.#shape(conversation), slaDueAt: null }
      if (!fits(routing, shape)) continue
      waiting.push({ conversation, queued: await this.#queued(conversation) })
    }
    return waiting
  }

  #shape(conversation: Conversation): Omit<QueuedConversation, 'slaDueAt'> {
    return {
      id: conversation.id,
      priority: conversation.priority,
      skills: conversation.skills ?? [],
      language: conversation.language ?? null,
      teamId: conversation.teamId ?? null,
      createdAt: new Date(conversation.createdAt),
    }
  }

  async #queued(conversation: Conversation): Promise<QueuedConversation> {
    return { ...this.#shape(conversation), slaDueAt: await this.#deps.dueAt(conversation) }
  }

  #routingAgent(agent: Agent): RoutingAgent {
    return {
      id: agent.id,
      presence: this.#deps.presence.presenceOf(agent.id),
      skills: agent.skills ?? [],
      languages: agent.languages ?? [],
      teamId: agent.teamId ?? null,
      capacity: capacityOf(agent),
      load: this.#deps.load.load(agent.id),
      lastAssignedAt: this.#lastAssignedAt.get(agent.id) ?? null,
      idleSince: this.#idleSince.get(agent.id) ?? null,
    }
  }

  /** Assigns if still queued; false when someone got there first. */
  async #assign(conversation: Conversation, agent: Agent): Promise<boolean> {
    let assigned: Conversation
    try {
      assigned = await this.#deps.service.apply(
        conversation.id,
        { type: 'assign', agentId: agent.id, agentName: agent.name, onlyIfQueued: true },
        SYSTEM,
      )
    } catch (error) {
      if (error instanceof AppError && error.code === 'invalid_transition') return false
      throw error
    }
    // Counted now, not when the observer hears of it: the next decision must see this load.
    const changed = this.#deps.load.track(assigned)
    if (changed.length > 0) this.#deps.loadChanged(changed)
    this.#lastAssignedAt.set(agent.id, this.#deps.now())
    const joined = await this.#deps.store.appendMessage({
      conversationId: assigned.id,
      clientId: null,
      author: 'system',
      authorId: null,
      authorName: null,
      text: `${agent.name} joined the conversation`,
      sources: [],
    })
    if (joined.ok) this.#deps.service.messageStored(joined.conversation, joined.message)
    return true
  }

  async #unassign(conversation: Conversation, reason: 'assignee_offline' | 'no_answer'): Promise<void> {
    try {
      await this.#deps.service.apply(conversation.id, { type: 'unassign', reason }, SYSTEM)
    } catch (error) {
      // Resolved meanwhile: nothing to give back.
      if (!(error instanceof AppError && error.code === 'invalid_transition')) throw error
    }
  }

  async #reassignUnanswered(): Promise<void> {
    const now = this.#deps.now()
    for (const [id, agentId] of this.#deps.load.entries()) {
      if (this.#closed) return
      const presence = this.#deps.presence.presenceOf(agentId)
      // Offline assignees are handled when they go offline (a restart must not empty everyone's inbox).
      if (presence === 'offline') continue
      const conversation = await this.#deps.store.getConversation(id)
      if (conversation?.status !== 'assigned' || conversation.assigneeId !== agentId) continue
      const { reassignAfterMs } = await this.#settings(conversation.siteId)
      if (!reassignAfterMs) continue
      const assignedAt = conversation.assignedAt ? new Date(conversation.assignedAt) : null
      if (!assignedAt || now.getTime() - assignedAt.getTime() < reassignAfterMs) continue
      const reason = needsReassignment(
        { status: conversation.status, assigneeId: conversation.assigneeId, assignedAt },
        presence,
        await this.#lastReplyOf(conversation, assignedAt),
        now,
        reassignAfterMs,
      )
      if (reason === 'no_answer') await this.#unassign(conversation, 'no_answer')
    }
  }

  async #lastReplyOf(conversation: Conversation, assignedAt: Date): Promise<Date | null> {
    const known = this.#lastReply.get(conversation.id)
    if (known !== undefined) return known
    // Not seen since the relay started: read it once.
    const messages = await this.#deps.store.listMessages(conversation.id)
    const reply = messages.findLast(
      (m) =>
        m.author === 'agent' &&
        !m.internal &&
        m.authorId === conversation.assigneeId &&
        Date.parse(m.createdAt) >= assignedAt.getTime(),
    )
    const at = reply ? new Date(reply.createdAt) : null
    this.#lastReply.set(conversation.id, at)
    return at
  }
}
