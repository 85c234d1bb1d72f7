/**
 * Auto-assignment, pure: which agent takes a queued conversation, which queued conversation an
 * agent takes when they come online or free a slot, the queue's order, and when an assigned
 * conversation must go back to the queue. The relay runs the chosen claim through the store's atomic
 * update, so a lost race is refused there, never decided here.
 */
import type { ConversationStatus, Priority } from '../../shared/protocol.ts'
import { PRIORITY_RANK } from './priority.ts'

export type Presence = 'online' | 'away' | 'offline'

export interface RoutingAgent {
  id: string
  presence: Presence
  skills: readonly string[]
  /** BCP 47 tags or bare languages (`en`, `es-MX`); matched on the language part. */
  languages: readonly string[]
  teamId: string | null
  /** Concurrent conversations the agent takes; 0 means never auto-assigned. */
  capacity: number
  /** Conversations assigned to them and not resolved. */
  load: number
  lastAssignedAt: Date | null
  /** When they came online or last freed a slot; with `lastAssignedAt`, how long they have waited. */
  idleSince: Date | null
}

export interface QueuedConversation {
  id: string
  priority: Priority
  /** Every one of these is needed. */
  skills: readonly string[]
  /** The shopper's language; null means any. */
  language: string | null
  /** Only this team's agents; null means any team. */
  teamId: string | null
  slaDueAt: Date | null
  createdAt: Date
}

function norm(value: string): string {
  return value.trim().toLowerCase()
}

function languagePart(tag: string): string {
  return norm(tag).split(/[-_]/)[0] ?? ''
}

/** Whether an agent may handle a conversation (skills, language, team), whatever their availability. */
export function fits(agent: RoutingAgent, conversation: QueuedConversation): boolean {
  const skills = new Set(agent.skills.map(norm))
  if (!conversation.skills.every((s) => skills.has(norm(s)))) return false
  if (conversation.language !== null) {
    const wanted = languagePart(conversation.language)
    if (!agent.languages.some((l) => languagePart(l) === wanted)) return false
  }
  return conversation.teamId === null || agent.teamId === conversation.teamId
}

/** Online with a free slot: away and offline agents keep what they have but get nothing new. */
export function canTakeMore(agent: RoutingAgent): boolean {
  return agent.presence === 'online' && agent.load < agent.capacity
}

/** Since when the agent has gone without a new conversation; null: never assigned and no time known. */
function waitingSince(agent: RoutingAgent): number {
  const times = [agent.lastAssignedAt, agent.idleSince].filter((t): t is Date => t !== null)
  return times.length > 0 ? Math.max(...times.map((t) => t.getTime())) : Number.NEGATIVE_INFINITY
}

/** Least loaded first; ties to the one idle longest; then by id so the choice is deterministic. */
function agentOrder(a: RoutingAgent, b: RoutingAgent): number {
  return compare(a.load, b.load) || compare(waitingSince(a), waitingSince(b)) || compare(a.id, b.id)
}

function compare<T extends number | string>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** The agent a queued conversation goes to, or null when nobody fits (it waits in the queue). */
export function chooseAgent(
  conversation: QueuedConversation,
  agents: readonly RoutingAgent[],
): RoutingAgent | null {
  const eligible = agents.filter((a) => canTakeMore(a) && fits(a, conversation))
  return [...eligible].sort(agentOrder)[0] ?? null
}

/** Queue order: priority (urgent first), then SLA due time (none last), then oldest, then id. */
export function queueOrder(a: QueuedConversation, b: QueuedConversation): number {
  const byPriority = compare(PRIORITY_RANK[b.priority], PRIORITY_RANK[a.priority])
  if (byPriority !== 0) return byPriority
  const due = (c: QueuedConversation) => c.slaDueAt?.getTime() ?? Number.POSITIVE_INFINITY
  return (
    compare(due(a), due(b)) || compare(a.createdAt.getTime(), b.createdAt.getTime()) || compare(a.id, b.id)
  )
}

/** The conversation an agent who came online or freed a slot takes next, or null. */
export function pickNextConversation(
  agent: RoutingAgent,
  queue: readonly QueuedConversation[],
): QueuedConversation | null {
  if (!canTakeMore(agent)) return null
  return [...queue].filter((c) => fits(agent, c)).sort(queueOrder)[0] ?? null
}

export interface AssignedConversation {
  status: ConversationStatus
  assigneeId: string | null
  assignedAt: Date | null
}

export type ReassignReason = 'assignee_offline' | 'no_answer'

/**
 * Whether an assigned conversation goes back to the queue: its assignee went offline (away keeps it),
 * or they have not acted in it within `timeoutMs` of being assigned (null or 0 turns that off).
 * Once the assignee has answered, the conversation stays theirs while they are online or away.
 */
export function needsReassignment(
  conversation: AssignedConversation,
  assigneePresence: Presence,
  lastAgentActivity: Date | null,
  now: Date,
  timeoutMs: number | null,
): ReassignReason | null {
  if (conversation.status !== 'assigned' || conversation.assigneeId === null) return null
  if (assigneePresence === 'offline') return 'assignee_offline'
  if (!timeoutMs || !conversation.assignedAt) return null
  const assignedAt = conversation.assignedAt.getTime()
  const answered = lastAgentActivity !== null && lastAgentActivity.getTime() >= assignedAt
  if (answered) return null
  return now.getTime() - assignedAt >= timeoutMs ? 'no_answer' : null
}
