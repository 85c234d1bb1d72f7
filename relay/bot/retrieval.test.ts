import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadArticlesFromDir } from '../kb/parse.ts'
import type { Article } from '../store/types.ts'
import { type ConceptRetriever, createRetriever } from './retrieval.ts'

const KB = path.resolve(import.meta.dirname, '../../../shared/data/kb')

let articles: Article[]
let retriever: ConceptRetriever

beforeAll(async () => {
  articles = await loadArticlesFromDir(KB, 'harbor')
  retriever = createRetriever(articles)
})

function topSlug(query: string): string | undefined {
  return retriever.search(query, 1)[0]?.article.slug
}

describe('createRetriever over the sample knowledge base', () => {
  it('finds the verified returns article, not the returns draft, for a returns question', () => {
    const hits = retriever.search('How can I return an item I bought?')
    expect(hits[0]?.article.slug).toBe('returns')
    expect(hits.map((h) => h.article.slug)).not.toContain('returns-draft')
  })

  it('never returns a draft, even for words that only the drafts contain', () => {
    for (const query of [
      'price match proposal',
      'cheaper elsewhere difference',
      'DRAFT not yet approved 90 days',
    ]) {
      const slugs = retriever.search(query, 10).map((h) => h.article.slug)
      expect(slugs).not.toContain('price-match-draft')
      expect(slugs).not.toContain('returns-draft')
    }
    expect(retriever.search('proposal')).toEqual([])
  })

  it('tolerates typos in the important words', () => {
    expect(topSlug('how do i rest my pasword')).toBe('reset-password')
    expect(topSlug('cancel my ordr')).toBe('cancel-order')
    expect(topSlug('whre can I downlaod my invoce')).toBe('invoices')
  })

  it('understands general shopping synonyms', () => {
    expect(topSlug('where can I get my bill')).toBe('invoices')
    expect(topSlug('what is your money back policy')).toBe('refund-policy')
    expect(topSlug('when will my package arrive')).toBe('shipping-times')
    expect(topSlug('can I use a coupon at checkout')).toBe('how-to-order')
    expect(topSlug('do you deliver to Canada')).toBe('shipping-options')
  })

  it('gives a question the article fully covers more confidence than one it half covers', () => {
    const precise = retriever.search('how do I reset my forgotten password')[0]
    const half = retriever.search('reset the combination of my bicycle lock')[0]
    expect(precise?.article.slug).toBe('reset-password')
    expect(precise?.coverage).toBe(1)
    expect(precise?.confidence ?? 0).toBeGreaterThan(0.7)
    expect(half?.coverage ?? 1).toBeLessThan(0.6)
    expect(half?.confidence ?? 1).toBeLessThan(0.5)
  })

  it('gives less confidence when two articles cover the question equally well', () => {
    const clear = retriever.search('how do I unsubscribe from the newsletter')[0]
    const split = retriever.search('registration')[0]
    expect(clear?.article.slug).toBe('newsletter')
    expect(clear?.confidence ?? 0).toBeGreaterThan(split?.confidence ?? 1)
    expect(split?.confidence ?? 1).toBeLessThanOrEqual(0.65)
  })

  it('does not mistake real words for typos of store words', () => {
    expect(retriever.analyze('how do I get a passport').map((c) => c.terms[0])).toEqual(['passport'])
    expect(retriever.search('how do I get a passport')[0]?.confidence ?? 0).toBeLessThan(0.45)
    expect(retriever.analyze('how do I rest my pasword').map((c) => c.terms[0])).toEqual([
      'reset',
      'password',
    ])
  })

  it('keeps confidence within 0..1 and never higher for a lower-ranked hit', () => {
    for (const query of ['refund', 'gift card balance', 'ship order parcel return refund account', 'zzz']) {
      const hits = retriever.search(query, 5)
      for (const [i, hit] of hits.entries()) {
        expect(hit.confidence).toBeGreaterThanOrEqual(0)
        expect(hit.confidence).toBeLessThanOrEqual(1)
        if (i > 0) expect(hit.confidence).toBeLessThanOrEqual(hits[i - 1]?.confidence ?? 1)
      }
    }
  })

  it('returns nothing for a message without searchable words', () => {
    expect(retriever.search('hi, can you help me please?')).toEqual([])
    expect(retriever.search('00123842')).toEqual([])
  })

  it('indexes only verified articles of what it is given', () => {
    const drafts = articles.map((a) => ({ ...a, verified: false }))
    expect(createRetriever(drafts).search('return an item')).toEqual([])
  })
})
