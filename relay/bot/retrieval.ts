/**
 * Full-text retrieval over a site's verified articles (MiniSearch, BM25). Drafts are filtered out
 * before indexing, so nothing can ever surface them.
 */
import MiniSearch, { type Query, type SearchResult } from 'minisearch'
import type { Article } from '../store/types.ts'
import { markdownToText } from './markdown.ts'
import { type Concept, type Lexicon, analyzeQuery } from './query.ts'
import { normalize, processIndexTerm, tokenize } from './text.ts'
import type { Hit, Retriever } from './types.ts'

/** Weight of a concept matched only through fuzzy or prefix matching (a likely typo). */
const LOOSE_MATCH = 0.6

interface IndexedDoc {
  id: string
  title: string
  tags: string
  body: string
}

/** A retriever that can also explain itself; the local provider uses the concepts for excerpts. */
export interface ConceptRetriever extends Retriever {
  /** The concepts a query is understood as. */
  analyze(query: string): Concept[]
  /** Stems of one indexed article (undefined for drafts and unknown slugs). */
  stemsOf(slug: string): ReadonlySet<string> | undefined
}

function prepare(article: Article): IndexedDoc {
  return {
    id: article.slug,
    title: normalize(article.title),
    tags: normalize(article.tags.join(' . ')),
    body: normalize(markdownToText(article.body)),
  }
}

function fuzziness(term: string): number | false {
  return term.length >= 5 ? 0.2 : false
}

function toQuery(concepts: Concept[]): Query {
  return {
    combineWith: 'OR',
    queries: concepts.map((concept) => {
      const [own, ...synonyms] = concept.terms
      const parts: Query[] = []
      if (own) parts.push({ queries: [own], fuzzy: concept.loose ? fuzziness : false, prefix: concept.loose && own.length >= 4 })
      if (synonyms.length > 0) parts.push({ queries: synonyms, fuzzy: false, prefix: false })
      return { combineWith: 'OR', queries: parts }
    }),
  }
}

/** Weighted share of the query's concepts an article covers (exact stem 1, typo-level match 0.6). */
function coverage(concepts: Concept[], stems: ReadonlySet<string>, result: SearchResult): number {
  let total = 0
  let covered = 0
  for (const concept of concepts) {
    total += concept.weight
    if (concept.terms.some((t) => stems.has(t))) covered += concept.weight
    else if (concept.loose && concept.terms[0] !== undefined && result.queryTerms.includes(concept.terms[0]))
      covered += concept.weight * LOOSE_MATCH
  }
  return total === 0 ? 0 : covered / total
}

/** Builds the retriever; unverified articles are dropped here and never indexed. */
export function createRetriever(articles: Article[]): ConceptRetriever {
  const verified = articles.filter((a) => a.verified)
  const bySlug = new Map(verified.map((a) => [a.slug, a]))
  const docs = verified.map(prepare)
  const stemsBySlug = new Map<string, Set<string>>()
  const words = new Set<string>()
  const stems = new Set<string>()
  for (const doc of docs) {
    const docStems = new Set<string>()
    for (const token of tokenize(`${doc.title} ${doc.tags} ${doc.body}`)) {
      const s = processIndexTerm(token)
      if (s === null) continue
      docStems.add(s)
      stems.add(s)
      words.add(token)
    }
    stemsBySlug.set(doc.id, docStems)
  }
  const lexicon: Lexicon = { words, stems }
  const index = new MiniSearch<IndexedDoc>({
    fields: ['title', 'tags', 'body'],
    tokenize: (text) => tokenize(text),
    processTerm: processIndexTerm,
    // Queries arrive as concepts already normalised and stemmed.
    searchOptions: { tokenize: (text) => [text], processTerm: (term) => term, boost: { title: 3, tags: 2.5 } },
  })
  index.addAll(docs)

  return {
    analyze: (query) => analyzeQuery(query, lexicon),
    stemsOf: (slug) => stemsBySlug.get(slug),
    search(query: string, limit = 5): Hit[] {
      const concepts = analyzeQuery(query, lexicon)
      if (concepts.length === 0 || docs.length === 0) return []
      const results = index.search(toQuery(concepts))
      const topScore = results[0]?.score ?? 0
      const ranked = results
        .map((result) => {
          const article = bySlug.get(String(result.id))
          const cov = coverage(concepts, stemsBySlug.get(String(result.id)) ?? new Set(), result)
          // Coverage decides; the BM25 score (title and tags boosted) breaks near-ties.
          const relevance = cov * (0.75 + 0.25 * (topScore > 0 ? result.score / topScore : 0))
          return { article, score: result.score, relevance }
        })
        .filter((r): r is { article: Article; score: number; relevance: number } => r.article !== undefined)
        .sort((a, b) => b.relevance - a.relevance || b.score - a.score)
      return ranked.slice(0, limit).map((r, i) => {
        const next = ranked[i + 1]?.relevance ?? 0
        // Confidence = relevance (coverage-led) scaled by the margin to the next hit: 0.6 + 0.4·margin.
        const margin = r.relevance > 0 ? Math.max(0, 1 - next / r.relevance) : 0
        return { article: r.article, score: r.score, confidence: clamp01(r.relevance * (0.6 + 0.4 * margin)) }
      })
    },
  }
}

function clamp01(n: number): number {
  return Math.min(1, Math.max(0, n))
}
