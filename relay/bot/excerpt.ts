/**
 * The part of an article that answers the question: its lead sentence and the sentences (or list)
 * sharing the most concepts with it, in article order, quoted as written. Nothing is paraphrased.
 */
import { excerptUnits } from './markdown.ts'
import type { Concept } from './query.ts'
import { normalize, processIndexTerm, tokenize } from './text.ts'

/** Longest excerpt aimed for; one long unit may exceed it rather than be cut mid-sentence. */
const MAX_CHARS = 420
const MAX_UNITS = 3

function unitScore(unit: string, concepts: Concept[]): number {
  const stems = new Set(tokenize(normalize(unit)).flatMap((t) => processIndexTerm(t) ?? []))
  return concepts.reduce((sum, c) => (c.terms.some((t) => stems.has(t)) ? sum + c.weight : sum), 0)
}

/** Plain-text excerpt of a markdown body for the given query concepts. */
export function buildExcerpt(body: string, concepts: Concept[]): string {
  const units = excerptUnits(body)
  if (units.length === 0) return ''
  const scored = units.map((text, index) => ({ text, index, score: unitScore(text, concepts) }))
  const best = [...scored].sort((a, b) => b.score - a.score || a.index - b.index)
  const chosen = new Set<number>()
  let length = 0
  const take = (index: number): boolean => {
    const unit = scored[index]
    if (!unit || chosen.has(index) || chosen.size >= MAX_UNITS) return false
    if (chosen.size > 0 && length + unit.text.length > MAX_CHARS) return false
    chosen.add(index)
    length += unit.text.length + 1
    return true
  }
  // The lead sentence usually states the core answer ("Our team is available Monday to Friday…").
  take(0)
  for (const unit of best) if (unit.score > 0) take(unit.index)
  const [only] = chosen
  if (chosen.size === 1 && only !== undefined) take(only + 1)
  const texts = [...chosen].sort((a, b) => a - b).map((i) => scored[i]?.text ?? '')
  // Lists keep their own lines; sentences run on as one paragraph.
  const isList = (text: string): boolean => /(?:^|\n)- /.test(text)
  return texts.reduce((out, text) => {
    if (out === '') return text
    return `${out}${isList(out) || isList(text) ? '\n' : ' '}${text}`
  }, '')
}
