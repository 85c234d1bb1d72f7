import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ArticleParseError, loadArticlesFromDir, parseArticle } from './parse.ts'

const NOW = '2025-01-02T03:04:05.000Z'
const KB = path.resolve(import.meta.dirname, '../../../shared/data/kb')

describe('parseArticle', () => {
  it('reads title, tags, verified and the body without front matter', () => {
    const article = parseArticle(
      '---\ntitle: Returning an item\ntags: [return, label]\nverified: true\n---\nYou have 30 days.\n',
      'returns',
      'site-1',
      NOW,
    )
    expect(article).toEqual({
      siteId: 'site-1',
      slug: 'returns',
      title: 'Returning an item',
      tags: ['return', 'label'],
      verified: true,
      body: 'You have 30 days.',
      url: null,
      updatedAt: NOW,
    })
  })

  it('treats an article without `verified` as an unverified draft', () => {
    const article = parseArticle('---\ntitle: Draft\n---\nSoon.', 'draft', 's', NOW)
    expect(article.verified).toBe(false)
    expect(article.tags).toEqual([])
  })

  it('rejects a missing title with an error naming the slug', () => {
    expect(() => parseArticle('---\ntags: [a]\nverified: true\n---\nBody', 'no-title', 's', NOW)).toThrow(
      /article "no-title".*title/,
    )
  })

  it('rejects a file without front matter', () => {
    expect(() => parseArticle('Just a body', 'bare', 's', NOW)).toThrow(ArticleParseError)
    expect(() => parseArticle('Just a body', 'bare', 's', NOW)).toThrow(/"bare"/)
  })

  it('rejects YAML that does not parse, naming the slug', () => {
    expect(() => parseArticle('---\ntitle: [unclosed\n---\nBody', 'broken', 's', NOW)).toThrow(
      /article "broken": invalid front matter/,
    )
  })

  it('rejects tags that are not a list and a verified flag that is not a boolean', () => {
    expect(() => parseArticle('---\ntitle: T\ntags: 3\n---\nB', 'bad-tags', 's', NOW)).toThrow(
      /bad-tags.*tags/,
    )
    expect(() => parseArticle('---\ntitle: T\nverified: "maybe"\n---\nB', 'bad-flag', 's', NOW)).toThrow(
      /bad-flag.*verified/,
    )
  })

  it('parses the same text twice into independent articles (no shared cache)', () => {
    const text = '---\ntitle: Same\nverified: true\n---\nBody'
    const a = parseArticle(text, 'a', 's', NOW)
    const b = parseArticle(text, 'b', 's', NOW)
    a.tags.push('mutated')
    expect(b.tags).toEqual([])
    expect(b.slug).toBe('b')
  })
})

describe('loadArticlesFromDir', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'parley-kb-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('loads every .md file sorted by slug and ignores other files', async () => {
    await writeFile(path.join(dir, 'zeta.md'), '---\ntitle: Zeta\nverified: true\n---\nZ')
    await writeFile(path.join(dir, 'alpha.md'), '---\ntitle: Alpha\nverified: false\n---\nA')
    await writeFile(path.join(dir, 'notes.txt'), 'not an article')
    const articles = await loadArticlesFromDir(dir, 'shop')
    expect(articles.map((a) => a.slug)).toEqual(['alpha', 'zeta'])
    expect(articles.every((a) => a.siteId === 'shop')).toBe(true)
  })

  it('fails on the first bad file with its slug', async () => {
    await writeFile(path.join(dir, 'good.md'), '---\ntitle: Good\n---\nG')
    await writeFile(path.join(dir, 'bad.md'), 'no front matter')
    await expect(loadArticlesFromDir(dir, 'shop')).rejects.toThrow(/"bad"/)
  })

  it('reads the sample knowledge base with its drafts marked unverified', async () => {
    const articles = await loadArticlesFromDir(KB, 'harbor')
    expect(articles).toHaveLength(27)
    expect(articles.filter((a) => !a.verified).map((a) => a.slug)).toEqual([
      'price-match-draft',
      'returns-draft',
    ])
    const returns = articles.find((a) => a.slug === 'returns')
    expect(returns?.title).toBe('Returning an item')
    expect(returns?.body.startsWith('You have 30 days from delivery')).toBe(true)
  })
})
