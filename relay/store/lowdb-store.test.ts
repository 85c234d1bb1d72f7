import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { storeContract } from './contract.ts'
import { createdEvent as created, conversation as fixture, message, T0 } from './fixtures.ts'
import { type ConversationFile, fileNameFor, LowdbStore } from './lowdb-store.ts'

storeContract('lowdb', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'parley-store-'))
  const store = new LowdbStore({ dir })
  return {
    store,
    cleanup: async () => {
      await store.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
})

const conversation = (id: string) => fixture({ id })

describe('LowdbStore files', () => {
  let dir: string
  const opened: LowdbStore[] = []

  /** Opens and initialises a store on the test's directory; closed after the test. */
  async function open(options: { now?: () => Date; cacheSize?: number } = {}): Promise<LowdbStore> {
    const store = new LowdbStore({ dir, ...options })
    opened.push(store)
    await store.init()
    return store
  }

  async function seed(store: LowdbStore, id: string): Promise<void> {
    const c = conversation(id)
    await store.createConversation(c, created(c))
  }

  const convPath = (id: string) => join(dir, 'conversations', `${id}.json`)

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-lowdb-'))
  })

  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('keeps everything across close and reopen, and seq continues where it stopped', async () => {
    const first = await open()
    await first.putSite({ id: 's1', name: 'Shop', allowedOrigins: [], botName: 'Parley', createdAt: T0 })
    await first.putAgent({
      id: 'a1',
      email: 'alice@example.com',
      name: 'Alice',
      role: 'admin',
      passwordHash: 'x',
      siteIds: ['s1'],
      createdAt: T0,
    })
    await first.putSession({ id: 'sess', agentId: 'a1', createdAt: T0, expiresAt: T0 })
    await first.putContact({ id: 'ct1', siteId: 's1', name: 'Ada', email: null, createdAt: T0 })
    await first.putArticle({
      siteId: 's1',
      slug: 'returns',
      title: 'Returns',
      tags: [],
      verified: true,
      body: 'Thirty days.',
      url: null,
      updatedAt: T0,
    })
    await seed(first, 'conv_a')
    for (const t of ['one', 'two', 'three']) await first.appendMessage(message('conv_a', t))
    await first.close()

    const second = await open()
    expect((await second.listConversations({ siteIds: ['s1'] })).map((c) => [c.id, c.lastSeq])).toEqual([
      ['conv_a', 3],
    ])
    const next = await second.appendMessage(message('conv_a', 'four'))
    expect(next.ok && next.message.seq).toBe(4)
    expect((await second.listMessages('conv_a')).map((m) => m.text)).toEqual(['one', 'two', 'three', 'four'])
    expect((await second.listEvents('conv_a')).map((e) => e.type)).toEqual(['created'])
    expect((await second.getSite('s1'))?.name).toBe('Shop')
    expect((await second.getAgentByEmail('ALICE@example.com'))?.id).toBe('a1')
    expect((await second.getSession('sess'))?.agentId).toBe('a1')
    expect((await second.getContact('ct1'))?.name).toBe('Ada')
    expect((await second.listContacts({ siteIds: ['s1'], query: 'ad' })).map((c) => c.id)).toEqual(['ct1'])
    expect((await second.listArticles('s1')).map((a) => a.slug)).toEqual(['returns'])
  })

  it('lays out one file per conversation holding its record, messages and events', async () => {
    const store = await open()
    await seed(store, 'conv_a')
    await store.appendMessage(message('conv_a', 'hello'))
    const data = JSON.parse(await readFile(convPath('conv_a'), 'utf8')) as ConversationFile
    expect(data.conversation).toMatchObject({ id: 'conv_a', lastSeq: 1, preview: 'hello' })
    expect(data.messages.map((m) => m.text)).toEqual(['hello'])
    expect(data.events.map((e) => e.type)).toEqual(['created'])
    expect(await readdir(join(dir, 'conversations'))).toEqual(['conv_a.json'])
  })

  it('rewrites only the conversation it appends to, not other conversations or the small files', async () => {
    const store = await open()
    await store.putSite({ id: 's1', name: 'Shop', allowedOrigins: [], botName: 'Parley', createdAt: T0 })
    await store.putAgent({
      id: 'a1',
      email: 'a@example.com',
      name: 'A',
      role: 'agent',
      passwordHash: 'x',
      siteIds: [],
      createdAt: T0,
    })
    await seed(store, 'conv_a')
    await seed(store, 'conv_b')
    await store.appendMessage(message('conv_b', 'b stays'))
    const watched = [convPath('conv_b'), join(dir, 'sites.json'), join(dir, 'agents.json')]
    // Each write renames a new file into place, so the inode tells a rewrite apart even within one mtime tick.
    const snapshot = () =>
      Promise.all(
        watched.map(async (p) => {
          const s = await stat(p)
          return { p, ino: s.ino, mtimeMs: s.mtimeMs, content: await readFile(p, 'utf8') }
        }),
      )
    const before = await snapshot()
    const inoA = (await stat(convPath('conv_a'))).ino
    await new Promise((r) => setTimeout(r, 20))
    for (let i = 0; i < 5; i++) await store.appendMessage(message('conv_a', `a ${i}`))
    expect(await snapshot()).toEqual(before)
    expect((await stat(convPath('conv_a'))).ino).not.toBe(inoA)
    expect(
      (JSON.parse(await readFile(convPath('conv_a'), 'utf8')) as ConversationFile).messages,
    ).toHaveLength(5)
  })

  it('throws from init() naming a corrupt conversation file', async () => {
    const store = await open()
    await seed(store, 'conv_a')
    await store.close()
    await writeFile(convPath('conv_a'), '{"conversation": {"id": "conv_a"', 'utf8')
    const reopened = new LowdbStore({ dir })
    await expect(reopened.init()).rejects.toThrow(convPath('conv_a'))
  })

  it('throws from init() naming a corrupt sites file', async () => {
    await writeFile(join(dir, 'sites.json'), 'not json', 'utf8')
    await expect(new LowdbStore({ dir }).init()).rejects.toThrow(join(dir, 'sites.json'))
  })

  it('starts empty in a directory that does not exist yet', async () => {
    const fresh = join(dir, 'nested', 'data')
    const store = new LowdbStore({ dir: fresh })
    opened.push(store)
    await store.init()
    expect(await store.listSites()).toEqual([])
    expect((await readdir(fresh)).sort()).toEqual(['contacts', 'conversations', 'kb'])
  })

  it('finishes accepted writes on close() and rejects writes after it', async () => {
    const store = await open()
    await seed(store, 'conv_a')
    const pending = Array.from({ length: 20 }, (_, i) => store.appendMessage(message('conv_a', `m${i}`)))
    await store.close()
    await expect(store.appendMessage(message('conv_a', 'late'))).rejects.toThrow(/closed/)
    await expect(
      store.putSite({ id: 's9', name: 'x', allowedOrigins: [], botName: 'b', createdAt: T0 }),
    ).rejects.toThrow(/closed/)
    expect((await Promise.all(pending)).every((r) => r.ok)).toBe(true)
    const onDisk = JSON.parse(await readFile(convPath('conv_a'), 'utf8')) as ConversationFile
    expect(onDisk.messages.map((m) => m.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
  })

  it('stamps messages with the injected clock', async () => {
    const store = await open({ now: () => new Date('2030-05-06T07:08:09.000Z') })
    await seed(store, 'conv_a')
    const result = await store.appendMessage(message('conv_a', 'hi'))
    expect(result.ok && result.message.createdAt).toBe('2030-05-06T07:08:09.000Z')
    expect((await store.getConversation('conv_a'))?.updatedAt).toBe('2030-05-06T07:08:09.000Z')
  })

  it('reloads evicted conversations from disk and keeps their seq and dedupe', async () => {
    const store = await open({ cacheSize: 2 })
    const ids = ['c1', 'c2', 'c3', 'c4', 'c5']
    for (const id of ids) await seed(store, id)
    for (const id of ids)
      await store.appendMessage({ ...message(id, `${id} first`), clientId: `${id}-client` })
    for (const id of ids) {
      const retry = await store.appendMessage({ ...message(id, `${id} first`), clientId: `${id}-client` })
      expect(retry.ok && [retry.duplicate, retry.message.seq]).toEqual([true, 1])
      const next = await store.appendMessage(message(id, `${id} second`))
      expect(next.ok && next.message.seq).toBe(2)
    }
    for (const id of ids) {
      expect((await store.listMessages(id)).map((m) => m.text)).toEqual([`${id} first`, `${id} second`])
    }
  })

  it('keeps files for ids with path characters inside their folder', async () => {
    const store = await open()
    await store.putContact({ id: '../../escape', siteId: 's1', name: null, email: null, createdAt: T0 })
    expect(await readdir(join(dir, 'contacts'))).toEqual([fileNameFor('../../escape')])
    expect(fileNameFor('../../escape')).not.toContain('/')
    expect((await store.getContact('../../escape'))?.id).toBe('../../escape')
    expect((await readdir(dir)).sort()).toEqual(['contacts', 'conversations', 'kb'])
  })

  it('keeps action requests in their conversation file across close and reopen', async () => {
    const first = await open()
    await seed(first, 'conv_a')
    const action = {
      id: 'act_1',
      siteId: 's1',
      conversationId: 'conv_a',
      type: 'refund' as const,
      input: { orderNumber: 'TW-1', amount: 5 },
      decision: 'suggest' as const,
      reason: 'within the policy',
      status: 'pending' as const,
      result: null,
      decidedBy: null,
      note: null,
      createdAt: T0,
      updatedAt: T0,
    }
    await first.putAction(action)
    await first.appendMessage(message('conv_a', 'after the action'))
    const onDisk = JSON.parse(await readFile(convPath('conv_a'), 'utf8')) as ConversationFile
    expect(onDisk.actions?.map((a) => a.id)).toEqual(['act_1'])
    await first.close()
    const second = await open()
    expect(await second.getAction('act_1')).toEqual(action)
    expect(await second.putAction({ ...action, status: 'approved' }, { ifStatus: ['pending'] })).toBe(true)
    expect((await second.listActions({ siteIds: ['s1'], statuses: ['approved'] })).map((a) => a.id)).toEqual([
      'act_1',
    ])
  })

  it('refuses every call before init()', async () => {
    const store = new LowdbStore({ dir })
    await expect(store.listSites()).rejects.toThrow(/init/)
    await expect(
      store.putContact({ id: 'x', siteId: 's', name: null, email: null, createdAt: T0 }),
    ).rejects.toThrow(/init/)
  })
})
