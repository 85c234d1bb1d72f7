/**
 * The knowledge-gap report: the questions the bot handed off for lack of an article, grouped by
 * similarity.
 *
 * Method: each question becomes a set of terms — the bot's normalisation (lower case, compounds
 * folded), stop words dropped, Porter stems, and words of one synonym set of the bot's vocabulary
 * folded into one term ("parcel" and "package" meet). Each term is weighted by its inverse
 * document frequency over the questions being grouped (a word most questions share, like
 * "order", tells little), halved for qualifier words ("item", "problem"). Two questions are
 * similar when the cosine of their weighted term sets is at least 0.5. Questions are taken newest
 * first; each joins the group holding its most similar question (single link), or starts one.
 * Deterministic, and fast for the few thousand questions a site produces.
 */
import type { KnowledgeGap } from '../../shared/kb.ts'
import { normalize, processIndexTerm, stem, tokenize } from '../bot/text.ts'
import { SYNONYM_SETS, WEAK_WORDS } from '../bot/vocabulary.ts'

export const GAP_REASONS = ['no_answer', 'low_confidence', 'out_of_scope'] as const
export const SIMILARITY_THRESHOLD = 0.5
const MAX_EXAMPLES = 5
const MAX_QUESTIONS = 50
const MAX_CONVERSATIONS = 20

export interface GapQuestion {
  question: string
  conversationId: string
  /** When it was handed off (ISO). */
  at: string
  reason: string
}

/** A stem → the stem standing for its whole synonym set. */
const canonical = new Map<string, string>()
for (const set of SYNONYM_SETS) {
  const head = stem(set[0] ?? '')
  for (const word of set) if (!canonical.has(stem(word))) canonical.set(stem(word), head)
}
const weakStems = new Set([...WEAK_WORDS].map(stem))

/** The question's terms: stemmed content words, synonyms folded. */
export function questionTerms(text: string): string[] {
  const terms = new Set<string>()
  for (const token of tokenize(normalize(text))) {
    const s = processIndexTerm(token)
    if (s !== null) terms.add(canonical.get(s) ?? s)
  }
  return [...terms]
}

interface Vector {
  weights: Map<string, number>
  norm: number
}

function cosine(a: Vector, b: Vector): number {
  if (a.norm === 0 || b.norm === 0) return 0
  let dot = 0
  for (const [term, w] of a.weights) {
    const other = b.weights.get(term)
    if (other !== undefined) dot += w * other
  }
  return dot / (a.norm * b.norm)
}

function hash(text: string): string {
  // FNV-1a: a short stable id for a group's key terms.
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return (h >>> 0).toString(36)
}

interface Member {
  item: GapQuestion
  terms: string[]
  vector: Vector
}

/** Groups handed-off questions by similarity; the biggest groups first, then the most recent. */
export function groupQuestions(items: readonly GapQuestion[]): Omit<KnowledgeGap, 'closestArticle'>[] {
  const sorted = [...items].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
  const termLists = sorted.map((item) => questionTerms(item.question))
  const df = new Map<string, number>()
  for (const terms of termLists) for (const t of terms) df.set(t, (df.get(t) ?? 0) + 1)
  const n = sorted.length
  const members: Member[] = sorted.map((item, i) => {
    const terms = termLists[i] ?? []
    const weights = new Map<string, number>()
    for (const t of terms) {
      const idf = Math.log(1 + n / (df.get(t) ?? 1))
      weights.set(t, weakStems.has(t) ? idf / 2 : idf)
    }
    const norm = Math.sqrt([...weights.values()].reduce((sum, w) => sum + w * w, 0))
    return { item, terms, vector: { weights, norm } }
  })

  const groups: Member[][] = []
  const byText = new Map<string, Member[]>()
  for (const member of members) {
    if (member.terms.length === 0) {
      // Nothing to compare on ("??", "hello"): only identical texts group.
      const key = member.item.question.trim().toLowerCase()
      const group = byText.get(key)
      if (group) group.push(member)
      else {
        const fresh = [member]
        byText.set(key, fresh)
        groups.push(fresh)
      }
      continue
    }
    let best: Member[] | null = null
    let bestScore = SIMILARITY_THRESHOLD
    for (const group of groups) {
      for (const other of group) {
        const score = cosine(member.vector, other.vector)
        if (score >= bestScore) {
          bestScore = score
          best = group
        }
      }
    }
    if (best) best.push(member)
    else groups.push([member])
  }
  const described = groups
    .map(describe)
    .sort((a, b) => b.count - a.count || (a.newestAt < b.newestAt ? 1 : a.newestAt > b.newestAt ? -1 : 0))
  // Ids come from the key terms and wording; the rare clash gets a suffix so ids stay unique.
  const used = new Set<string>()
  for (const gap of described) {
    let id = gap.id
    for (let i = 2; used.has(id); i++) id = `${gap.id}-${i}`
    used.add(id)
    gap.id = id
  }
  return described
}

function describe(group: Member[]): Omit<KnowledgeGap, 'closestArticle'> {
  const counts = new Map<string, number>()
  for (const m of group) for (const t of m.terms) counts.set(t, (counts.get(t) ?? 0) + 1)
  const terms = [...counts.entries()]
    .filter(([, c]) => c * 2 >= group.length)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([t]) => t)
  // The medoid (most similar to the rest) is the group's most typical wording; newest wins ties.
  let typical = group[0] as Member
  let typicalScore = -1
  for (const m of group) {
    const score = group.reduce((sum, other) => (other === m ? sum : sum + cosine(m.vector, other.vector)), 0)
    if (score > typicalScore) {
      typical = m
      typicalScore = score
    }
  }
  const distinct: string[] = []
  const seen = new Set<string>()
  for (const m of group) {
    const key = m.item.question.trim().toLowerCase()
    if (seen.has(key)) continue
    seen.add(key)
    distinct.push(m.item.question.trim())
  }
  const reasons: Record<string, number> = {}
  for (const m of group) reasons[m.item.reason] = (reasons[m.item.reason] ?? 0) + 1
  const title = typical.item.question.trim().replace(/\s+/g, ' ')
  return {
    id: hash(`${terms.join(' ')}|${title.toLowerCase()}`),
    terms,
    title: title.charAt(0).toUpperCase() + title.slice(1),
    count: group.length,
    examples: distinct.slice(0, MAX_EXAMPLES),
    questions: distinct.slice(0, MAX_QUESTIONS),
    conversationIds: [...new Set(group.map((m) => m.item.conversationId))].slice(0, MAX_CONVERSATIONS),
    newestAt: group[0]?.item.at ?? '',
    reasons,
  }
}
