/**
 * PgStore against a real PostgreSQL: the shared Store contract, then what only several nodes on
 * one database show. Runs in the `pg` vitest project (`npm run test:pg`), never in `npm test`;
 * every store gets a fresh schema, dropped afterwards.
 */
import pg from 'pg'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import type { Macro } from '../../shared/helpdesk.ts'
import { newId } from '../../shared/ids.ts'
import type { ActionRequest } from '../../shared/policy.ts'
import { connectTestDatabase } from '../../tests/support/postgres.ts'
import { transition } from '../conversations/state-machine.ts'
import { storeContract } from './contract.ts'
import { conversation, createdEvent as created, message, T0 } from './fixtures.ts'
import { loadMigrations } from './pg-migrations.ts'
import { PgStore, type PgStoreOptions } from './pg-store.ts'
import type { Conversation, Site } from './types.ts'

const db = await connectTestDatabase()
const DATABASE_URL = db.url
const admin = db.pool
const freshSchema = () => db.freshSchema()
afterAll(() => db.end())

storeContract('postgres', async () => {
  const schema = freshSchema()
  const store = new PgStore({ connectionString: DATABASE_URL, schema })
  return {
    store,
    cleanup: async () => {
      await store.close()
      await db.dropSchema(schema)
    },
  }
})

describe('PgStore on several nodes', () => {
  const opened: PgStore[] = []

  /** A store ("node") on `schema`, closed after the test. */
  function node(schema: string, over: Partial<PgStoreOptions> = {}): PgStore {
    const store = new PgStore({ connectionString: DATABASE_URL, schema, ...over })
    opened.push(store)
    return store
  }

  async function twoNodes(): Promise<[PgStore, PgStore]> {
    const schema = freshSchema()
    const a = node(schema)
    const b = node(schema)
    await a.init()
    await b.init()
    return [a, b]
  }

  async function seed(store: PgStore, over: Partial<Conversation> = {}): Promise<Conversation> {
    const c = conversation(over)
    return store.createConversation(c, created(c))
  }

  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close()
  })

  it('numbers 20 concurrent appends split across two nodes 1..20 with no gap or repeat', async () => {
    const [a, b] = await twoNodes()
    const c = await seed(a)
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).appendMessage(message(c.id, `m${i}`))),
    )
    const seqs = results.map((r) => (r.ok ? r.message.seq : 0)).sort((x, y) => x - y)
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
    expect((await b.listMessages(c.id)).map((m) => m.seq)).toEqual(seqs)
    expect((await a.getConversation(c.id))?.lastSeq).toBe(20)
  })

  it('stores one message when two nodes append the same clientId at once', async () => {
    const [a, b] = await twoNodes()
    const c = await seed(a)
    const both = await Promise.all([
      a.appendMessage(message(c.id, 'hi', { clientId: 'twice-0001' })),
      b.appendMessage(message(c.id, 'hi', { clientId: 'twice-0001' })),
    ])
    expect(both.map((r) => r.ok && r.duplicate).sort()).toEqual([false, true])
    expect(new Set(both.map((r) => (r.ok ? r.message.id : null))).size).toBe(1)
    expect(await a.listMessages(c.id)).toHaveLength(1)
  })

  it('stores a record once when two nodes put the same key if absent at the same moment', async () => {
    const [a, b] = await twoNodes()
    for (let round = 0; round < 10; round++) {
      const key = `wamid.${round}`
      const results = await Promise.all([
        a.putRecordIfAbsent('whatsapp.messages', key, { node: 'a' }),
        b.putRecordIfAbsent('whatsapp.messages', key, { node: 'b' }),
        a.putRecordIfAbsent('whatsapp.messages', key, { node: 'a' }),
        b.putRecordIfAbsent('whatsapp.messages', key, { node: 'b' }),
      ])
      expect(results.filter(Boolean)).toHaveLength(1)
      const stored = await b.getRecord('whatsapp.messages', key)
      expect(stored).toEqual({ node: results.indexOf(true) % 2 === 0 ? 'a' : 'b' })
    }
  })

  it('counts every update of one record when two nodes update it at once, the key new at first', async () => {
    const [a, b] = await twoNodes()
    const bump = (current: unknown) => ({ n: ((current as { n: number } | null)?.n ?? 0) + 1 })
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).updateRecord('whatsapp.deliveries', 'c1', bump)),
    )
    expect(await a.getRecord('whatsapp.deliveries', 'c1')).toEqual({ n: 20 })
  })

  it('leaves exactly one owner when two nodes claim the same conversation at once', async () => {
    const [a, b] = await twoNodes()
    const claim = (store: PgStore, id: string, agentId: string) =>
      store.updateConversation(id, (current) =>
        transition(
          current,
          { type: 'claim', agentId, agentName: agentId },
          {
            actor: { kind: 'agent', id: agentId },
            now: new Date().toISOString(),
            newId: () => newId('evt_'),
          },
        ),
      )
    // Ten races, so that the two claims really overlap in some of them.
    for (let round = 0; round < 10; round++) {
      const c = await seed(a, { status: 'queued' })
      const [first, second] = await Promise.all([claim(a, c.id, 'alice'), claim(b, c.id, 'bob')])
      const winners = [first, second].filter((r) => r?.ok)
      expect(winners).toHaveLength(1)
      const owner = winners[0]?.ok ? winners[0].conversation.assigneeId : null
      const loser = [first, second].find((r) => r && !r.ok)
      expect(loser?.ok === false && [loser.error.code, loser.error.details?.assigneeId]).toEqual([
        'already_assigned',
        owner,
      ])
      expect((await b.getConversation(c.id))?.assigneeId).toBe(owner)
      expect((await a.listEvents(c.id)).map((e) => e.type)).toEqual(['created', 'assigned'])
    }
  })

  it('keeps all 40 site edits when two nodes each save 20 different macros and settings at once', async () => {
    const [a, b] = await twoNodes()
    await a.putSite({ id: 's1', name: 'Shop', allowedOrigins: [], botName: 'Parley', createdAt: T0 })
    const macro = (id: string): Macro => ({ id, siteId: 's1', name: id, body: `Text ${id}`, actions: {} })
    // Node A adds macros a0..a19; node B adds macros b0..b9 and sets ten helpdesk fields.
    const edits: Array<(s: Site) => Site> = [
      ...Array.from(
        { length: 20 },
        (_, i) =>
          (s: Site): Site => ({
            ...s,
            helpdesk: { ...s.helpdesk, macros: [...(s.helpdesk?.macros ?? []), macro(`a${i}`)] },
          }),
      ),
      ...Array.from(
        { length: 10 },
        (_, i) =>
          (s: Site): Site => ({
            ...s,
            helpdesk: { ...s.helpdesk, macros: [...(s.helpdesk?.macros ?? []), macro(`b${i}`)] },
          }),
      ),
      (s) => ({ ...s, helpdesk: { ...s.helpdesk, autoAssign: false } }),
      (s) => ({ ...s, helpdesk: { ...s.helpdesk, reassignAfterMs: 120_000 } }),
      (s) => ({ ...s, helpdesk: { ...s.helpdesk, teams: [{ id: 't1', name: 'Billing' }] } }),
      (s) => ({ ...s, helpdesk: { ...s.helpdesk, businessHours: null } }),
      (s) => ({ ...s, name: 'Renamed shop' }),
      (s) => ({ ...s, botName: 'Ava' }),
      (s) => ({ ...s, requireIdentity: true }),
      (s) => ({ ...s, identitySecret: 'secret' }),
      (s) => ({ ...s, supportEmail: 'help@shop.example' }),
      (s) => ({ ...s, allowedOrigins: [...s.allowedOrigins, 'https://shop.example'] }),
    ]
    await Promise.all(edits.map((edit, i) => (i < 20 ? a : b).updateSite('s1', edit)))
    const stored = await b.getSite('s1')
    const names = (stored?.helpdesk?.macros ?? []).map((m) => m.id).sort()
    const expected = [
      ...Array.from({ length: 20 }, (_, i) => `a${i}`),
      ...Array.from({ length: 10 }, (_, i) => `b${i}`),
    ]
    expect(names).toEqual(expected.sort())
    expect(stored).toMatchObject({
      name: 'Renamed shop',
      botName: 'Ava',
      requireIdentity: true,
      identitySecret: 'secret',
      supportEmail: 'help@shop.example',
      allowedOrigins: ['https://shop.example'],
      helpdesk: {
        autoAssign: false,
        reassignAfterMs: 120_000,
        teams: [{ id: 't1', name: 'Billing' }],
        businessHours: null,
      },
    })
  })

  it('applies each migration once when two nodes start at the same moment', async () => {
    const schema = freshSchema()
    const a = node(schema)
    const b = node(schema)
    await Promise.all([a.init(), b.init()])
    const rows = await admin.query<{ version: number; name: string }>(
      `SELECT version, name FROM ${pg.escapeIdentifier(schema)}.schema_migrations ORDER BY version`,
    )
    const files = await loadMigrations()
    expect(rows.rows).toEqual(files.map((m) => ({ version: m.version, name: m.name })))
    expect(files.map((m) => m.name)).toContain('001_init.sql')
    // Both nodes work on the one set of tables.
    const c = await seed(a)
    expect((await b.getConversation(c.id))?.id).toBe(c.id)
    await node(schema).init()
    expect(
      (await admin.query(`SELECT 1 FROM ${pg.escapeIdentifier(schema)}.schema_migrations`)).rowCount,
    ).toBe(files.length)
  })

  it('keeps everything across close and a new instance; seq and dedupe continue', async () => {
    const schema = freshSchema()
    const first = node(schema)
    await first.init()
    await first.putSite({ id: 's1', name: 'Shop', allowedOrigins: [], botName: 'Parley', createdAt: T0 })
    await first.putAgent({
      id: 'a1',
      email: 'Alice@example.com',
      name: 'Alice',
      role: 'admin',
      passwordHash: 'x',
      siteIds: ['s1'],
      createdAt: T0,
    })
    await first.putSession({ id: 'sess', agentId: 'a1', createdAt: T0, expiresAt: T0 })
    await first.putContact({
      id: 'ct1',
      siteId: 's1',
      name: 'Ada',
      email: null,
      phone: '4915112345678',
      createdAt: T0,
    })
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
    const c = await seed(first)
    for (const t of ['one', 'two', 'three'])
      await first.appendMessage(message(c.id, t, { clientId: `c-${t}` }))
    const action: ActionRequest = {
      id: 'act_1',
      siteId: 's1',
      conversationId: c.id,
      type: 'refund',
      input: { orderNumber: 'TW-1', amount: 5 },
      decision: 'suggest',
      reason: 'within the policy',
      status: 'pending',
      result: null,
      decidedBy: null,
      note: null,
      createdAt: T0,
      updatedAt: T0,
    }
    await first.putAction(action)
    await first.close()

    const second = node(schema)
    await second.init()
    const retry = await second.appendMessage(message(c.id, 'one', { clientId: 'c-one' }))
    expect(retry.ok && [retry.duplicate, retry.message.seq]).toEqual([true, 1])
    const next = await second.appendMessage(message(c.id, 'four'))
    expect(next.ok && next.message.seq).toBe(4)
    expect((await second.listMessages(c.id)).map((m) => m.text)).toEqual(['one', 'two', 'three', 'four'])
    expect((await second.listEvents(c.id)).map((e) => e.type)).toEqual(['created'])
    expect((await second.getSite('s1'))?.name).toBe('Shop')
    expect((await second.getAgentByEmail('alice@EXAMPLE.com'))?.id).toBe('a1')
    expect((await second.getSession('sess'))?.agentId).toBe('a1')
    expect((await second.listContacts({ siteIds: ['s1'], query: '151 123' })).map((x) => x.id)).toEqual([
      'ct1',
    ])
    expect((await second.listArticles('s1')).map((x) => x.slug)).toEqual(['returns'])
    expect(await second.getAction('act_1')).toEqual(action)
  })

  it('finishes accepted appends on close() and refuses calls after it and before init()', async () => {
    const schema = freshSchema()
    const store = node(schema)
    await expect(store.listSites()).rejects.toThrow(/init/)
    await store.init()
    const c = await seed(store)
    const pending = Array.from({ length: 20 }, (_, i) => store.appendMessage(message(c.id, `m${i}`)))
    await store.close()
    await expect(store.appendMessage(message(c.id, 'late'))).rejects.toThrow(/closed/)
    expect((await Promise.all(pending)).every((r) => r.ok)).toBe(true)
    const reopened = node(schema)
    await reopened.init()
    expect((await reopened.listMessages(c.id)).map((m) => m.seq)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    )
  })

  it('stores text with a NUL character and reads it back unchanged', async () => {
    const [a] = await twoNodes()
    const c = await seed(a)
    const text = 'before\u0000after'
    await a.appendMessage(message(c.id, text))
    expect((await a.listMessages(c.id))[0]?.text).toBe(text)
  })

  it('fails init() naming the database, without its password, when PostgreSQL is not there', async () => {
    const store = node(freshSchema(), { connectionString: 'postgres://parley:hunter2@127.0.0.1:1/nowhere' })
    const error = await store.init().then(
      () => null,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).message).toMatch(/^pg store: cannot connect to 127\.0\.0\.1:1\/nowhere: /)
    expect((error as Error).message).not.toContain('hunter2')
  })
})
