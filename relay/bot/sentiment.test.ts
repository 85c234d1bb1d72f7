import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { STRONG_NEGATIVE, scoreSentiment } from './sentiment.ts'

const LABELLED = path.resolve(import.meta.dirname, '../../../shared/data/sentiment/amazon_cells_labelled.txt')

describe('scoreSentiment', () => {
  it('scores neutral support questions 0, even with words AFINN counts as negative', () => {
    expect(scoreSentiment('where could I see the cancellation charges?')).toBe(0)
    expect(scoreSentiment('I lost my password')).toBe(0)
    expect(scoreSentiment('what is the early termination penalty')).toBe(0)
  })

  it('keeps scores within -1..1 and orders them by how strong the feeling is', () => {
    const angry = scoreSentiment(
      'This is the worst, most horrible service. I hate you, you are useless and pathetic!',
    )
    const annoyed = scoreSentiment('I am a bit disappointed with the delay')
    const happy = scoreSentiment('Great, thank you so much, that was really helpful!')
    expect(angry).toBeGreaterThanOrEqual(-1)
    expect(angry).toBeLessThanOrEqual(STRONG_NEGATIVE)
    expect(annoyed).toBeLessThan(0)
    expect(annoyed).toBeGreaterThan(STRONG_NEGATIVE)
    expect(happy).toBeGreaterThan(0.5)
    expect(happy).toBeLessThanOrEqual(1)
  })

  it('counts an expletive as emphasis, not as a strongly negative message', () => {
    expect(scoreSentiment('how do I get the fucking invoice')).toBeGreaterThan(STRONG_NEGATIVE)
  })

  it('agrees with human labels on most of the labelled review sentences', () => {
    const rows = readFileSync(LABELLED, 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split('\t'))
    const correct = rows.filter(
      ([text, label]) => (scoreSentiment(text ?? '') > 0 ? '1' : '0') === label?.trim(),
    ).length
    expect(rows).toHaveLength(1000)
    expect(correct / rows.length).toBeGreaterThan(0.75)
  })
})
