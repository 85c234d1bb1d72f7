import { describe, expect, it } from 'vitest'
import { type GapQuestion, groupQuestions, questionTerms } from './gaps.ts'

let minute = 0
function q(question: string, reason = 'no_answer'): GapQuestion {
  minute++
  return {
    question,
    conversationId: `cnv_${minute}`,
    at: new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString(),
    reason,
  }
}

describe('questionTerms', () => {
  it('drops filler, stems, and folds synonyms into one term', () => {
    expect(questionTerms('Where is my parcel?')).toEqual(questionTerms('where is my package'))
    expect(questionTerms('Can you please help me with engraving')).toEqual(['engrav'])
  })
})

describe('groupQuestions', () => {
  it('puts differently worded questions about one thing together and keeps other topics apart', () => {
    const gaps = groupQuestions([
      q('Do you sell decaf beans?'),
      q('Is there a decaf option for beans', 'low_confidence'),
      q('decaf beans??'),
      q('Can I cancel my order'),
      q('Can I track my order'),
      q('Do you engrave mugs?'),
    ])
    const decaf = gaps[0]
    expect(decaf).toMatchObject({ count: 3, reasons: { no_answer: 2, low_confidence: 1 } })
    expect(decaf?.terms).toEqual(expect.arrayContaining(['decaf', 'bean']))
    // Newest first; the newest question's time is the group's.
    expect(decaf?.examples[0]).toBe('decaf beans??')
    expect(decaf?.newestAt).toBe(new Date(Date.UTC(2026, 0, 1, 0, minute - 3)).toISOString())
    // A shared weak word ("order") does not merge cancelling with tracking.
    const singles = gaps.slice(1).map((g) => g.examples)
    expect(singles).toEqual(
      expect.arrayContaining([['Can I cancel my order'], ['Can I track my order'], ['Do you engrave mugs?']]),
    )
    expect(new Set(gaps.map((g) => g.id)).size).toBe(gaps.length)
  })

  it('counts repeats of one question but lists it once, and groups questions without content words only with themselves', () => {
    const gaps = groupQuestions([q('hello?'), q('Gift boxes?'), q('gift boxes?'), q('hello?'), q('thanks')])
    const gifts = gaps.find((g) => g.terms.includes('box'))
    expect(gifts).toMatchObject({ count: 2, examples: ['gift boxes?'] })
    expect(gaps.find((g) => g.examples[0] === 'hello?')?.count).toBe(2)
    expect(gaps.find((g) => g.examples[0] === 'thanks')?.count).toBe(1)
  })

  it('suggests the most typical wording as the title', () => {
    const [gap] = groupQuestions([
      q('decaf beans'),
      q('do you have decaf beans in stock'),
      q('decaf beans available?'),
    ])
    expect(gap?.title).toMatch(/^Decaf beans/)
  })
})
