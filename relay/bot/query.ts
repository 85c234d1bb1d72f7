/**
 * Turns a shopper's message into weighted concepts: each concept is one thing the shopper said,
 * with the stems that count as saying it. Retrieval ranks and scores confidence on concepts, so a
 * synonym never counts twice and a word the knowledge base has never heard counts against it.
 */
import {
  isContentToken,
  isProfanity,
  isStopWord,
  normalize,
  STOP_CORRECTIONS,
  stem,
  tokenize,
} from './text.ts'
import { isTypoOf, typoDistance } from './typo.ts'
import { ONE_WAY, PHRASES, PLACES, SYNONYM_SETS, TIER_WORDS, WEAK_WORDS } from './vocabulary.ts'

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

/** Synonym stems by the stem of a word, so every inflection ("modifying") finds its set. */
const synonymsOf = new Map<string, string[]>()
const vocabularyWords = new Set<string>()
function addSynonyms(word: string, stems: string[]): void {
  vocabularyWords.add(word)
  const key = stem(word)
  synonymsOf.set(key, [...new Set([...(synonymsOf.get(key) ?? []), ...stems])])
}
for (const set of SYNONYM_SETS) {
  const stems = set.map(stem)
  for (const word of set) addSynonyms(word, stems)
}
for (const [word, targets] of ONE_WAY) addSynonyms(word, targets.map(stem))

/** Inflected forms of the vocabulary, so "modifyihg" is corrected to "modifying". */
const CORRECTION_WORDS: string[] = [...new Set([...vocabularyWords, ...TIER_WORDS].flatMap(inflections))]

function inflections(word: string): string[] {
  if (word.includes(' ')) return []
  const base = word.endsWith('e') ? word.slice(0, -1) : word
  return [word, `${word}s`, `${base}ing`, `${base}ed`]
}

// Light: "Gold account" is still about the account; the plan only tips a tie towards membership.
const TIER_CONCEPT: Concept = {
  label: 'plan',
  terms: ['membership', 'plan', 'premium', 'plu'],
  weight: 0.2,
  loose: false,
}
const HONORIFIC_NAME = /\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Sir|Madam)\.?\s+[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?/g
const DESTINATION =
  /\b(?:order|buy|purchase|ship|shipping|deliver|delivery|send|sending)\w*\s+(?:from|to|in|into)\s+([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)/g
/** A country named in a message about ordering or delivery is a destination ("ship to Japan"). */
const SHIPPING_CONTEXT =
  /\b(?:ship\w*|deliver\w*|order\w*|buy\w*|purchas\w*|send\w*|post|mail|international\w*|countr\w*|customs|import\w*|abroad)\b/
const POSSESSIVE_GLUE = /^(?:my|ur|your|the)(?=[a-z]{4,}$)/

function destination(place: string): Concept {
  return {
    label: 'destination',
    terms: ['countri', ...tokenize(normalize(place)).map(stem)],
    weight: 1.5,
    loose: false,
  }
}

const correctionCache = new WeakMap<Lexicon, Map<string, string | null>>()

/** The closest known word to a misspelt one, or null (short words and ties between meanings are left alone). */
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
  let tied = false
  for (const word of [...lexicon.words, ...CORRECTION_WORDS, ...STOP_CORRECTIONS]) {
    if (word.length < 3 || !isTypoOf(token, word, max)) continue
    const d = typoDistance(token, word, max)
    if (d < bestDistance) {
      best = word
      bestDistance = d
      tied = false
    } else if (d === bestDistance && best !== null && stem(word) !== stem(best)) {
      tied = true
    }
  }
  const result = bestDistance <= max && !tied ? best : null
  cache.set(token, result)
  return result
}

/** Spelling of one token: as typed when known, else glued "my" split off, else the nearest word. */
function spell(token: string, lexicon: Lexicon): string {
  if (known(token, lexicon) || /\d/.test(token)) return token
  const unglued = token.replace(POSSESSIVE_GLUE, '')
  if (unglued !== token && known(unglued, lexicon)) return unglued
  return correct(token, lexicon) ?? token
}

function known(token: string, lexicon: Lexicon): boolean {
  return (
    isStopWord(token) ||
    synonymsOf.has(stem(token)) ||
    TIER_WORDS.has(token) ||
    PLACES.has(token) ||
    lexicon.stems.has(stem(token))
  )
}

/** Removes names ("Ms. Hawkings", mid-sentence capitalised words the index has never seen). */
function stripProperNouns(text: string, lexicon: Lexicon): string {
  const withoutHonorifics = text.replace(HONORIFIC_NAME, ' ')
  return withoutHonorifics.replace(
    /(^|[.!?]\s*)?\b([A-Z][a-z]+)\b/g,
    (match, sentenceStart, word: string) => {
      if (sentenceStart !== undefined) return match
      const lower = word.toLowerCase()
      return known(lower, lexicon) || PLACES.has(lower) ? match : ' '
    },
  )
}

function wordConcept(token: string, typed: string): Concept | null {
  if (!isContentToken(token)) return null
  const own = stem(token)
  const terms = [own, ...(synonymsOf.get(own) ?? []).filter((t) => t !== own)]
  return { label: typed, terms, weight: WEAK_WORDS.has(token) ? 0.5 : 1, loose: token === typed }
}

/** Splits a message into concepts; empty when nothing in it carries meaning for search. */
export function analyzeQuery(text: string, lexicon: Lexicon): Concept[] {
  const concepts: Concept[] = []
  let raw = text.replace(DESTINATION, (match, place: string) => {
    concepts.push(destination(place))
    return match.slice(0, match.length - place.length)
  })
  raw = stripProperNouns(raw, lexicon)
  // Phrases are read as typed, then again once the remaining words are spelt right.
  const clean = tokenize(normalize(raw)).filter((t) => !isProfanity(t))
  const typed = tokenize(extractPhrases(clean.join(' '), concepts))
  const spelled = typed.map((t) => spell(t, lexicon))
  const phrasedText = spelled.join(' ')
  const tokens = tokenize(extractPhrases(phrasedText, concepts))
  const typedBySpelled = new Map(spelled.map((s, i) => [s, typed[i] ?? s]))
  for (const [i, token] of tokens.entries()) {
    if (PLACES.has(token) && SHIPPING_CONTEXT.test(phrasedText)) {
      concepts.push(destination(token))
      continue
    }
    if (TIER_WORDS.has(token) && /^(?:accounts?|profiles?|plans?|memberships?)$/.test(tokens[i + 1] ?? '')) {
      concepts.push(TIER_CONCEPT)
      continue
    }
    const concept = wordConcept(token, typedBySpelled.get(token) ?? token)
    if (concept) concepts.push(concept)
  }
  return mergeDuplicates(concepts)
}

function extractPhrases(text: string, into: Concept[]): string {
  let out = ` ${text} `
  for (const [pattern, words] of PHRASES) {
    out = out.replace(pattern, (match) => {
      if (words.length > 0)
        into.push({ label: match.trim(), terms: [...new Set(words.map(stem))], weight: 1, loose: false })
      return ' '
    })
  }
  return out
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
