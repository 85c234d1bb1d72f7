/**
 * The console inbox, pure: which conversations each view holds, the filters that narrow any view,
 * the order of a view, and the count of every view. The socket handler reads the store and calls these.
 */
import type { InboxCounts, InboxQuery, InboxView } from '../../shared/helpdesk.ts'
import type { ConversationStatus, ConversationSummary } from '../../shared/protocol.ts'
import { PRIORITY_RANK } from '../routing/priority.ts'
import type { Conversation } from '../store/types.ts'

export const INBOX_VIEWS: readonly InboxView[] = ['mine', 'unassigned', 'open', 'bot', 'resolved', 'all']

/** At most this many conversations per answer; counts are always complete. */
export const INBOX_LIMIT = 200

const OPEN: ReadonlySet<ConversationStatus> = new Set(['bot', 'queued', 'assigned'])

/** Whether a conversation belongs to a view, for the agent `agentId`. */
export function inView(view: InboxView, conversation: Conversation, agentId: string): boolean {
  switch (view) {
    case 'mine':
      return conversation.status === 'assigned' && conversation.assigneeId === agentId
    case 'unassigned':
      return conversation.status === 'queued'
    case 'open':
      return OPEN.has(conversation.status)
    case 'bot':
      return conversation.status === 'bot'
    case 'resolved':
      return conversation.status === 'resolved'
    case 'all':
      return true
  }
}

/** The statuses a view can hold: what to ask the store for. */
export function viewStatuses(view: InboxView): ConversationStatus[] | undefined {
  switch (view) {
    case 'mine':
      return ['assigned']
    case 'unassigned':
      return ['queued']
    case 'open':
      return [...OPEN]
    case 'bot':
      return ['bot']
    case 'resolved':
      return ['resolved']
    case 'all':
      return undefined
  }
}

/** The filters (channel, priority, tag, team) of a query; every one given must match. */
export function matchesFilters(conversation: Conversation, query: Omit<InboxQuery, 'view'>): boolean {
  if (query.channel && conversation.channel !== query.channel) return false
  if (query.priority && conversation.priority !== query.priority) return false
  if (query.tag && !(conversation.tags ?? []).includes(query.tag.trim().toLowerCase())) return false
  if (query.teamId && (conversation.teamId ?? null) !== query.teamId) return false
  return true
}

/** Queue-like views are worked from the top: most urgent and soonest due first, then the oldest. */
export function isQueueView(view: InboxView): boolean {
  return view === 'unassigned' || view === 'open'
}

function compare<T extends number | string>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function dueTime(summary: ConversationSummary): number {
  const due = summary.sla?.dueAt
  const time = due ? Date.parse(due) : Number.NaN
  return Number.isNaN(time) ? Number.POSITIVE_INFINITY : time
}

/** Priority (urgent > high > normal > low), then SLA due time (none last), then oldest, then id. */
export function queueOrder(a: ConversationSummary, b: ConversationSummary): number {
  return (
    compare(PRIORITY_RANK[b.priority], PRIORITY_RANK[a.priority]) ||
    compare(dueTime(a), dueTime(b)) ||
    compare(a.createdAt, b.createdAt) ||
    compare(a.id, b.id)
  )
}

/** Newest activity first. */
export function recentOrder(a: ConversationSummary, b: ConversationSummary): number {
  return compare(b.updatedAt, a.updatedAt) || compare(b.id, a.id)
}

/** A view's conversations in its order, at most `limit`. */
export function orderView(
  view: InboxView,
  summaries: readonly ConversationSummary[],
  limit = INBOX_LIMIT,
): ConversationSummary[] {
  return [...summaries].sort(isQueueView(view) ? queueOrder : recentOrder).slice(0, limit)
}

/** The count of every view for one agent (without filters: counts label the view tabs). */
export function countViews(conversations: Iterable<Conversation>, agentId: string): InboxCounts {
  const counts: InboxCounts = { mine: 0, unassigned: 0, open: 0, bot: 0, resolved: 0, all: 0 }
  for (const c of conversations) {
    for (const view of INBOX_VIEWS) if (inView(view, c, agentId)) counts[view]++
  }
  return counts
}
