/**
 * The `local` provider: no model, no key. Answers with an excerpt of the best verified article
 * when retrieval is confident, asks which article is meant when two are equally good, and hands
 * off otherwise. Deterministic: the same question and articles give the same reply.
 *
 * Orders: a message naming an order (or giving the email the bot asked for) goes to the relay's
 * tools first: a status question to `lookupOrder`, a refund / cancellation / replacement to
 * `requestAction`. The reply says exactly what the tool result says, never more.
 */
import type { ActionRequest } from '../../shared/policy.ts'
import type { Message, Source } from '../../shared/protocol.ts'
import { buildExcerpt } from './excerpt.ts'
import { extractContext } from './handoff.ts'
import { botStrings, format } from './locale.ts'
import { analyzeQuery, type Concept } from './query.ts'
import type { ConceptRetriever } from './retrieval.ts'
import type {
  ActionInput,
  BotDecision,
  BotEvent,
  BotProvider,
  Hit,
  ProviderInput,
  Retriever,
  Signals,
  ToolResult,
} from './types.ts'

/** Minimum retrieval confidence for an answer; below it the question goes to a person. */
export const ANSWER_THRESHOLD = 0.45
/** An answer must cover more than half of what was asked, however clear the winner is. */
const MIN_COVERAGE = 0.6
/** Two hits are a tie when their coverage differs by less than this and their scores by < 15 %. */
const TIE_COVERAGE = 0.05
const TIE_SCORE_RATIO = 0.85
/** A tie is only worth a question when both articles cover at least this much of it. */
const CLARIFY_COVERAGE = 0.6

export interface LocalProviderOptions {
  threshold?: number
}

function isConceptRetriever(retriever: Retriever): retriever is ConceptRetriever {
  return 'analyze' in retriever && typeof retriever.analyze === 'function'
}

function conceptsFor(input: ProviderInput): Concept[] {
  return isConceptRetriever(input.retriever)
    ? input.retriever.analyze(input.text)
    : analyzeQuery(input.text, { words: new Set(), stems: new Set() })
}

function isTie(top: Hit, second: Hit | undefined): second is Hit {
  if (!second) return false
  const coverageGap = (top.coverage ?? top.confidence) - (second.coverage ?? second.confidence)
  return coverageGap < TIE_COVERAGE && second.score >= TIE_SCORE_RATIO * top.score
}

/** Splits a reply into sentence-sized deltas, as a streaming provider would send it. */
function emitText(text: string, emit: (event: BotEvent) => void): void {
  for (const part of text.split(/(?<=[.!?:]\s)/)) if (part.length > 0) emit({ type: 'delta', text: part })
}

// ---------------------------------------------------------------------------------------------
// Orders
// ---------------------------------------------------------------------------------------------

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/
/** "TW-1001", "AB-12345": a store prefix, a dash, digits. */
const PREFIXED_NUMBER = /\b([A-Za-z]{1,5}-\d{3,})\b/
const AMOUNT =
  /(?:[$€£]\s?(\d+(?:[.,]\d{1,2})?))|(?:\b(\d+(?:[.,]\d{1,2})?)\s?(?:usd|eur|gbp|dollars?|euros?|pounds?)\b)/i
const REFUND = /\b(?:refund\w*|money back|reimburs\w*|pay (?:me )?back)\b/i
const CANCEL = /\bcancel\w*\b/i
const REPLACEMENT = /\b(?:replace\w*|send (?:me )?(?:a )?new one|another one)\b/i

type OrderAction = 'refund' | 'cancel' | 'replacement'

/** Strings of the order replies (English; `{label}` is the relay's name for the action). */
const ORDER_TEXT = {
  askEmail:
    'To help with order {number}, I need to check it is yours: please tell me the email address used on the order.',
  notFound: 'I could not find order {number}. Could you check the number?',
  executed: 'Done: your {label} went through (reference {reference}).',
  pending:
    'I have passed your {label} to our team. A person will review it and you will see their answer here; nothing has been done yet.',
  refused:
    'I cannot do that: {why} If you would like a person from our team to look at it, type "talk to a person".',
}

const REFUSAL_WHY: Record<string, string> = {
  mode_never: 'I am not allowed to do this for you.',
  over_limit: 'the amount is above what I am allowed to handle.',
  over_refundable: 'the amount is more than what is left to refund on this order.',
  amount_invalid: 'I need a valid amount for the refund.',
  not_delivered: 'this is only possible once the order has been delivered.',
  delivery_window_passed: 'the time allowed after delivery has passed.',
  status_not_allowed: "it is not possible in the order's current state.",
  already_cancelled: 'the order is already cancelled.',
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => values[k] ?? m)
}

function orderNumberIn(text: string): string | null {
  const withoutEmails = text.replace(new RegExp(EMAIL.source, 'g'), ' ')
  return extractContext([text]).orderNumber ?? withoutEmails.match(PREFIXED_NUMBER)?.[1] ?? null
}

function actionIn(text: string): OrderAction | null {
  if (REFUND.test(text)) return 'refund'
  if (CANCEL.test(text)) return 'cancel'
  if (REPLACEMENT.test(text)) return 'replacement'
  return null
}

function amountIn(text: string): number | undefined {
  const m = text.match(AMOUNT)
  const raw = m?.[1] ?? m?.[2]
  return raw === undefined ? undefined : Number(raw.replace(',', '.'))
}

interface OrderAsk {
  number: string
  email: string | undefined
  action: OrderAction | null
  /** The message that named the order: where the action and the amount are read. */
  text: string
}

/** The order the shopper is asking about: named now, or named earlier when they now give the email. */
function orderAsk(text: string, history: readonly Message[]): OrderAsk | null {
  const shopper = history.filter((m) => m.author === 'contact').map((m) => m.text)
  const email =
    text.match(EMAIL)?.[0] ??
    [...shopper]
      .reverse()
      .find((t) => EMAIL.test(t))
      ?.match(EMAIL)?.[0]
  const number = orderNumberIn(text)
  if (number) return { number, email, action: actionIn(text), text }
  if (!EMAIL.test(text)) return null
  // "maya@example.com" after the bot asked for it: the order named in the last few messages.
  for (const earlier of shopper.slice(-4).reverse()) {
    const named = orderNumberIn(earlier)
    if (named) return { number: named, email, action: actionIn(earlier), text: earlier }
  }
  return null
}

function describeOrder(data: Record<string, unknown>): string {
  const number = String(data.number)
  const text = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : null)
  const carrier = text(data.carrier)
  const tracking = text(data.tracking)
  const shipping =
    carrier && tracking
      ? ` Carrier: ${carrier}, tracking number ${tracking}.`
      : carrier
        ? ` Carrier: ${carrier}.`
        : ''
  switch (data.status) {
    case 'delivered':
      return `Order ${number} was delivered${text(data.deliveredAt) ? ` on ${data.deliveredAt}` : ''}.${shipping}`
    case 'shipped':
      return `Order ${number} has shipped and is on its way.${shipping}`
    case 'processing':
      return `Order ${number} is being prepared and has not shipped yet${text(data.placedAt) ? ` (placed on ${data.placedAt})` : ''}.`
    default:
      return `Order ${number} is ${String(data.status)}.${shipping}`
  }
}

async function orderTurn(
  input: ProviderInput,
  emit: (event: BotEvent) => void,
  signals: Signals,
): Promise<BotDecision | null> {
  const ask = orderAsk(input.text, input.history)
  if (!ask) return null
  const say = (
    outcome: 'clarify' | 'tool',
    text: string,
    tool?: string,
    sources: Source[] = [],
  ): BotDecision => {
    emitText(text, emit)
    return outcome === 'tool'
      ? { outcome, tool: tool ?? 'order_lookup', text, sources, ...signals }
      : { outcome, text, ...signals }
  }
  // Null: no order tools here (no orders source, offline evaluation): the articles answer instead.
  const failed = (result: Extract<ToolResult, { ok: false }>, action?: ActionRequest): BotDecision | null => {
    if (result.code === 'not_verified')
      return say('clarify', fill(ORDER_TEXT.askEmail, { number: ask.number }))
    if (result.code === 'not_found') return say('clarify', fill(ORDER_TEXT.notFound, { number: ask.number }))
    if (result.code === 'unavailable' || result.code === 'invalid') return null
    const why = (action?.reasonCode && REFUSAL_WHY[action.reasonCode]) || `${result.error}`
    return say('clarify', fill(ORDER_TEXT.refused, { why: /[.!?]$/.test(why) ? why : `${why}.` }))
  }

  if (!ask.action) {
    emit({ type: 'tool_call', name: 'order_lookup', input: { orderNumber: ask.number } })
    const result = await input.tools.lookupOrder({
      orderNumber: ask.number,
      ...(ask.email ? { email: ask.email } : {}),
    })
    emit({ type: 'tool_result', name: 'order_lookup', output: { ok: result.ok } })
    if (!result.ok) {
      if (result.code === 'refused')
        return {
          outcome: 'handoff',
          reason: 'policy',
          text: '',
          summary: `Order look-up for ${ask.number}.`,
          priority: 'normal',
          ...signals,
        }
      return failed(result)
    }
    return say('tool', describeOrder(result.data), 'order_lookup', result.sources)
  }

  const request: ActionInput = {
    type: ask.action,
    orderNumber: ask.number,
    reason: ask.text.slice(0, 500),
    ...(ask.email ? { email: ask.email } : {}),
    ...(ask.action === 'refund' && amountIn(ask.text) !== undefined ? { amount: amountIn(ask.text) } : {}),
  }
  emit({ type: 'tool_call', name: ask.action, input: { orderNumber: ask.number, amount: request.amount } })
  const result = await input.tools.requestAction(request)
  emit({ type: 'tool_result', name: ask.action, output: { ok: result.ok } })
  if (!result.ok) return failed(result, result.action)
  const label = String(result.data.label ?? `request for order ${ask.number}`)
  if (result.data.status === 'executed') {
    const reference = String(result.data.reference ?? result.data.actionId ?? '')
    return say('tool', fill(ORDER_TEXT.executed, { label, reference }), ask.action, result.sources)
  }
  return say('tool', fill(ORDER_TEXT.pending, { label }), ask.action, result.sources)
}

export function createLocalProvider(options: LocalProviderOptions = {}): BotProvider {
  const threshold = options.threshold ?? ANSWER_THRESHOLD
  return {
    name: 'local',
    async respond(input, emit, signal): Promise<BotDecision> {
      signal.throwIfAborted()
      const signals = { intent: input.intent, sentiment: input.sentiment }
      const order = await orderTurn(input, emit, signals)
      signal.throwIfAborted()
      if (order) return order
      const [top, second] = input.retriever.search(input.text, 2)
      const handoff = (reason: 'no_answer' | 'low_confidence'): BotDecision => ({
        outcome: 'handoff',
        reason,
        text: '',
        summary: '',
        priority: 'normal',
        ...signals,
      })
      if (!top) return handoff('no_answer')
      if (isTie(top, second)) {
        const both = Math.min(top.coverage ?? 0, second.coverage ?? 0)
        if (both < CLARIFY_COVERAGE) return handoff('low_confidence')
        const text = format(botStrings(input.locale).clarify, {
          first: top.article.title,
          second: second.article.title,
        })
        emitText(text, emit)
        return { outcome: 'clarify', text, ...signals }
      }
      if (top.confidence < threshold || (top.coverage ?? 1) < MIN_COVERAGE) return handoff('low_confidence')
      const text = buildExcerpt(top.article.body, conceptsFor(input))
      if (text.length === 0) return handoff('no_answer')
      signal.throwIfAborted()
      emitText(text, emit)
      return {
        outcome: 'answer',
        text,
        sources: [{ slug: top.article.slug, title: top.article.title, url: input.articleUrl(top.article) }],
        confidence: top.confidence,
        ...signals,
      }
    },
  }
}
