/**
 * QA of bot answers and the knowledge-gap inputs, read from conversations and their audit log.
 *
 * Review order: answers nobody has reviewed come first; among them (and then among the reviewed)
 * the least confident come first in bands — below 0.6, below 0.75, the rest, with an unknown
 * confidence counted as the lowest — and within a band the newest first. Bands rather than a
 * strict confidence sort keep last week's 0.52 from burying today's 0.55.
 */
import { newId } from '../../shared/ids.ts'
import type { BotAnswerReview, BotAnswerReviewState, ReviewCreate } from '../../shared/kb.ts'
import type { AuditEvent, Message } from '../../shared/protocol.ts'
import { AppError } from '../errors.ts'
import type { Agent, Conversation, Store } from '../store/types.ts'
import { changeArticle } from './articles.ts'
import { GAP_REASONS, type GapQuestion } from './gaps.ts'

/** Conversations scanned per request, newest first. */
export const SCAN_LIMIT = 1000
const CONFIDENCE_BANDS = [0.6, 0.75]

function band(confidence: number | null): number {
  if (confidence === null) return -1
  const index = CONFIDENCE_BANDS.findIndex((edge) => confidence < edge)
  return index === -1 ? CONFIDENCE_BANDS.length : index
}

/** The review order described at the top of this file. */
export function compareReviews(a: BotAnswerReview, b: BotAnswerReview): number {
  const reviewed = Number(a.review !== null) - Number(b.review !== null)
  if (reviewed !== 0) return reviewed
  const bands = band(a.confidence) - band(b.confidence)
  if (bands !== 0) return bands
  return a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0
}

/** A bot message worth reviewing: an answer or a tool reply (greetings, handoffs and the like are fixed texts). */
export function isReviewable(m: Message): boolean {
  if (m.author !== 'bot') return false
  if (m.bot) return m.bot.outcome === 'answer' || m.bot.outcome === 'tool'
  return m.sources.length > 0
}

/** The latest verdict per message id in a conversation's events. */
export function reviewsByMessage(events: readonly AuditEvent[]): Map<string, BotAnswerReviewState> {
  const out = new Map<string, BotAnswerReviewState>()
  for (const e of events) {
    if (e.type !== 'bot_reviewed') continue
    const { messageId, verdict, note, agentName } = e.data
    if (typeof messageId !== 'string' || (verdict !== 'correct' && verdict !== 'wrong')) continue
    out.set(messageId, {
      verdict,
      note: typeof note === 'string' && note !== '' ? note : null,
      agentId: e.actor.id,
      agentName: typeof agentName === 'string' ? agentName : null,
      at: e.at,
    })
  }
  return out
}

/** The shopper message a bot message answered: the last one before it. */
function questionBefore(messages: readonly Message[], seq: number): string | null {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]
    if (m && m.seq < seq && m.author === 'contact') return m.text
  }
  return null
}

export interface ReviewListOptions {
  status?: 'unreviewed' | 'reviewed' | 'all'
  limit?: number
}

/** Bot answers of a site, in review order. */
export async function listBotAnswers(
  store: Store,
  siteId: string,
  options: ReviewListOptions = {},
): Promise<BotAnswerReview[]> {
  const conversations = await store.listConversations({ siteIds: [siteId], limit: SCAN_LIMIT })
  const out: BotAnswerReview[] = []
  for (const c of conversations) {
    const [messages, events] = await Promise.all([store.listMessages(c.id), store.listEvents(c.id)])
    const reviews = reviewsByMessage(events)
    for (const m of messages) {
      if (!isReviewable(m)) continue
      const review = reviews.get(m.id) ?? null
      if (options.status === 'unreviewed' && review) continue
      if (options.status === 'reviewed' && !review) continue
      out.push({
        conversationId: c.id,
        messageId: m.id,
        seq: m.seq,
        question: questionBefore(messages, m.seq),
        answer: m.text,
        sources: m.sources,
        confidence: m.bot?.confidence ?? null,
        outcome: m.bot?.outcome ?? 'answer',
        createdAt: m.createdAt,
        review,
      })
    }
  }
  return out.sort(compareReviews).slice(0, options.limit ?? 200)
}

export interface ReviewOutcome {
  event: AuditEvent
  /** Articles flagged for review (a wrong verdict). */
  flagged: string[]
}

/**
 * Records an agent's verdict on a bot answer as a `bot_reviewed` event of its conversation; a
 * wrong answer flags every article it cited with `needsReview`.
 */
export async function recordReview(
  store: Store,
  agent: Agent,
  siteId: string,
  input: ReviewCreate,
  now: Date,
): Promise<ReviewOutcome> {
  const conversation = await store.getConversation(input.conversationId)
  if (!conversation || conversation.siteId !== siteId) throw new AppError('not_found', 'no such conversation')
  const message = (await store.listMessages(conversation.id)).find((m) => m.id === input.messageId)
  if (!message) throw new AppError('not_found', 'no such message')
  if (message.author !== 'bot') throw new AppError('invalid_payload', 'only bot messages can be reviewed')
  const at = now.toISOString()
  const flagged: string[] = []
  if (input.verdict === 'wrong') {
    for (const source of message.sources) {
      const changed = await changeArticle(store, siteId, source.slug, (a) =>
        a.needsReview ? null : { ...a, needsReview: true },
      )
      if (changed) flagged.push(source.slug)
    }
  }
  const event: AuditEvent = {
    id: newId('evt_'),
    conversationId: conversation.id,
    type: 'bot_reviewed',
    actor: { kind: 'agent', id: agent.id },
    at,
    data: {
      messageId: message.id,
      verdict: input.verdict,
      note: input.note ?? '',
      agentName: agent.name,
      sources: message.sources.map((s) => s.slug),
      flagged,
    },
  }
  // A review changes nothing about the conversation itself: the same state, with the event.
  const result = await store.updateConversation(conversation.id, (current: Conversation) => ({
    ok: true,
    conversation: current,
    event,
  }))
  if (!result) throw new AppError('not_found', 'no such conversation')
  if (!result.ok) throw AppError.from(result.error)
  return { event, flagged }
}

/** The handed-off questions of a site that the gap report groups (newest conversations first). */
export async function collectGapQuestions(store: Store, siteId: string): Promise<GapQuestion[]> {
  const reasons = new Set<string>(GAP_REASONS)
  const conversations = await store.listConversations({ siteIds: [siteId], limit: SCAN_LIMIT })
  const out: GapQuestion[] = []
  for (const c of conversations) {
    const events = await store.listEvents(c.id)
    const handoffs = events.filter((e) => e.type === 'handoff' && reasons.has(String(e.data.reason)))
    if (handoffs.length === 0) continue
    const messages = await store.listMessages(c.id)
    const contact = messages.filter((m) => m.author === 'contact')
    for (const handoff of handoffs) {
      // The question handed off: the shopper's last message before the handoff (the first as a fallback).
      const before = contact.filter((m) => m.createdAt <= handoff.at)
      const question = (before[before.length - 1] ?? contact[0])?.text.trim()
      if (!question) continue
      out.push({ question, conversationId: c.id, at: handoff.at, reason: String(handoff.data.reason) })
    }
  }
  return out
}
