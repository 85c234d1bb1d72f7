/**
 * Pure inbox helpers: the views and filters, which conversations a view shows and in what order,
 * local counts when the relay sends none, and how a pushed or listed summary is merged into what
 * the console already knows.
 */
import type { InboxCounts, InboxQuery, InboxView } from '../../../shared/helpdesk.ts'
import type { Channel, ConversationSummary, InboxFilter, Priority } from '../../../shared/protocol.ts'

export type { InboxCounts, InboxView }

/** The views, in the order the inbox shows them (kept literal so the bundle needs no zod). */
export const INBOX_VIEWS: readonly InboxView[] = ['mine', 'unassigned', 'open', 'bot', 'resolved', 'all']

export const CHANNELS: readonly Channel[] = ['web', 'email', 'whatsapp', 'messenger', 'api']
export const PRIORITIES: readonly Priority[] = ['urgent', 'high', 'normal', 'low']

/** Narrows any view; an absent key means "any". */
export interface InboxFilters {
  channel?: Channel
  priority?: Priority
  tag?: string
  teamId?: string
}

/** The `inbox:query` payload for a view and its filters (absent filters are left out). */
export function queryFor(view: InboxView, filters: InboxFilters): InboxQuery {
  const q: InboxQuery = { view }
  if (filters.channel) q.channel = filters.channel
  if (filters.priority) q.priority = filters.priority
  if (filters.tag) q.tag = filters.tag
  if (filters.teamId) q.teamId = filters.teamId
  return q
}

/** A stable key for one query: the list the relay answered belongs to exactly this key. */
export function queryKey(view: InboxView, filters: InboxFilters): string {
  const q = queryFor(view, filters)
  return [q.view, q.channel ?? '', q.priority ?? '', q.tag ?? '', q.teamId ?? ''].join('|')
}

/** The older `inbox:list` filter covering a view, for a relay without `inbox:query`. */
export function legacyFilter(view: InboxView): InboxFilter {
  if (view === 'mine') return 'assigned'
  if (view === 'unassigned') return 'queued'
  return view
}

/**
 * Whether a conversation belongs in a view for the given agent. The relay decides for what it
 * lists; this decides for pushes that arrive in between.
 */
export function matchesView(c: ConversationSummary, view: InboxView, agentId: string | null): boolean {
  switch (view) {
    case 'mine':
      return c.status === 'assigned' && agentId !== null && c.assignee?.id === agentId
    case 'unassigned':
      return c.status === 'queued'
    case 'open':
      return c.status !== 'resolved'
    case 'bot':
      return c.status === 'bot'
    case 'resolved':
      return c.status === 'resolved'
    case 'all':
      return true
  }
}

export function matchesFilters(c: ConversationSummary, f: InboxFilters): boolean {
  if (f.channel && c.channel !== f.channel) return false
  if (f.priority && c.priority !== f.priority) return false
  if (f.tag && !(c.tags ?? []).includes(f.tag)) return false
  if (f.teamId && c.teamId !== f.teamId) return false
  return true
}

function time(iso: string | null | undefined): number {
  if (!iso) return Number.NaN
  return Date.parse(iso)
}

const RANK: Record<Priority, number> = { urgent: 0, high: 1, normal: 2, low: 3 }

function byId(a: ConversationSummary, b: ConversationSummary): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/** Newest activity first; ties broken by id so the order is stable. */
export function compareNewestFirst(a: ConversationSummary, b: ConversationSummary): number {
  return (time(b.updatedAt) || 0) - (time(a.updatedAt) || 0) || byId(a, b)
}

/** The queue's order, as the relay sorts it: priority, then SLA due time (none last), then age. */
export function compareQueue(a: ConversationSummary, b: ConversationSummary): number {
  const rank = RANK[a.priority] - RANK[b.priority]
  if (rank !== 0) return rank
  const da = time(a.sla?.dueAt)
  const db = time(b.sla?.dueAt)
  if (!Number.isNaN(da) || !Number.isNaN(db)) {
    if (Number.isNaN(da)) return 1
    if (Number.isNaN(db)) return -1
    if (da !== db) return da - db
  }
  return (time(a.createdAt) || 0) - (time(b.createdAt) || 0) || byId(a, b)
}

/** The views worked from the top like a queue (the relay orders them so too). */
export function isQueueView(view: InboxView): boolean {
  return view === 'unassigned' || view === 'open'
}

/** Queue views are ordered like the queue; the others newest first. */
export function comparatorFor(view: InboxView): (a: ConversationSummary, b: ConversationSummary) => number {
  return isQueueView(view) ? compareQueue : compareNewestFirst
}

/** Merges `extras` (sorted) into `base` (in the relay's order) where the comparator places them. */
function mergeInto<T>(base: readonly T[], extras: readonly T[], cmp: (a: T, b: T) => number): T[] {
  const out: T[] = []
  let i = 0
  let j = 0
  while (i < base.length || j < extras.length) {
    const b = base[i]
    const e = extras[j]
    if (e !== undefined && (b === undefined || cmp(e, b) < 0)) {
      out.push(e)
      j++
    } else if (b !== undefined) {
      out.push(b)
      i++
    }
  }
  return out
}

/** What `selectView` needs of the inbox state. */
export interface InboxIndex {
  byId: Readonly<Record<string, ConversationSummary>>
  /** Logical clock of each summary's last change. */
  touched: Readonly<Record<string, number>>
  /** The relay's answer for `orderKey`, in its order. */
  order: readonly string[]
  orderKey: string | null
  /** The clock when that answer was asked for. */
  listedAt: number
}

/**
 * The conversations a view shows. For the query the relay answered, its order and membership are
 * the truth for everything unchanged since it was asked; summaries pushed after that are placed
 * by the local rules. Without an answer (yet), the local rules decide alone.
 */
export function selectView(
  index: InboxIndex,
  view: InboxView,
  filters: InboxFilters,
  agentId: string | null,
): ConversationSummary[] {
  const matches = (c: ConversationSummary) => matchesView(c, view, agentId) && matchesFilters(c, filters)
  const cmp = comparatorFor(view)
  const answered = index.orderKey === queryKey(view, filters)
  const fresh = (id: string) => (index.touched[id] ?? 0) > index.listedAt
  const base: ConversationSummary[] = []
  const listed = new Set<string>()
  if (answered) {
    for (const id of index.order) {
      const c = index.byId[id]
      if (!c || listed.has(id)) continue
      listed.add(id)
      if (!fresh(id) || matches(c)) base.push(c)
    }
  }
  const extras = Object.values(index.byId)
    .filter((c) => !listed.has(c.id) && (!answered || fresh(c.id)) && matches(c))
    .sort(cmp)
  return mergeInto(base, extras, cmp)
}

/** Counts computed from what the console holds: the fallback when the relay sends none. */
export function countViews(
  byIdMap: Readonly<Record<string, ConversationSummary>>,
  agentId: string | null,
): InboxCounts {
  const counts: InboxCounts = { mine: 0, unassigned: 0, open: 0, bot: 0, resolved: 0, all: 0 }
  for (const c of Object.values(byIdMap)) {
    for (const view of INBOX_VIEWS) if (matchesView(c, view, agentId)) counts[view] += 1
  }
  return counts
}

/** Counts pushed or answered by the relay; a malformed value keeps the held counts. */
export function mergeCounts(held: InboxCounts | null, incoming: unknown): InboxCounts | null {
  if (typeof incoming !== 'object' || incoming === null) return held
  const next = { ...(held ?? { mine: 0, unassigned: 0, open: 0, bot: 0, resolved: 0, all: 0 }) }
  let changed = held === null
  for (const view of INBOX_VIEWS) {
    const n = (incoming as Record<string, unknown>)[view]
    if (typeof n === 'number' && Number.isFinite(n) && n >= 0 && next[view] !== n) {
      next[view] = Math.floor(n)
      changed = true
    }
  }
  return changed ? next : held
}

/** An incoming summary older than the one held (by time and sequence) is a late duplicate. */
export function isStale(incoming: ConversationSummary, held: ConversationSummary | undefined): boolean {
  if (!held) return false
  return (time(incoming.updatedAt) || 0) < (time(held.updatedAt) || 0) && incoming.lastSeq <= held.lastSeq
}

/** The tags in use across what the console holds, for the tag filter. */
export function knownTags(byIdMap: Readonly<Record<string, ConversationSummary>>): string[] {
  const tags = new Set<string>()
  for (const c of Object.values(byIdMap)) for (const t of c.tags ?? []) tags.add(t)
  return [...tags].sort()
}

/** How many conversations wait for a person; shown in the title. */
export function countQueued(byIdMap: Readonly<Record<string, ConversationSummary>>): number {
  let n = 0
  for (const c of Object.values(byIdMap)) if (c.status === 'queued') n++
  return n
}
