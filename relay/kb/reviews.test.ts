import { describe, expect, it } from 'vitest'
import type { BotAnswerReview } from '../../shared/kb.ts'
import { compareReviews } from './reviews.ts'

function answer(id: string, confidence: number | null, createdAt: string, reviewed = false): BotAnswerReview {
  return {
    conversationId: 'cnv_1',
    messageId: id,
    seq: 3,
    question: 'q',
    answer: 'a',
    sources: [],
    confidence,
    outcome: 'answer',
    createdAt,
    review: reviewed
      ? { verdict: 'correct', note: null, agentId: 'agt_1', agentName: 'Sam', at: createdAt }
      : null,
  }
}

describe('compareReviews', () => {
  it('puts unreviewed answers first, then the least confident band, newest first within a band', () => {
    const list = [
      answer('high-new', 0.9, '2026-01-05'),
      answer('low-old', 0.5, '2026-01-01'),
      answer('low-new', 0.55, '2026-01-04'),
      answer('mid', 0.7, '2026-01-03'),
      answer('unknown', null, '2026-01-02'),
      answer('reviewed-low', 0.46, '2026-01-06', true),
    ]
    expect(list.sort(compareReviews).map((r) => r.messageId)).toEqual([
      'unknown',
      'low-new',
      'low-old',
      'mid',
      'high-new',
      'reviewed-low',
    ])
  })
})
