/**
 * The `local` provider: no model, no key. Answers with an excerpt of the best verified article
 * when retrieval is confident, asks which article is meant when two are equally good, and hands
 * off otherwise. Deterministic: the same question and articles give the same reply.
 */
import { buildExcerpt } from './excerpt.ts'
import { botStrings, format } from './locale.ts'
import { analyzeQuery, type Concept } from './query.ts'
import type { ConceptRetriever } from './retrieval.ts'
import type { BotDecision, BotEvent, BotProvider, Hit, ProviderInput, Retriever } from './types.ts'

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

export function createLocalProvider(options: LocalProviderOptions = {}): BotProvider {
  const threshold = options.threshold ?? ANSWER_THRESHOLD
  return {
    name: 'local',
    async respond(input, emit, signal): Promise<BotDecision> {
      signal.throwIfAborted()
      const signals = { intent: input.intent, sentiment: input.sentiment }
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
