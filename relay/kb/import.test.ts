import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { LowdbStore } from '../store/lowdb-store.ts'
import { ImportError, importArticles, parseImportFiles } from './import.ts'

const file = (title: string, verified = true, body = 'Body.') =>
  `---\ntitle: ${title}\nverified: ${verified}\n---\n${body}`

let dir: string
let store: LowdbStore
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'parley-import-'))
  store = new LowdbStore({ dir })
  await store.init()
})
afterEach(async () => {
  await store.close()
  await rm(dir, { recursive: true, force: true })
})

describe('importArticles', () => {
  it('updates content but keeps learnt examples, votes and the review flag of an existing article', async () => {
    const [first] = parseImportFiles([{ name: 'returns.md', content: file('Returns') }], 'harbor', 'T1')
    await importArticles(store, 'harbor', [first!])
    const [stored] = await store.listArticles('harbor')
    await store.putArticle({ ...stored!, examples: ['can I send it back'], helpful: 3, needsReview: true })

    const [edited] = parseImportFiles(
      [{ name: 'returns.md', content: file('Returns', false, 'New.') }],
      'harbor',
      'T2',
    )
    const report = await importArticles(store, 'harbor', [edited!])
    expect(report).toMatchObject({ created: 0, updated: 1, unchanged: 0, verified: 0, drafts: 1 })
    expect((await store.listArticles('harbor'))[0]).toMatchObject({
      body: 'New.',
      verified: false,
      examples: ['can I send it back'],
      helpful: 3,
      needsReview: true,
      updatedAt: 'T2',
    })
  })
})

describe('parseImportFiles', () => {
  it('lists every bad file by name: missing title, not Markdown, a slug given twice', () => {
    let caught: unknown
    try {
      parseImportFiles(
        [
          { name: 'ok.md', content: file('Fine') },
          { name: 'kb/untitled.md', content: '---\nverified: true\n---\nx' },
          { name: 'notes.txt', content: file('Text') },
          { name: 'other/ok.md', content: file('Twice') },
        ],
        'harbor',
        'T',
      )
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(ImportError)
    expect((caught as ImportError).errors.map((e) => e.file)).toEqual([
      'kb/untitled.md',
      'notes.txt',
      'other/ok.md',
    ])
  })
})
