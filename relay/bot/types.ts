/**
 * The bot's seams. A provider (`local`, later `anthropic`) turns one shopper turn into a
 * decision; the engine (`engine.ts`) wraps every provider with the same retrieval, escalation
 * rules, disclosure and grounding checks, so a provider can never skip them.
 */
import type { ActionRequest, ActionType } from '../../shared/policy.ts'
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

/** What a tool call returns to the provider (and, for the model, as the tool result). */
export type ToolResult =
  | { ok: true; data: Record<string, unknown>; sources: Source[] }
  | {
      ok: false
      /** not_found: no such order; not_verified: ownership not proven; refused: policy said no. */
      code: 'not_found' | 'not_verified' | 'refused' | 'invalid' | 'unavailable'
      error: string
    }

export interface OrderLookupInput {
  orderNumber: string
  /** The email the shopper gave; must match the order's unless their identity is verified. */
  email?: string
}

export interface ActionInput extends OrderLookupInput {
  type: Exclude<ActionType, 'order_lookup'>
  /** Refunds: the amount asked for. */
  amount?: number
  reason: string
  /** Address changes and the like. */
  details?: Record<string, unknown>
}

/**
 * Everything the bot can do besides talking, executed by the relay for one conversation.
 * Every call is checked against the site's policy and recorded in the audit log.
 */
export interface BotTools {
  searchKnowledge(query: string, limit?: number): Hit[]
  lookupOrder(input: OrderLookupInput): Promise<ToolResult>
  /** The policy decides: executed, pending a human (suggest) or refused. */
  requestAction(input: ActionInput): Promise<ToolResult & { action?: ActionRequest }>
}

/** Builds the tools for one turn (the engine adds the retriever). */
export type ToolsFactory = (turn: BotTurn, searchKnowledge: BotTools['searchKnowledge']) => BotTools

export interface BotTurn {
  siteId: string
  conversationId: string
  /** The shopper's contact id (ownership checks); absent in offline evaluation. */
  contactId?: string
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
  /** The relay's tools for this turn (search, order lookup, actions, all policy-checked). */
  tools: BotTools
  /** Builds the public link of an article. */
  articleUrl: (article: Article) => string
}

export interface BotProvider {
  readonly name: 'local' | 'anthropic'
  /** One reply to one turn. Emits deltas through `emit`; must honour `signal`. */
  respond(input: ProviderInput, emit: (event: BotEvent) => void, signal: AbortSignal): Promise<BotDecision>
}
