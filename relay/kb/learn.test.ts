import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { newId } from '../../shared/ids.ts'
import { createRetriever } from '../bot/retrieval.ts'
import { LowdbStore } from '../store/lowdb-store.ts'
import type { Article, Conversation } from '../store/types.ts'
import { addExamples, learnFromResolution, linkedArticles } from './learn.ts'
import { loadArticlesFromDir } from './parse.ts'

const KB = path.resolve(import.meta.dirname, '../../../shared/data/kb')
const NOW = '2026-01-01T00:00:00.000Z'

let dir: string
let store: LowdbStore
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'parley-learn-'))
  store = new LowdbStore({ dir })
  await store.init()
  for (const a of await loadArticlesFromDir(KB, 'harbor')) await store.putArticle(a)
})
afterEach(async () => {
  await store.close()
  await rm(dir, { recursive: true, force: true })
})

async function conversation(
  messages: [author: 'contact' | 'agent' | 'bot', text: string][],
  handedOff = true,
) {
  const c: Conversation = {
    id: newId('cnv_'),
    siteId: 'harbor',
    contactId: 'ctc_1',
    channel: 'web',
    status: 'assigned',
    priority: 'normal',
    handoffReason: handedOff ? 'no_answer' : null,
    handoffSummary: null,
    assigneeId: 'agt_1',
    assigneeName: 'Sam',
    humanInvolved: true,
    lastSeq: 0,
    preview: '',
    createdAt: NOW,
    updatedAt: NOW,
  }
  const event = (type: 'created' | 'handoff') => ({
    id: newId('evt_'),
    conversationId: c.id,
    type,
    actor: { kind: 'bot' as const, id: null },
    at: NOW,
    data: { reason: 'no_answer' },
  })
  await store.createConversation(c, event('created'))
  if (handedOff)
    await store.updateConversation(c.id, (cur) => ({ ok: true, conversation: cur, event: event('handoff') }))
  for (const [author, text] of messages) {
    await store.appendMessage({
      conversationId: c.id,
      clientId: null,
      author,
      authorId: null,
      authorName: null,
      text,
      sources: [],
    })
  }
  return c.id
}

async function get(slug: string): Promise<Article | undefined> {
  return (await store.listArticles('harbor')).find((a) => a.slug === slug)
}

const WORDING = 'my hoodie went walkabout somewhere between the depot and my door'

describe('learnFromResolution', () => {
  it('adds the first shopper question to the article an agent linked, and retrieval then finds it for that wording', async () => {
    const before = createRetriever(await store.listArticles('harbor')).search(WORDING, 1)[0]
    expect(before?.article.slug === 'track-order' && (before.confidence ?? 0) >= 0.45).toBe(false)

    const id = await conversation([
      ['contact', WORDING],
      ['contact', 'hello??'],
      ['agent', 'You can follow it here: https://relay.example/help/harbor/track-order'],
    ])
    const invalidated: string[] = []
    const result = await learnFromResolution(store, id, { invalidate: (s) => invalidated.push(s) })
    expect(result).toEqual({ question: WORDING, learnt: ['track-order'] })
    expect((await get('track-order'))?.examples).toEqual([WORDING])
    expect(invalidated).toEqual(['harbor'])

    const after = createRetriever(await store.listArticles('harbor')).search(WORDING, 1)[0]
    expect(after?.article.slug).toBe('track-order')
    expect(after?.confidence).toBeGreaterThanOrEqual(0.45)
  })

  it('learns nothing from a conversation the bot never handed off, or without a link', async () => {
    const notHandedOff = await conversation(
      [
        ['contact', WORDING],
        ['agent', 'see /help/harbor/track-order'],
      ],
      false,
    )
    expect((await learnFromResolution(store, notHandedOff)).learnt).toEqual([])
    const noLink = await conversation([
      ['contact', WORDING],
      ['agent', 'I will check with the courier'],
    ])
    expect((await learnFromResolution(store, noLink)).learnt).toEqual([])
    expect((await get('track-order'))?.examples).toBeUndefined()
  })

  it('does not add the same question twice', async () => {
    const messages: [author: 'contact' | 'agent', text: string][] = [
      ['contact', WORDING],
      ['agent', '/help/harbor/track-order'],
    ]
    await learnFromResolution(store, await conversation(messages))
    const again = await learnFromResolution(
      store,
      await conversation([['contact', `${WORDING.toUpperCase()}?`], messages[1]!]),
    )
    expect(again.learnt).toEqual([])
    expect((await get('track-order'))?.examples).toEqual([WORDING])
  })
})

describe('linkedArticles', () => {
  it('recognises help links of the site on any host and the article own url, not other sites', () => {
    const articles = [
      { slug: 'returns', url: null },
      { slug: 'sizing', url: 'https://shop.example/pages/size-guide' },
    ] as Article[]
    expect(linkedArticles('see https://x.example/help/harbor/returns.', 'harbor', articles)).toEqual([
      'returns',
    ])
    expect(linkedArticles('see /help/other/returns', 'harbor', articles)).toEqual([])
    expect(linkedArticles('see /help/harbor/unknown', 'harbor', articles)).toEqual([])
    expect(linkedArticles('guide: https://shop.example/pages/size-guide', 'harbor', articles)).toEqual([
      'sizing',
    ])
  })
})

describe('addExamples', () => {
  it('keeps at most 20 examples, dropping the oldest', async () => {
    const questions = Array.from({ length: 25 }, (_, i) => `question number ${i}`)
    const result = await addExamples(store, 'harbor', 'returns', questions)
    expect(result?.added).toBe(25)
    const examples = (await get('returns'))?.examples ?? []
    expect(examples).toHaveLength(20)
    expect(examples[0]).toBe('question number 5')
    expect(await addExamples(store, 'harbor', 'no-such-article', ['x'])).toBeNull()
  })
})
