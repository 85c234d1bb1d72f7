/**
 * The pipeline every provider goes through: signals, escalation before the provider, the provider
 * under a timeout, then grounding and honesty checks on what it returned. A provider can't skip
 * any of it, so a prompt-injected or broken provider still can't send an unsourced answer or
 * claim to be human.
 */
import type { Source } from '../../shared/protocol.ts'
import type { Article } from '../store/types.ts'
import { claimsHuman, screenEmitter } from './grounding.ts'
import { handoffPriority, handoffSummary } from './handoff.ts'
import { detectSignals, type IntentSignals } from './intents.ts'
import { botStrings, format } from './locale.ts'
import { type ConceptRetriever, createRetriever } from './retrieval.ts'
import { STRONG_NEGATIVE } from './sentiment.ts'
import type {
  BotDecision,
  BotEvent,
  BotProvider,
  BotTools,
  BotTurn,
  HandoffReason,
  Signals,
  ToolsFactory,
} from './types.ts'

export const DEFAULT_TIMEOUT_MS = 15_000
export const DEFAULT_BOT_NAME = 'Parley Assistant'

export interface BotEngineOptions {
  provider: BotProvider
  loadArticles: (siteId: string) => Promise<Article[]>
  articleUrl: (article: Article) => string
  timeoutMs?: number
  /** Name of the bot where a site sets none (e.g. 'Parley Assistant'); never a person's name. */
  botName?: string
  /** The relay's tools for a turn (orders, actions); without it only knowledge search works. */
  tools?: ToolsFactory
}

/** Tools when the relay gives none (offline evaluation): search works, the rest is unavailable. */
const noTools: ToolsFactory = (_turn, searchKnowledge) => ({
  searchKnowledge,
  lookupOrder: async () => ({ ok: false, code: 'unavailable', error: 'order look-up is not available here' }),
  requestAction: async () => ({ ok: false, code: 'unavailable', error: 'actions are not available here' }),
})

interface SiteKnowledge {
  retriever: ConceptRetriever
  verified: Map<string, Article>
}

const OUTCOMES = new Set(['answer', 'clarify', 'tool', 'decline', 'handoff'])
const HANDOFF_REASONS = new Set<string>([
  'requested_human',
  'sensitive_topic',
  'negative_sentiment',
  'no_answer',
  'low_confidence',
  'out_of_scope',
  'policy',
  'provider_error',
])

/** Records the sources the relay's tools returned in one turn: the only non-article sources an answer may cite. */
function recordingTools(tools: BotTools, into: Map<string, Source>): BotTools {
  const keep = <R extends { ok: boolean; sources?: Source[] }>(result: R): R => {
    if (result.ok) for (const source of result.sources ?? []) into.set(source.slug, source)
    return result
  }
  return {
    searchKnowledge: (query, limit) => tools.searchKnowledge(query, limit),
    lookupOrder: async (input) => keep(await tools.lookupOrder(input)),
    requestAction: async (input) => keep(await tools.requestAction(input)),
  }
}

class ProviderTimeout extends Error {
  constructor(ms: number) {
    super(`provider did not answer within ${ms} ms`)
    this.name = 'ProviderTimeout'
  }
}

export class BotEngine {
  readonly botName: string
  private readonly provider: BotProvider
  private readonly loadArticles: (siteId: string) => Promise<Article[]>
  private readonly articleUrl: (article: Article) => string
  private readonly timeoutMs: number
  private readonly tools: ToolsFactory
  private readonly sites = new Map<string, Promise<SiteKnowledge>>()

  constructor(options: BotEngineOptions) {
    this.provider = options.provider
    this.loadArticles = options.loadArticles
    this.articleUrl = options.articleUrl
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
    this.botName = options.botName ?? DEFAULT_BOT_NAME
    this.tools = options.tools ?? noTools
  }

  /** The fixed disclosure that opens every conversation: automated, answers from articles, how to reach a person. */
  greeting(locale?: string): string {
    return format(botStrings(locale).greeting, { botName: this.botName })
  }

  /** Which provider answers ('local' or 'anthropic'), recorded on every bot message. */
  get providerName(): string {
    return this.provider.name
  }

  /** Drops the cached retriever of a site; the next turn re-reads its articles. */
  invalidate(siteId: string): void {
    this.sites.delete(siteId)
  }

  /** One bot turn. Never rejects: every failure becomes a handoff the shopper is told about. */
  async respond(turn: BotTurn, emit: (event: BotEvent) => void, signal?: AbortSignal): Promise<BotDecision> {
    let knowledge: SiteKnowledge
    try {
      knowledge = await this.knowledge(turn.siteId)
    } catch {
      const signals = detectSignals(turn.text)
      return this.handoff('provider_error', turn, signals)
    }
    const signals = detectSignals(turn.text, knowledge.retriever)
    const strings = botStrings(turn.locale)
    const base: Signals = { intent: signals.intent, sentiment: signals.sentiment }

    if (signals.requestsHuman) return this.handoff('requested_human', turn, signals)
    if (signals.sensitive) return this.handoff('sensitive_topic', turn, signals)
    if (signals.sentiment <= STRONG_NEGATIVE) return this.handoff('negative_sentiment', turn, signals)
    if (signals.asksIfBot)
      return { outcome: 'clarify', text: format(strings.botIdentity, { botName: this.botName }), ...base }
    if (signals.smallTalk === 'greeting') return { outcome: 'clarify', text: strings.greetingReply, ...base }
    if (signals.smallTalk === 'thanks') return { outcome: 'clarify', text: strings.thanksReply, ...base }
    if (signals.outOfScope === 'clear') return { outcome: 'decline', text: strings.decline, ...base }
    if (signals.outOfScope === 'unclear') return this.handoff('out_of_scope', turn, signals)

    const screened = screenEmitter(emit, this.botName)
    const toolSources = new Map<string, Source>()
    let decision: BotDecision
    try {
      decision = await this.callProvider(turn, signals, knowledge, toolSources, screened.emit, signal)
    } catch {
      screened.close()
      return this.handoff('provider_error', turn, signals)
    }
    const checked = this.check(decision, turn, signals, knowledge, toolSources, screened.tainted)
    if (checked.outcome === 'handoff') screened.close()
    else screened.flush()
    return checked
  }

  private knowledge(siteId: string): Promise<SiteKnowledge> {
    const cached = this.sites.get(siteId)
    if (cached) return cached
    const loading = this.loadArticles(siteId).then((articles) => {
      const verified = new Map(
        articles.filter((a) => a.verified && a.siteId === siteId).map((a) => [a.slug, a]),
      )
      return { retriever: createRetriever([...verified.values()]), verified }
    })
    this.sites.set(siteId, loading)
    // A failed load is not cached: the next turn tries again.
    loading.catch(() => {
      if (this.sites.get(siteId) === loading) this.sites.delete(siteId)
    })
    return loading
  }

  private async callProvider(
    turn: BotTurn,
    signals: IntentSignals,
    knowledge: SiteKnowledge,
    toolSources: Map<string, Source>,
    emit: (event: BotEvent) => void,
    signal: AbortSignal | undefined,
  ): Promise<BotDecision> {
    signal?.throwIfAborted()
    const controller = new AbortController()
    const onAbort = (): void => controller.abort(signal?.reason)
    signal?.addEventListener('abort', onAbort, { once: true })
    let timer: ReturnType<typeof setTimeout> | undefined
    const stopped = new Promise<never>((_, reject) => {
      timer = setTimeout(() => controller.abort(new ProviderTimeout(this.timeoutMs)), this.timeoutMs)
      controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true })
    })
    try {
      const input = {
        ...turn,
        intent: signals.intent,
        sentiment: signals.sentiment,
        retriever: knowledge.retriever,
        articleUrl: this.articleUrl,
        tools: recordingTools(
          this.tools(turn, (query, limit) => knowledge.retriever.search(query, limit)),
          toolSources,
        ),
      }
      return await Promise.race([this.provider.respond(input, emit, controller.signal), stopped])
    } finally {
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      // Whatever the provider still does after this is ignored.
      controller.abort(new Error('turn finished'))
    }
  }

  /** Grounding and honesty checks on a provider's decision. */
  private check(
    decision: BotDecision,
    turn: BotTurn,
    signals: IntentSignals,
    knowledge: SiteKnowledge,
    toolSources: Map<string, Source>,
    streamedClaim: boolean,
  ): BotDecision {
    if (typeof decision !== 'object' || decision === null || !OUTCOMES.has(decision.outcome)) {
      return this.handoff('provider_error', turn, signals)
    }
    if (decision.outcome === 'handoff') {
      const reason = HANDOFF_REASONS.has(decision.reason) ? decision.reason : 'provider_error'
      return this.handoff(reason, turn, signals, decision.summary)
    }
    if (typeof decision.text !== 'string' || decision.text.trim() === '')
      return this.handoff('no_answer', turn, signals)
    if (streamedClaim || claimsHuman(decision.text, this.botName))
      return this.handoff('policy', turn, signals)
    const base: Signals = { intent: decision.intent || signals.intent, sentiment: signals.sentiment }
    if (decision.outcome !== 'answer' && decision.outcome !== 'tool') return { ...decision, ...base }
    const sources = this.verifiedSources(decision.sources, knowledge, toolSources)
    if (!sources) return this.handoff('no_answer', turn, signals)
    if (decision.outcome === 'tool') return { ...decision, sources, ...base }
    const confidence = Math.min(
      1,
      Math.max(0, Number.isFinite(decision.confidence) ? decision.confidence : 0),
    )
    return { ...decision, sources, confidence, ...base }
  }

  /**
   * The answer's sources rebuilt from the site's verified articles and from what the relay's tools
   * returned this turn (e.g. `order:TW-1001`); null when any is missing or unknown.
   */
  private verifiedSources(
    sources: Source[] | undefined,
    knowledge: SiteKnowledge,
    toolSources: Map<string, Source>,
  ): Source[] | null {
    if (!Array.isArray(sources) || sources.length === 0) return null
    const out: Source[] = []
    for (const source of sources) {
      const article = knowledge.verified.get(source?.slug)
      const fromTool = toolSources.get(source?.slug)
      if (article) out.push({ slug: article.slug, title: article.title, url: this.articleUrl(article) })
      else if (fromTool) out.push({ ...fromTool })
      else return null
    }
    return out
  }

  /** The handoff the shopper and the agent get; a provider's own summary (e.g. the model's) is kept after ours. */
  private handoff(
    reason: HandoffReason,
    turn: BotTurn,
    signals: IntentSignals,
    providerSummary?: string,
  ): BotDecision {
    const strings = botStrings(turn.locale)
    const summary = handoffSummary({
      reason,
      intent: signals.intent,
      sentiment: signals.sentiment,
      sensitive: signals.sensitive,
      text: turn.text,
      history: turn.history,
    })
    const note =
      typeof providerSummary === 'string' ? providerSummary.replace(/\s+/g, ' ').trim().slice(0, 600) : ''
    return {
      outcome: 'handoff',
      reason,
      text: reason === 'provider_error' ? strings.providerError : strings.handoff,
      summary: note ? `${summary} Assistant's note: ${note}` : summary,
      priority: handoffPriority(reason, signals.sensitive, signals.sentiment),
      intent: signals.intent,
      sentiment: signals.sentiment,
    }
  }
}
