/**
 * What an agent gets with a handed-off conversation: a one-paragraph summary (why, what was
 * asked, the order number, email and name found in the shopper's messages) and a priority.
 */
import type { Message, Priority } from '../../shared/protocol.ts'
import type { SensitiveTopic } from './intents.ts'
import { STRONG_NEGATIVE } from './sentiment.ts'
import type { HandoffReason } from './types.ts'

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/
const ORDER_NUMBER =
  /\b(?:order|purchase|invoice|bill|parcel|package)\s*(?:number|no\.?|num|nr|id|#)?\s*[:#]?\s*#?([A-Z0-9][A-Z0-9-]{3,})\b/i
const HASH_NUMBER = /#\s?([A-Z0-9-]{4,})\b/i
const LONG_NUMBER = /\b(\d{6,})\b/
const NAME = /\bmy name is ([A-Z][a-z]+(?: [A-Z][a-z]+)?)/

export interface HandoffContext {
  orderNumber: string | null
  email: string | null
  name: string | null
}

/** Order number, email and name from the shopper's messages, latest first. */
export function extractContext(texts: string[]): HandoffContext {
  const context: HandoffContext = { orderNumber: null, email: null, name: null }
  for (const text of [...texts].reverse()) {
    if (!context.email) context.email = text.match(EMAIL)?.[0] ?? null
    if (!context.orderNumber) {
      const withoutEmails = text.replace(new RegExp(EMAIL.source, 'g'), ' ')
      const found = [ORDER_NUMBER, HASH_NUMBER, LONG_NUMBER]
        .map((p) => withoutEmails.match(p)?.[1])
        .find((m) => m !== undefined && /\d/.test(m))
      context.orderNumber = found ?? null
    }
    if (!context.name) context.name = text.match(NAME)?.[1] ?? null
  }
  return context
}

const REASON_LABEL: Record<HandoffReason, string> = {
  requested_human: 'the shopper asked for a person',
  sensitive_topic: 'sensitive topic',
  negative_sentiment: 'the shopper is upset',
  no_answer: 'no verified article answers this',
  low_confidence: 'no article matched confidently',
  out_of_scope: 'not about the store',
  policy: 'the reply broke a bot policy',
  provider_error: 'the assistant failed (error or timeout)',
}

const RANK: Record<Priority, number> = { low: 0, normal: 1, high: 2, urgent: 3 }

function highest(priorities: Priority[]): Priority {
  return priorities.reduce<Priority>((best, p) => (RANK[p] > RANK[best] ? p : best), 'low')
}

/** Priority: the sensitive topic's, high when the shopper is very negative, low when off topic. */
export function handoffPriority(
  reason: HandoffReason,
  sensitive: SensitiveTopic | null,
  sentiment: number,
): Priority {
  const candidates: Priority[] = [reason === 'out_of_scope' ? 'low' : 'normal']
  if (sensitive) candidates.push(sensitive.priority)
  if (sentiment <= STRONG_NEGATIVE) candidates.push('high')
  return highest(candidates)
}

export interface SummaryInput {
  reason: HandoffReason
  intent: string
  sentiment: number
  sensitive: SensitiveTopic | null
  text: string
  history: Message[]
}

function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`
}

/** One paragraph for the agent, e.g. `Handed off: sensitive topic (payment_failed). Intent: … Asked: "…". Order: 123.` */
export function handoffSummary(input: SummaryInput): string {
  const shopperTexts = [...input.history.filter((m) => m.author === 'contact').map((m) => m.text), input.text]
  const context = extractContext(shopperTexts)
  const reason =
    input.sensitive && input.reason === 'sensitive_topic'
      ? `sensitive topic (${input.sensitive.topic})`
      : REASON_LABEL[input.reason]
  const parts = [
    `Handed off: ${reason}.`,
    `Intent: ${input.intent}.`,
    `Sentiment: ${input.sentiment.toFixed(2)}.`,
    `Asked: "${shorten(input.text, 280)}".`,
  ]
  if (context.orderNumber) parts.push(`Order: ${context.orderNumber}.`)
  if (context.email) parts.push(`Email: ${context.email}.`)
  if (context.name) parts.push(`Name: ${context.name}.`)
  return parts.join(' ')
}
