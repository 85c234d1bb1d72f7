/**
 * Turns a shopper's message into weighted concepts: each concept is one thing the shopper said,
 * with the stems that count as saying it. Retrieval ranks and scores confidence on concepts, so a
 * synonym never counts twice and a word the knowledge base has never heard counts against it.
 */
import { isContentToken, isStopWord, normalize, stem, tokenize } from './text.ts'
import { PHRASES, PLACES, SYNONYM_SETS, TIER_WORDS } from './vocabulary.ts'

export interface Concept {
  /** What the shopper wrote, for debugging and summaries. */
  label: string
  /** Stems; a document that holds any of them covers the concept. */
  terms: string[]
  /** Share of the concept in the query's coverage. */
  weight: number
  /** The shopper's own word (not a synonym): eligible for fuzzy and prefix matching. */
  loose: boolean
}

/** What the knowledge base knows, for spelling correction and proper-noun detection. */
export interface Lexicon {
  /** Surface words of the index, to correct typos against. */
  words: ReadonlySet<string>
  /** Stems of the index. */
  stems: ReadonlySet<string>
}

const synonymsOf = new Map<string, string[]>()
for (const set of SYNONYM_SETS) {
  const stems = [...new Set(set.map(stem))]
  for (const word of set) synonymsOf.set(word, [...new Set([...(synonymsOf.get(word) ?? []), ...stems])])
}

const DESTINATION_CONCEPT: Concept = {
  label: 'destination',
  terms: ['countri', 'intern', 'ship'],
  weight: 1.5,
  loose: false,
}
const TIER_CONCEPT: Concept = { label: 'plan', terms: ['membership', 'plan', 'premium', 'plu'], weight: 0.5, loose: false }
const HONORIFIC_NAME = /\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Sir|Madam)\.?\s+[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?/g
const DESTINATION =
  /\b(?:order|buy|purchase|ship|shipping|deliver|delivery|send|sending)\w*\s+(?:from|to|in|into)\s+([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)/g

/** Optimal-string-alignment distance (typos are mostly one insert, drop, swap or transposition). */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1
  const rows: number[][] = []
  for (let i = 0; i <= a.length; i++) rows.push([i, ...new Array<number>(b.length).fill(0)])
  const at = (i: number, j: number): number => rows[i]?.[j] ?? Number.POSITIVE_INFINITY
  for (let j = 0; j <= b.length; j++) (rows[0] as number[])[j] = j
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] as number[]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1)
      row[j] = best
    }
  }
  return at(a.length, b.length)
}

const correctionCache = new WeakMap<Lexicon, Map<string, string | null>>()

/** The closest known word to a misspelt one, or null (ties and short words are left alone). */
function correct(token: string, lexicon: Lexicon): string | null {
  if (token.length < 4) return null
  let cache = correctionCache.get(lexicon)
  if (!cache) {
    cache = new Map()
    correctionCache.set(lexicon, cache)
  }
  const cached = cache.get(token)
  if (cached !== undefined) return cached
  const max = token.length >= 8 ? 2 : 1
  let best: string | null = null
  let bestDistance = max + 1
  const candidates = [...lexicon.words, ...synonymsOf.keys(), ...TIER_WORDS]
  for (const word of candidates) {
    if (word.length < 3) continue
    const d = editDistance(token, word, max)
    if (d < bestDistance) {
      best = word
      bestDistance = d
    }
  }
  const result = bestDistance <= max ? best : null
  cache.set(token, result)
  return result
}

function known(token: string, lexicon: Lexicon): boolean {
  return isStopWord(token) || synonymsOf.has(token) || TIER_WORDS.has(token) || lexicon.stems.has(stem(token))
}

/** Removes names ("Ms. Hawkings", mid-sentence capitalised words the index has never seen). */
function stripProperNouns(text: string, lexicon: Lexicon): string {
  const withoutHonorifics = text.replace(HONORIFIC_NAME, ' ')
  return withoutHonorifics.replace(/(^|[.!?]\s*)?\b([A-Z][a-z]+)\b/g, (match, sentenceStart, word: string) => {
    if (sentenceStart !== undefined) return match
    const lower = word.toLowerCase()
    return known(lower, lexicon) || PLACES.has(lower) ? match : ' '
  })
}

function wordConcept(token: string, lexicon: Lexicon): Concept | null {
  const direct = known(token, lexicon) ? token : (correct(token, lexicon) ?? token)
  if (!isContentToken(direct)) return null
  const own = stem(direct)
  const terms = [own, ...(synonymsOf.get(direct) ?? []).filter((t) => t !== own)]
  return { label: token, terms, weight: 1, loose: direct === token }
}

/** Splits a message into concepts; empty when nothing in it carries meaning for search. */
export function analyzeQuery(text: string, lexicon: Lexicon): Concept[] {
  const concepts: Concept[] = []
  let raw = text.replace(DESTINATION, (match, place: string) => {
    concepts.push(DESTINATION_CONCEPT)
    return match.slice(0, match.length - place.length)
  })
  raw = stripProperNouns(raw, lexicon)
  let normalized = normalize(raw)
  for (const [pattern, words] of PHRASES) {
    normalized = normalized.replace(pattern, (match) => {
      concepts.push({ label: match.trim(), terms: [...new Set(words.map(stem))], weight: 1, loose: false })
      return ' '
    })
  }
  const tokens = tokenize(normalized)
  for (const [i, token] of tokens.entries()) {
    if (PLACES.has(token)) {
      concepts.push(DESTINATION_CONCEPT)
      continue
    }
    if (TIER_WORDS.has(token) && /^(?:accounts?|profiles?|plans?|memberships?)$/.test(tokens[i + 1] ?? '')) {
      concepts.push(TIER_CONCEPT)
      continue
    }
    const concept = wordConcept(token, lexicon)
    if (concept) concepts.push(concept)
  }
  return mergeDuplicates(concepts)
}

/** "refund … refunds" is one concept, not two. */
function mergeDuplicates(concepts: Concept[]): Concept[] {
  const byKey = new Map<string, Concept>()
  for (const concept of concepts) {
    const key = [...concept.terms].sort().join(' ')
    const existing = byKey.get(key)
    if (!existing) byKey.set(key, concept)
    else if (concept.weight > existing.weight) byKey.set(key, { ...existing, weight: concept.weight })
  }
  return [...byKey.values()]
}
