/**
 * Pure inbox helpers: which conversations a tab shows, the order they are shown in, and how a
 * pushed or listed summary is merged into what the console already knows.
 */
import type { ConversationSummary, InboxFilter } from '../../../shared/protocol.ts'

/** A tab of the inbox: every server filter plus `mine` (assigned to the signed-in agent). */
export type InboxTab = InboxFilter | 'mine'

export const INBOX_TABS: readonly InboxTab[] = [
  'open',
  'mine',
  'queued',
  'bot',
  'assigned',
  'resolved',
  'all',
]

/** The server filter that covers a tab; `mine` is narrowed on the client. */
export function serverFilter(tab: InboxTab): InboxFilter {
  return tab === 'mine' ? 'assigned' : tab
}

/** Whether a conversation belongs in a tab for the given agent. */
export function matchesTab(c: ConversationSummary, tab: InboxTab, agentId: string | null): boolean {
  switch (tab) {
    case 'open':
      return c.status !== 'resolved'
    case 'mine':
      return c.status === 'assigned' && agentId !== null && c.assignee?.id === agentId
    case 'all':
      return true
    default:
      return c.status === tab
  }
}

function time(iso: string): number {
  const t = Date.parse(iso)
  return Number.isNaN(t) ? 0 : t
}

/** Newest activity first; ties broken by id so the order is stable. */
export function compareNewestFirst(a: ConversationSummary, b: ConversationSummary): number {
  return time(b.updatedAt) - time(a.updatedAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}

/** An incoming summary older than the one held (by time and sequence) is a late duplicate. */
export function isStale(incoming: ConversationSummary, held: ConversationSummary | undefined): boolean {
  if (!held) return false
  return time(incoming.updatedAt) < time(held.updatedAt) && incoming.lastSeq <= held.lastSeq
}

/** The conversations a tab shows, newest first. */
export function selectTab(
  byId: Readonly<Record<string, ConversationSummary>>,
  tab: InboxTab,
  agentId: string | null,
): ConversationSummary[] {
  return Object.values(byId)
    .filter((c) => matchesTab(c, tab, agentId))
    .sort(compareNewestFirst)
}

/** How many conversations wait for a person; shown on the Queued tab and in the title. */
export function countQueued(byId: Readonly<Record<string, ConversationSummary>>): number {
  let n = 0
  for (const c of Object.values(byId)) if (c.status === 'queued') n++
  return n
}
