/**
 * What a conversation's audit log and messages say, as dated facts the reports add up
 * (relay/metrics/report.ts). Pure: no store, no clock. Definitions (also in docs/metrics.md):
 *
 * - A **request** runs from the conversation's creation, or from a `reopened` event, to the
 *   `resolved` event that ends it (none while open). Resolution facts are dated by that event.
 * - A **human cycle** starts at a `handoff`, at a `reopened` that sent it to the queue, or at the
 *   creation when a person took it over before any handoff: the SLA clocks' start (relay/sla/facts.ts).
 *   It runs to the next cycle's start. Its first response is the first agent reply (not an internal
 *   note) in it; its breaches are the `sla_breached` events recorded for that start.
 * - A resolution is **self-service** when its request had no handoff (nor a reopen to the queue), no
 *   assignment and no agent reply: the bot and the help articles did it (an agent's click on Resolve
 *   is not help).
 * - The **CSAT** and the **agent effort** of a resolution are the `csat` and `agent_effort` events
 *   after it and before the next reopen (one each: the state machine refuses a second).
 * - **Actions** of a resolution: what agents did in its request: replies and internal notes, and
 *   the `assigned`, `unassigned`, `updated`, `action_decided` and `resolved` events an agent made.
 * - **Sentiment**: the shopper's first and last message of the request, scored -1..1 by the bot's
 *   scorer (relay/bot/sentiment.ts); only requests with at least two shopper messages.
 * - **Contact to action**: the first meaningful action of a request is the earliest of a grounded
 *   bot answer or tool result (outcome `answer` or `tool`), an agent reply, an agent's decision on
 *   a bot action, or the resolution. Before it: the shopper's messages, the transfers (`handoff`,
 *   `unassigned`, and `assigned` away from a previous assignee) and the minutes since the shopper's
 *   first message of the request. A request without a shopper message is not counted.
 */
import type { AuditEvent, Channel, Message } from '../../shared/protocol.ts'
import type { Conversation } from '../store/types.ts'

/** One conversation as the metrics read it. */
export interface ConversationRecord {
  conversation: Pick<Conversation, 'id' | 'channel' | 'createdAt'>
  events: readonly AuditEvent[]
  messages: readonly Pick<Message, 'seq' | 'author' | 'text' | 'createdAt' | 'internal' | 'bot'>[]
}

export interface ResolutionFact {
  at: number
  channel: Channel
  /** From the request's start (creation or reopen) to the resolution. */
  durationMs: number
  selfService: boolean
  csat: number | null
  effort: number | null
  actions: number
  /** First and last shopper message's sentiment; null with fewer than two messages. */
  sentiment: { start: number; end: number } | null
}

export interface CycleFact {
  at: number
  channel: Channel
  firstResponseMs: number | null
  resolved: boolean
  firstResponseBreached: boolean
  resolutionBreached: boolean
}

export interface RequestFact {
  /** The shopper's first message of the request. */
  at: number
  channel: Channel
  /** Null while nothing meaningful happened yet. */
  action: { messages: number; transfers: number; minutes: number } | null
}

export interface ConversationFacts {
  createdAt: number
  channel: Channel
  resolutions: ResolutionFact[]
  cycles: CycleFact[]
  requests: RequestFact[]
}

export type SentimentScorer = (text: string) => number

const AGENT_ACTION_EVENTS = new Set(['assigned', 'unassigned', 'updated', 'action_decided', 'resolved'])

const time = (iso: string): number => Date.parse(iso)

function isTransfer(e: AuditEvent): boolean {
  if (e.type === 'handoff' || e.type === 'unassigned') return true
  return e.type === 'assigned' && typeof e.data.previousAssigneeId === 'string'
}

function isCycleStart(e: AuditEvent): boolean {
  return e.type === 'handoff' || (e.type === 'reopened' && e.data.to === 'queued')
}

type Msg = ConversationRecord['messages'][number]

/** The facts of one conversation. */
export function factsOf(record: ConversationRecord, sentiment: SentimentScorer): ConversationFacts {
  const { conversation } = record
  const channel = conversation.channel
  const createdAt = time(conversation.createdAt)
  // Stored order is the order of record; a stable sort by time keeps it for equal times.
  const events = [...record.events].sort((a, b) => time(a.at) - time(b.at))
  const messages = [...record.messages].sort((a, b) => a.seq - b.seq)
  return {
    createdAt,
    channel,
    resolutions: resolutionsOf(events, messages, createdAt, channel, sentiment),
    cycles: cyclesOf(conversation.createdAt, events, messages, channel),
    requests: requestsOf(events, messages, createdAt, channel),
  }
}

/** Requests as [start, end) spans with the resolved event that ends each (if any). */
function requestSpans(events: readonly AuditEvent[], createdAt: number) {
  const spans: { start: number; end: number; resolved: AuditEvent | null }[] = []
  let start = createdAt
  let resolved: AuditEvent | null = null
  for (const e of events) {
    if (e.type === 'resolved' && !resolved) resolved = e
    if (e.type === 'reopened') {
      spans.push({ start, end: time(e.at), resolved })
      start = time(e.at)
      resolved = null
    }
  }
  spans.push({ start, end: Number.POSITIVE_INFINITY, resolved })
  return spans
}

const within = (at: number, start: number, end: number) => at >= start && at < end

function resolutionsOf(
  events: readonly AuditEvent[],
  messages: readonly Msg[],
  createdAt: number,
  channel: Channel,
  sentiment: SentimentScorer,
): ResolutionFact[] {
  const facts: ResolutionFact[] = []
  for (const span of requestSpans(events, createdAt)) {
    if (!span.resolved) continue
    const resolvedAt = time(span.resolved.at)
    const inRequest = events.filter((e) => within(time(e.at), span.start, resolvedAt) || e === span.resolved)
    const after = events.filter((e) => within(time(e.at), resolvedAt, span.end))
    const said = messages.filter((m) => within(time(m.createdAt), span.start, resolvedAt + 1))
    const replies = said.filter((m) => m.author === 'agent' && !m.internal)
    const human = replies.length > 0 || inRequest.some((e) => isCycleStart(e) || e.type === 'assigned')
    const agentEvents = inRequest.filter((e) => e.actor.kind === 'agent' && AGENT_ACTION_EVENTS.has(e.type))
    const shopper = said.filter((m) => m.author === 'contact')
    const first = shopper[0]
    const last = shopper[shopper.length - 1]
    facts.push({
      at: resolvedAt,
      channel,
      durationMs: resolvedAt - span.start,
      selfService: !human,
      csat: score(after.find((e) => e.type === 'csat')),
      effort: score(after.find((e) => e.type === 'agent_effort')),
      actions: said.filter((m) => m.author === 'agent').length + agentEvents.length,
      sentiment:
        first && last && shopper.length >= 2
          ? { start: sentiment(first.text), end: sentiment(last.text) }
          : null,
    })
  }
  return facts
}

function score(event: AuditEvent | undefined): number | null {
  const value = event?.data.score
  return typeof value === 'number' ? value : null
}

function cyclesOf(
  createdIso: string,
  events: readonly AuditEvent[],
  messages: readonly Msg[],
  channel: Channel,
): CycleFact[] {
  const starts = events.filter(isCycleStart).map((e) => e.at)
  const firstAssigned = events.find((e) => e.type === 'assigned')
  // Taken over from the bot before any handoff: the SLA clock started at the creation.
  if (firstAssigned && (starts.length === 0 || time(firstAssigned.at) < time(starts[0] ?? ''))) {
    starts.unshift(createdIso)
  }
  return starts.map((startIso, i) => {
    const start = time(startIso)
    const next = starts[i + 1]
    const end = next === undefined ? Number.POSITIVE_INFINITY : time(next)
    const reply = messages.find(
      (m) => m.author === 'agent' && !m.internal && within(time(m.createdAt), start, end),
    )
    const breaches = events.filter((e) => e.type === 'sla_breached' && e.data.startedAt === startIso)
    return {
      at: start,
      channel,
      firstResponseMs: reply ? time(reply.createdAt) - start : null,
      resolved: events.some((e) => e.type === 'resolved' && within(time(e.at), start, end)),
      firstResponseBreached: breaches.some((e) => e.data.breach === 'first_response_breached'),
      resolutionBreached: breaches.some((e) => e.data.breach === 'resolution_breached'),
    }
  })
}

function requestsOf(
  events: readonly AuditEvent[],
  messages: readonly Msg[],
  createdAt: number,
  channel: Channel,
): RequestFact[] {
  const facts: RequestFact[] = []
  for (const span of requestSpans(events, createdAt)) {
    const said = messages.filter((m) => within(time(m.createdAt), span.start, span.end))
    const firstShopper = said.find((m) => m.author === 'contact')
    if (!firstShopper) continue
    const meaningfulMessage = said.find(
      (m) =>
        m.seq > firstShopper.seq &&
        ((m.author === 'agent' && !m.internal) ||
          (m.author === 'bot' && (m.bot?.outcome === 'answer' || m.bot?.outcome === 'tool'))),
    )
    const meaningfulEvent = events.find(
      (e) =>
        within(time(e.at), span.start, span.end) &&
        (e.type === 'resolved' || (e.type === 'action_decided' && e.actor.kind === 'agent')),
    )
    const candidates = [
      meaningfulMessage ? time(meaningfulMessage.createdAt) : Number.POSITIVE_INFINITY,
      meaningfulEvent ? time(meaningfulEvent.at) : Number.POSITIVE_INFINITY,
    ]
    const actionAt = Math.min(...candidates)
    const start = time(firstShopper.createdAt)
    if (!Number.isFinite(actionAt)) {
      facts.push({ at: start, channel, action: null })
      continue
    }
    const byMessage = meaningfulMessage !== undefined && actionAt === candidates[0]
    const before = said.filter(
      (m) =>
        m.author === 'contact' &&
        (byMessage && meaningfulMessage ? m.seq < meaningfulMessage.seq : time(m.createdAt) <= actionAt),
    )
    const transfers = events.filter(
      (e) => isTransfer(e) && time(e.at) >= span.start && time(e.at) < actionAt,
    ).length
    facts.push({
      at: start,
      channel,
      action: { messages: before.length, transfers, minutes: Math.max(0, actionAt - start) / 60_000 },
    })
  }
  return facts
}
