/**
 * Rule-based signals for one shopper message: an explicit request for a person, sensitive
 * topics, small talk, "are you a bot?", off-topic questions, sentiment. Deterministic, no model.
 */
import type { Priority } from '../../shared/protocol.ts'
import {
  ASKS_IF_BOT,
  HUMAN_REQUEST,
  KEY_WORDS,
  OFF_TOPIC_STRONG,
  OFF_TOPIC_WEAK,
  PAYMENT_CONTEXT,
  SENSITIVE,
  SMALL_TALK,
  STORE_WORDS,
} from './intent-patterns.ts'
import { scoreSentiment } from './sentiment.ts'
import { isProfanity, normalize, tokenize } from './text.ts'
import type { Retriever, Signals } from './types.ts'
import { isTypoOf } from './typo.ts'

/** Retrieval confidence at which a question with off-topic words is still taken as a store question. */
const ON_TOPIC_CONFIDENCE = 0.75
/** Below this, a message without any shopping word is off topic. */
const NO_STORE_WORD_CONFIDENCE = 0.3

export interface SensitiveTopic {
  topic: string
  priority: Priority
}

export interface IntentSignals extends Signals {
  requestsHuman: boolean
  sensitive: SensitiveTopic | null
  asksIfBot: boolean
  smallTalk: 'greeting' | 'thanks' | null
  /** `clear`: off-topic vocabulary (declined); `unclear`: nothing store-like (handed off, low priority). */
  outOfScope: 'clear' | 'unclear' | null
  /** Best retrieval confidence for the message (0 without a retriever or a hit). */
  topConfidence: number
}

const keyWords = new Set(KEY_WORDS)

/** Corrects one-letter slips in the words the patterns rely on ("talkiing", "paymnet"). */
function spellKeyWords(text: string): string {
  const words = tokenize(normalize(text)).filter((t) => !isProfanity(t))
  const tokens = words.map((token) => {
    if (token.length < 4 || keyWords.has(token)) return token
    for (const word of KEY_WORDS) if (isTypoOf(token, word, 1)) return word
    return token
  })
  return ` ${tokens.join(' ')} `
}

function matchesAny(text: string, patterns: readonly RegExp[]): boolean {
  return patterns.some((p) => p.test(text))
}

/** Normalised, key-word-corrected text the patterns run on. */
export function patternText(text: string): string {
  return spellKeyWords(text).replace(/\s+/g, ' ')
}

export function detectSensitive(text: string): SensitiveTopic | null {
  const t = patternText(text)
  const rule = SENSITIVE.find((r) => matchesAny(t, r.patterns))
  return rule ? { topic: rule.topic, priority: rule.priority } : null
}

export function detectHumanRequest(text: string): boolean {
  const t = patternText(text)
  if (/\b(?:dont|do not|no need to|not)\s+(?:want|need|have)\s+to\s+(?:talk|speak|chat)\b/.test(t))
    return false
  return matchesAny(t, HUMAN_REQUEST)
}

export function detectAsksIfBot(text: string): boolean {
  return matchesAny(patternText(text), ASKS_IF_BOT)
}

export function detectSmallTalk(text: string): 'greeting' | 'thanks' | null {
  const t = patternText(text).trim()
  for (const [kind, pattern] of SMALL_TALK) if (pattern.test(t)) return kind
  return null
}

/** Off topic: banking or other non-store vocabulary without a strong store match, or no shopping word at all. */
export function detectOutOfScope(text: string, topConfidence: number): 'clear' | 'unclear' | null {
  // An email address or an order-like number is the shopper answering a store question.
  if (/\S+@\S+\.\w{2,}/.test(text) || /\b[A-Z]{0,4}-?\d{4,}\b/i.test(text)) return null
  const t = patternText(text)
  const strong = OFF_TOPIC_STRONG.test(t)
  const weak = OFF_TOPIC_WEAK.test(t) && !PAYMENT_CONTEXT.test(t)
  if ((strong || weak) && topConfidence < ON_TOPIC_CONFIDENCE) return 'clear'
  // No shopping word and no good article: maybe not about the store, maybe a store question
  // the articles miss ("a loyalty program?"); a person decides, at low priority.
  return !STORE_WORDS.test(t) && topConfidence < NO_STORE_WORD_CONFIDENCE ? 'unclear' : null
}

/** All signals for one message; `retriever` (if given) supplies confidence and the topic intent. */
export function detectSignals(text: string, retriever?: Retriever): IntentSignals {
  const sentiment = scoreSentiment(text)
  const sensitive = detectSensitive(text)
  const asksIfBot = detectAsksIfBot(text)
  // "Am I talking to a real person?" asks about the bot; it is not a request for one.
  const requestsHuman =
    detectHumanRequest(text) && !(asksIfBot && !/\b(?:want|need|let me)\b/.test(patternText(text)))
  const smallTalk = detectSmallTalk(text)
  const top = retriever?.search(text, 1)[0]
  const topConfidence = top?.confidence ?? 0
  const outOfScope = smallTalk || asksIfBot ? null : detectOutOfScope(text, topConfidence)
  const intent = requestsHuman
    ? 'request_human'
    : sensitive
      ? sensitive.topic
      : asksIfBot
        ? 'ask_if_bot'
        : smallTalk
          ? smallTalk
          : outOfScope
            ? 'out_of_scope'
            : top
              ? top.article.slug
              : 'unknown'
  return { intent, sentiment, requestsHuman, sensitive, asksIfBot, smallTalk, outOfScope, topConfidence }
}
