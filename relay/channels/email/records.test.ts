/** The email channel's records on the lowdb store: threads and indexes, and the import of the old files. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { LowdbStore } from '../../store/lowdb-store.ts'
import { type EmailMeta, EmailRecords, type Thread } from './records.ts'

let dir: string
let store: LowdbStore

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'parley-email-records-'))
  store = new LowdbStore({ dir })
  await store.init()
})

afterEach(async () => {
  await store.close()
  await rm(dir, { recursive: true, force: true })
})

function meta(messageId: string, direction: 'in' | 'out'): EmailMeta {
  return {
    direction,
    messageId,
    from: 'ana@example.com',
    to: ['support@shop.example'],
    subject: 'Order 1001',
    fullText: `Text of ${messageId}`,
    html: null,
    attachments: [],
    automatic: null,
    at: '2025-06-09T10:00:00.000Z',
  }
}

it('keeps a thread and its Message-IDs in the store, concurrent emails of one thread all kept', async () => {
  const records = new EmailRecords(store, dir)
  await records.init()
  await Promise.all([
    records.record('conv_1', 'msg_1', meta('<a@x>', 'in')),
    records.record('conv_1', 'msg_2', meta('<b@x>', 'out')),
    records.record('conv_1', 'msg_3', meta('<c@x>', 'out')),
  ])
  const thread = await records.thread('conv_1')
  expect(thread?.subject).toBe('Order 1001')
  expect(thread?.lastInbound).toBe('<a@x>')
  expect([...(thread?.messageIds ?? [])].sort()).toEqual(['<a@x>', '<b@x>', '<c@x>'])
  expect(Object.keys(thread?.messages ?? {}).sort()).toEqual(['msg_1', 'msg_2', 'msg_3'])
  expect(await records.conversationFor('<c@x>')).toBe('conv_1')
  await records.setContact('shop', 'Ana@Example.com', 'ctc_1')
  expect(await records.contactFor('shop', 'ana@example.COM')).toBe('ctc_1')
  expect(await store.getRecord('email.threads', 'conv_1')).toEqual(thread)
})

it('imports email/index.json and email/threads/*.json of before once, never over newer records', async () => {
  const old: Thread = {
    subject: 'Old thread',
    messageIds: ['<old@x>'],
    lastInbound: '<old@x>',
    messages: { msg_old: meta('<old@x>', 'in') },
  }
  await mkdir(path.join(dir, 'email', 'threads'), { recursive: true })
  await writeFile(
    path.join(dir, 'email', 'index.json'),
    JSON.stringify({
      messageIds: { '<old@x>': 'conv_old' },
      contacts: { 'shop ana@example.com': 'ctc_old', 'shop bo@example.com': 'ctc_bo' },
    }),
  )
  await writeFile(path.join(dir, 'email', 'threads', 'conv_old.json'), JSON.stringify(old))
  await store.putRecord('email.contacts', 'shop bo@example.com', 'ctc_newer')
  const records = new EmailRecords(store, dir)
  await records.init()
  expect(await records.conversationFor('<old@x>')).toBe('conv_old')
  expect(await records.contactFor('shop', 'ana@example.com')).toBe('ctc_old')
  expect(await records.contactFor('shop', 'bo@example.com')).toBe('ctc_newer')
  expect(await records.thread('conv_old')).toEqual(old)
  // A restart with the files still there (and changed) imports nothing again.
  await writeFile(
    path.join(dir, 'email', 'index.json'),
    JSON.stringify({ messageIds: { '<new@x>': 'conv_2' } }),
  )
  await new EmailRecords(store, dir).init()
  expect(await records.conversationFor('<new@x>')).toBeNull()
})
