/**
 * Time of appending one message as history grows: LowdbStore (one file per conversation) against
 * a naive single-file lowdb baseline measured in the same run, and PgStore when a PostgreSQL is
 * reachable (`PARLEY_BENCH_DATABASE_URL`, default the local one; a fresh schema per size, dropped
 * after). Prints figures; asserts nothing.
 *
 *   npx tsx bench/store-write.ts
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { Low } from 'lowdb'
import { JSONFile } from 'lowdb/node'
import pg from 'pg'
import { type ConversationFile, fileNameFor, LowdbStore } from '../relay/store/lowdb-store.ts'
import { describeDatabase, PgStore } from '../relay/store/pg-store.ts'
import type { Conversation } from '../relay/store/types.ts'
import { newId } from '../shared/ids.ts'
import type { AuditEvent, Message } from '../shared/protocol.ts'

const SIZES = [1_000, 10_000, 50_000]
const PER_CONVERSATION = 20
const WARMUP = 3
const SAMPLES = 50
const T0 = Date.parse('2025-01-01T00:00:00.000Z')
const DATABASE_URL = process.env.PARLEY_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

interface NaiveData {
  conversations: Conversation[]
  messages: Message[]
}

/** A stored-looking conversation of `count` messages, as the store would have written it. */
function history(index: number, count: number): ConversationFile {
  const id = newId('conv_')
  const at = (n: number) => new Date(T0 + (index * PER_CONVERSATION + n) * 1000).toISOString()
  const messages: Message[] = Array.from({ length: count }, (_, i) => ({
    id: newId('msg_'),
    conversationId: id,
    seq: i + 1,
    clientId: newId('c_'),
    author: i % 2 === 0 ? 'contact' : 'bot',
    authorId: null,
    authorName: i % 2 === 0 ? null : 'Parley',
    text: `Message ${i} of conversation ${index}: where is my order, and can I change the delivery address?`,
    sources: [],
    createdAt: at(i),
  }))
  const conversation: Conversation = {
    id,
    siteId: 'site_bench',
    contactId: newId('ct_'),
    channel: 'web',
    status: 'bot',
    priority: 'normal',
    handoffReason: null,
    handoffSummary: null,
    assigneeId: null,
    assigneeName: null,
    humanInvolved: false,
    lastSeq: count,
    preview: messages.at(-2)?.text ?? '',
    createdAt: at(0),
    updatedAt: at(count),
  }
  const created: AuditEvent = {
    id: newId('evt_'),
    conversationId: id,
    type: 'created',
    actor: { kind: 'contact', id: conversation.contactId },
    at: at(0),
    data: {},
  }
  return { conversation, messages, events: [created] }
}

function seedData(total: number): ConversationFile[] {
  return Array.from({ length: Math.ceil(total / PER_CONVERSATION) }, (_, i) =>
    history(i, Math.min(PER_CONVERSATION, total - i * PER_CONVERSATION)),
  )
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN
}

/** Runs `write` WARMUP + SAMPLES times and returns the sorted sample times in ms. */
async function timeWrites(write: (i: number) => Promise<void>): Promise<number[]> {
  const times: number[] = []
  for (let i = 0; i < WARMUP + SAMPLES; i++) {
    const start = performance.now()
    await write(i)
    if (i >= WARMUP) times.push(performance.now() - start)
  }
  return times.sort((a, b) => a - b)
}

async function benchPartitioned(
  dir: string,
  files: ConversationFile[],
): Promise<{ times: number[]; initMs: number }> {
  await mkdir(join(dir, 'conversations'), { recursive: true })
  // Seeded straight to disk: appending 50k messages through the store would take most of the time budget.
  for (const f of files) {
    await writeFile(join(dir, 'conversations', fileNameFor(f.conversation.id)), JSON.stringify(f, null, 2))
  }
  const store = new LowdbStore({ dir })
  const initStart = performance.now()
  await store.init()
  const initMs = performance.now() - initStart
  const times = await timeWrites(async (i) => {
    const target = files[(i * 7919) % files.length]
    if (!target) throw new Error('no conversation to write to')
    const result = await store.appendMessage({
      conversationId: target.conversation.id,
      clientId: newId('c_'),
      author: 'contact',
      authorId: null,
      authorName: null,
      text: `Bench message ${i}`,
      sources: [],
    })
    if (!result.ok) throw new Error('append refused')
  })
  await store.close()
  return { times, initMs }
}

/** Whether the bench database answers; the PG column is left out (and says why) when not. */
async function pgReachable(): Promise<string | null> {
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 3_000 })
  try {
    await client.connect()
    await client.end()
    return null
  } catch (error) {
    return `PostgreSQL not reachable at ${describeDatabase(DATABASE_URL)} (${error instanceof Error ? error.message : String(error)}); set PARLEY_BENCH_DATABASE_URL`
  }
}

/** The same appends through PgStore, its tables seeded in bulk with the same history. */
async function benchPg(files: ConversationFile[]): Promise<number[]> {
  const schema = `parley_bench_${newId()
    .replace(/[^a-zA-Z0-9]/g, '')
    .slice(0, 12)
    .toLowerCase()}`
  const ident = pg.escapeIdentifier(schema)
  const admin = new pg.Client({ connectionString: DATABASE_URL })
  await admin.connect()
  const store = new PgStore({ connectionString: DATABASE_URL, schema })
  try {
    await store.init()
    const rows = (items: unknown[]) => JSON.stringify(items)
    await admin.query(
      `INSERT INTO ${ident}.conversations (id, site_id, contact_id, status, updated_at, data)
       SELECT c->>'id', c->>'siteId', c->>'contactId', c->>'status', c->>'updatedAt', c FROM json_array_elements($1::json) c`,
      [rows(files.map((f) => f.conversation))],
    )
    await admin.query(
      `INSERT INTO ${ident}.messages (conversation_id, seq, client_id, data)
       SELECT m->>'conversationId', (m->>'seq')::int, m->>'clientId', m FROM json_array_elements($1::json) m`,
      [rows(files.flatMap((f) => f.messages))],
    )
    await admin.query(
      `INSERT INTO ${ident}.events (conversation_id, data)
       SELECT e->>'conversationId', e FROM json_array_elements($1::json) e`,
      [rows(files.flatMap((f) => f.events))],
    )
    await admin.query(`ANALYZE ${ident}.conversations, ${ident}.messages`)
    return await timeWrites(async (i) => {
      const target = files[(i * 7919) % files.length]
      if (!target) throw new Error('no conversation to write to')
      const result = await store.appendMessage({
        conversationId: target.conversation.id,
        clientId: newId('c_'),
        author: 'contact',
        authorId: null,
        authorName: null,
        text: `Bench message ${i}`,
        sources: [],
      })
      if (!result.ok) throw new Error('append refused')
    })
  } finally {
    await store.close()
    await admin.query(`DROP SCHEMA IF EXISTS ${ident} CASCADE`)
    await admin.end()
  }
}

async function benchNaive(dir: string, files: ConversationFile[]): Promise<number[]> {
  await mkdir(dir, { recursive: true })
  const db = new Low<NaiveData>(new JSONFile(join(dir, 'naive.json')), { conversations: [], messages: [] })
  db.data = { conversations: files.map((f) => f.conversation), messages: files.flatMap((f) => f.messages) }
  await db.write()
  return timeWrites(async (i) => {
    const target = files[(i * 7919) % files.length]
    if (!target) throw new Error('no conversation to write to')
    const seq = target.conversation.lastSeq + 1
    target.conversation.lastSeq = seq
    db.data.messages.push({
      id: newId('msg_'),
      conversationId: target.conversation.id,
      seq,
      clientId: newId('c_'),
      author: 'contact',
      authorId: null,
      authorName: null,
      text: `Bench message ${i}`,
      sources: [],
      createdAt: new Date().toISOString(),
    })
    await db.write()
  })
}

const fmt = (n: number, digits = 2) => n.toFixed(digits).padStart(9)

async function main(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'parley-bench-'))
  const rows: string[] = []
  const pgSkipped = await pgReachable()
  try {
    for (const total of SIZES) {
      const files = seedData(total)
      const part = await benchPartitioned(join(root, `part-${total}`), files)
      const naive = await benchNaive(join(root, `naive-${total}`), structuredClone(files))
      const pgTimes = pgSkipped ? null : await benchPg(files)
      const partMedian = quantile(part.times, 0.5)
      const naiveMedian = quantile(naive, 0.5)
      rows.push(
        [
          String(total).padStart(8),
          fmt(partMedian),
          fmt(quantile(part.times, 0.95)),
          fmt(naiveMedian),
          fmt(quantile(naive, 0.95)),
          fmt(naiveMedian / partMedian, 1),
          fmt(part.initMs, 0),
          ...(pgTimes ? [fmt(quantile(pgTimes, 0.5)), fmt(quantile(pgTimes, 0.95))] : []),
        ].join(' '),
      )
      await rm(join(root, `part-${total}`), { recursive: true, force: true })
      await rm(join(root, `naive-${total}`), { recursive: true, force: true })
    }
  } finally {
    await rm(root, { recursive: true, force: true })
  }
  console.log(
    `ms per appended message (${SAMPLES} samples after ${WARMUP} warm-up); ratio = naive / partitioned; init = LowdbStore.init(); pg = PgStore on ${pgSkipped ? 'no database' : describeDatabase(DATABASE_URL)}`,
  )
  if (pgSkipped) console.log(`pg columns left out: ${pgSkipped}`)
  const heads = ['part p50', 'part p95', 'naive p50', 'naive p95', 'ratio p50', 'init']
  if (!pgSkipped) heads.push('pg p50', 'pg p95')
  console.log(['stored'.padStart(8), ...heads.map((h) => h.padStart(9))].join(' '))
  for (const row of rows) console.log(row)
}

await main()
