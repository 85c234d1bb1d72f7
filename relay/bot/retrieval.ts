/**
 * Full-text retrieval over a site's verified articles (MiniSearch, BM25). Drafts are filtered out
 * before indexing, so nothing can ever surface them. Hits are ranked by coverage (the weighted
 * share of the query's concepts an article holds, title and tags counting more than the body),
 * with the BM25 score breaking near-ties; confidence adds the margin to the next hit.
 */
import MiniSearch, { type Query, type SearchResult } from 'minisearch'
import type { Article } from '../store/types.ts'
import { markdownToText } from './markdown.ts'
import { analyzeQuery, type Concept, type Lexicon } from './query.ts'
import { normalize, processIndexTerm, tokenize } from './text.ts'
import type { Hit, Retriever } from './types.ts'

/** Share of relevance given to the BM25 score (title and tags boosted): it breaks near-ties of coverage. */
const BM25_SHARE = 0.35
/** Weight of a concept found only in the body (mentioned, not the article's topic). */
const BODY_MATCH = 0.6
/** Weight of a concept matched only through fuzzy or prefix matching (a likely typo). */
const LOOSE_MATCH = 0.5
/** Weight of a concept found only in the article's learnt example questions (shopper wording). */
const EXAMPLE_MATCH = 0.8

interface IndexedDoc {
  id: string
  title: string
  tags: string
  body: string
  /** Example questions learnt from agents' resolutions. */
  examples: string
}

/** A retriever that can also explain itself; the local provider uses the concepts for excerpts. */
export interface ConceptRetriever extends Retriever {
  /** The concepts a query is understood as. */
  analyze(query: string): Concept[]
}

function prepare(article: Article): IndexedDoc {
  return {
    id: article.slug,
    title: normalize(article.title),
    tags: normalize(article.tags.join(' . ')),
    body: normalize(markdownToText(article.body)),
    examples: normalize((article.examples ?? []).join(' . ')),
  }
}

interface Ranked {
  article: Article
  score: number
  relevance: number
  coverage: number
}

const EMPTY: DocStems = { topic: new Set(), examples: new Set(), all: new Set() }

/** One edit for words of five letters or more; longer slips are corrected before search (typo.ts). */
function fuzziness(term: string): number | false {
  return term.length >= 5 ? 1 : false
}

function toQuery(concepts: Concept[]): Query {
  return {
    combineWith: 'OR',
    queries: concepts.map((concept) => {
      const [own, ...synonyms] = concept.terms
      const parts: Query[] = []
      if (own)
        parts.push({
          queries: [own],
          fuzzy: concept.loose ? fuzziness : false,
          prefix: concept.loose && own.length >= 4,
        })
      if (synonyms.length > 0) parts.push({ queries: synonyms, fuzzy: false, prefix: false })
      return { combineWith: 'OR', queries: parts }
    }),
  }
}

interface DocStems {
  /** Stems of the title and tags: what the article is about. */
  topic: ReadonlySet<string>
  /** Stems of the learnt example questions. */
  examples: ReadonlySet<string>
  all: ReadonlySet<string>
}

/** Weighted share of the query's concepts an article covers: topic 1, examples 0.8, body 0.6, typo 0.5. */
function coverage(concepts: Concept[], stems: DocStems, result: SearchResult): number {
  let total = 0
  let covered = 0
  for (const concept of concepts) {
    total += concept.weight
    if (concept.terms.some((t) => stems.topic.has(t))) covered += concept.weight
    else if (concept.terms.some((t) => stems.examples.has(t))) covered += concept.weight * EXAMPLE_MATCH
    else if (concept.terms.some((t) => stems.all.has(t))) covered += concept.weight * BODY_MATCH
    else if (concept.loose && concept.terms[0] !== undefined && result.queryTerms.includes(concept.terms[0]))
      covered += concept.weight * LOOSE_MATCH
  }
  return total === 0 ? 0 : covered / total
}

function stemsOfText(text: string, into: Set<string>, words?: Set<string>): Set<string> {
  const out = new Set<string>()
  for (const token of tokenize(text)) {
    const s = processIndexTerm(token)
    if (s === null) continue
    out.add(s)
    into.add(s)
    words?.add(token)
  }
  return out
}

/** Builds the retriever; unverified articles are dropped here and never indexed. */
export function createRetriever(articles: Article[]): ConceptRetriever {
  const verified = articles.filter((a) => a.verified)
  const bySlug = new Map(verified.map((a) => [a.slug, a]))
  const docs = verified.map(prepare)
  const stemsBySlug = new Map<string, DocStems>()
  const words = new Set<string>()
  const stems = new Set<string>()
  for (const doc of docs) {
    const topic = stemsOfText(`${doc.title} ${doc.tags}`, stems, words)
    const body = stemsOfText(doc.body, stems, words)
    const examples = stemsOfText(doc.examples, stems, words)
    stemsBySlug.set(doc.id, { topic, examples, all: new Set([...topic, ...body]) })
  }
  const lexicon: Lexicon = { words, stems }
  const index = new MiniSearch<IndexedDoc>({
    fields: ['title', 'tags', 'body', 'examples'],
    tokenize: (text) => tokenize(text),
    processTerm: processIndexTerm,
    // Queries arrive as concepts already normalised and stemmed.
    searchOptions: {
      tokenize: (text) => [text],
      processTerm: (term) => term,
      boost: { title: 3, tags: 2.5, examples: 1.5 },
    },
  })
  index.addAll(docs)

  return {
    analyze: (query) => analyzeQuery(query, lexicon),
    search(query: string, limit = 5): Hit[] {
      const concepts = analyzeQuery(query, lexicon)
      if (concepts.length === 0 || docs.length === 0) return []
      const results = index.search(toQuery(concepts))
      const topScore = results[0]?.score ?? 0
      const ranked = results
        .map((result) => {
          const article = bySlug.get(String(result.id))
          const cov = coverage(concepts, stemsBySlug.get(String(result.id)) ?? EMPTY, result)
          // Coverage decides; the BM25 score (title and tags boosted) breaks near-ties.
          const relevance = cov * (1 - BM25_SHARE + BM25_SHARE * (topScore > 0 ? result.score / topScore : 0))
          return { article, score: result.score, relevance, coverage: cov }
        })
        .filter((r): r is Ranked => r.article !== undefined)
        .sort((a, b) => b.relevance - a.relevance || b.score - a.score)
      let previous = 1
      return ranked.slice(0, limit).map((r, i) => {
        const next = ranked[i + 1]?.relevance ?? 0
        // Confidence = relevance (coverage-led) × (0.6 + 0.4 × margin to the next hit), never above the hit before.
        const margin = r.relevance > 0 ? Math.max(0, 1 - next / r.relevance) : 0
        previous = Math.min(previous, clamp01(r.relevance * (0.6 + 0.4 * margin)))
        return { article: r.article, score: r.score, confidence: previous, coverage: r.coverage }
      })
    },
  }
}

function clamp01(n: number): number {
  return Math.min(1, Math.max(0, n))
}
