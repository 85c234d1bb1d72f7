/**
 * The bot's seams. A provider (`local`, later `anthropic`) turns one shopper turn into a
 * decision; the engine (`engine.ts`) wraps every provider with the same retrieval, escalation
 * rules, disclosure and grounding checks, so a provider can never skip them.
 */
import type { Message, Priority, Source } from '../../shared/protocol.ts'
import type { Article } from '../store/types.ts'

/** Why a conversation goes to a person; shown in the console. */
export type HandoffReason =
  | 'requested_human'
  | 'sensitive_topic'
  | 'negative_sentiment'
  | 'no_answer'
  | 'low_confidence'
  | 'out_of_scope'
  | 'policy'
  | 'provider_error'

export interface BotTurn {
  siteId: string
  conversationId: string
  /** The shopper's latest message. */
  text: string
  /** The transcript before it, oldest first. */
  history: Message[]
  locale: string
}

/** Streamed while a reply is produced: text as it grows, tools as they are called. */
export type BotEvent =
  | { type: 'delta'; text: string }
  | { type: 'tool_call'; name: string; input: unknown }
  | { type: 'tool_result'; name: string; output: unknown }

export interface Signals {
  /** Detected intent label, e.g. `request_human`, `payment_failed`, `refund`, `unknown`. */
  intent: string
  /** -1 (very negative) .. 1 (very positive). */
  sentiment: number
}

export type BotDecision =
  | ({ outcome: 'answer'; text: string; sources: Source[]; confidence: number } & Signals)
  /** Asks the shopper for a detail; cites nothing. */
  | ({ outcome: 'clarify'; text: string } & Signals)
  | ({ outcome: 'tool'; tool: string; text: string; sources: Source[] } & Signals)
  /** Not about the store: says so politely, no article, no handoff. */
  | ({ outcome: 'decline'; text: string } & Signals)
  | ({
      outcome: 'handoff'
      reason: HandoffReason
      /** What the shopper is told. */
      text: string
      /** For the agent: what the shopper wants and what was gathered. */
      summary: string
      priority: Priority
    } & Signals)

/** One retrieval hit over verified articles only. */
export interface Hit {
  article: Article
  /** Raw engine score. */
  score: number
  /** 0..1, comparable across queries; below the threshold the bot hands off. */
  confidence: number
  /** 0..1 share of the query's concepts this article covers, before the margin to other hits. */
  coverage?: number
}

export interface Retriever {
  search(query: string, limit?: number): Hit[]
}

export interface ProviderInput extends BotTurn, Signals {
  retriever: Retriever
  /** Builds the public link of an article. */
  articleUrl: (article: Article) => string
}

export interface BotProvider {
  readonly name: 'local' | 'anthropic'
  /** One reply to one turn. Emits deltas through `emit`; must honour `signal`. */
  respond(input: ProviderInput, emit: (event: BotEvent) => void, signal: AbortSignal): Promise<BotDecision>
}
