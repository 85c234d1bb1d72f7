/**
 * A conversation's priority at handoff, from what the bot detected and who the shopper is.
 *
 * | rule                                                          | effect                      |
 * |---------------------------------------------------------------|-----------------------------|
 * | intent fraud, chargeback, legal, abuse, safety                | base urgent                 |
 * | intent payment_failed, double_charge, complaint, data_deletion| base high                   |
 * | intent out_of_scope, greeting, thanks, ask_if_bot             | base low                    |
 * | any other intent (shipping, returns, request_human, unknown…) | base normal                 |
 * | sentiment ≤ -0.6 (the bot's "strongly negative")              | one step up                 |
 * | VIP, or lifetime value ≥ threshold (default 1000)             | one step up (once for both) |
 * | the bot suggested a priority                                  | never below it              |
 *
 * Steps stop at urgent. The sensitive-topic priorities come from the bot's own rules
 * (`SENSITIVE` in relay/bot/intent-patterns.ts), so the bot and the queue cannot disagree.
 */
import type { Priority } from '../../shared/protocol.ts'
import { SENSITIVE } from '../bot/intent-patterns.ts'
import { STRONG_NEGATIVE } from '../bot/sentiment.ts'

/** Higher is more urgent. */
export const PRIORITY_RANK: Readonly<Record<Priority, number>> = { low: 0, normal: 1, high: 2, urgent: 3 }
const BY_RANK: readonly Priority[] = ['low', 'normal', 'high', 'urgent']

export const DEFAULT_HIGH_VALUE_THRESHOLD = 1000

/** Intents that need a person least: nothing store-related was asked. */
const LOW_INTENTS = new Set(['out_of_scope', 'greeting', 'thanks', 'ask_if_bot'])

export interface PriorityInput {
  /** The bot's intent label (`payment_failed`, `double_charge`, an article slug, `unknown`, …). */
  intent: string
  /** -1 (very negative) .. 1; null when unknown. */
  sentiment: number | null
  contact: { vip?: boolean; lifetimeValue?: number }
  botSuggested?: Priority
}

export interface PriorityOptions {
  /** Lifetime value (store currency) from which a shopper counts as high value. */
  highValueThreshold?: number
}

/** One step more urgent, at most urgent. */
export function raise(priority: Priority): Priority {
  return BY_RANK[Math.min(PRIORITY_RANK[priority] + 1, BY_RANK.length - 1)] as Priority
}

/** The more urgent of two priorities. */
export function higher(a: Priority, b: Priority): Priority {
  return PRIORITY_RANK[a] >= PRIORITY_RANK[b] ? a : b
}

/** The priority an intent starts from, before sentiment and customer value. */
export function basePriority(intent: string): Priority {
  const sensitive = SENSITIVE.find((rule) => rule.topic === intent)
  if (sensitive) return sensitive.priority
  return LOW_INTENTS.has(intent) ? 'low' : 'normal'
}

/** The priority a handed-off conversation gets (see the table above). */
export function priorityFor(input: PriorityInput, options: PriorityOptions = {}): Priority {
  const threshold = options.highValueThreshold ?? DEFAULT_HIGH_VALUE_THRESHOLD
  let priority = basePriority(input.intent)
  if (input.sentiment !== null && input.sentiment <= STRONG_NEGATIVE) priority = raise(priority)
  const valuable = input.contact.vip === true || (input.contact.lifetimeValue ?? 0) >= threshold
  if (valuable) priority = raise(priority)
  return input.botSuggested ? higher(priority, input.botSuggested) : priority
}
