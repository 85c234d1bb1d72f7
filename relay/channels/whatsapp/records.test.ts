/** The channels' records on the lowdb store: the import of an old index.json, claims, deliveries. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { LowdbStore } from '../../store/lowdb-store.ts'
import { CLAIM_LEASE_MS, WhatsAppRecords } from './records.ts'

let dir: string
let store: LowdbStore
let clock: number
const now = () => new Date(clock)

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'parley-records-'))
  store = new LowdbStore({ dir })
  await store.init()
  clock = Date.parse('2025-06-09T10:00:00.000Z')
})

afterEach(async () => {
  await store.close()
  await rm(dir, { recursive: true, force: true })
})

/** What a relay before the move wrote to DATA_DIR/<folder>/index.json. */
async function writeLegacy(folder: string, index: unknown): Promise<void> {
  await mkdir(path.join(dir, folder), { recursive: true })
  await writeFile(path.join(dir, folder, 'index.json'), JSON.stringify(index))
}

const legacy = {
  messages: { 'wamid.old': { conversationId: 'conv_1', messageId: 'msg_1' } },
  contacts: { 'shop 15551234567': 'ctc_1' },
  conversations: {
    conv_1: { phone: '15551234567', phoneNumberId: 'pn_1', lastInboundAt: '2025-06-09T09:00:00.000Z' },
  },
  sent: { 'wamid.reply': { conversationId: 'conv_1', messageId: 'msg_2' } },
  deliveries: { conv_1: { msg_2: { status: 'delivered', at: '2025-06-09T09:01:00.000Z' } } },
}

describe('WhatsAppRecords in the store', () => {
  it('imports an index.json of before into an empty store at init: every record answers as it did', async () => {
    await writeLegacy('whatsapp', legacy)
    const records = new WhatsAppRecords(store, dir, 'whatsapp', now)
    await records.init()
    expect(await records.message('wamid.old')).toEqual({ conversationId: 'conv_1', messageId: 'msg_1' })
    expect(await records.claim('wamid.old')).toBeNull()
    expect(await records.contactFor('shop', '15551234567')).toBe('ctc_1')
    expect(await records.conversation('conv_1')).toEqual(legacy.conversations.conv_1)
    expect(await records.replyWindowEndsAt('conv_1')).toBe('2025-06-10T09:00:00.000Z')
    expect(await records.deliveries('conv_1')).toEqual([
      { conversationId: 'conv_1', messageId: 'msg_2', status: 'delivered', at: '2025-06-09T09:01:00.000Z' },
    ])
    const read = await records.statusReceived('wamid.reply', {
      status: 'read',
      at: '2025-06-09T09:02:00.000Z',
    })
    expect(read?.status).toBe('read')
    // Other channels' namespaces stay empty.
    expect(await new WhatsAppRecords(store, dir, 'api', now).message('wamid.old')).toBeNull()
  })

  it('imports once, and never over records the store already has', async () => {
    await store.putRecord('messenger.contacts', 'shop 15551234567', 'ctc_newer')
    await writeLegacy('messenger', legacy)
    const records = new WhatsAppRecords(store, dir, 'messenger', now)
    await records.init()
    expect(await records.contactFor('shop', '15551234567')).toBe('ctc_newer')
    expect(await records.message('wamid.old')).toEqual({ conversationId: 'conv_1', messageId: 'msg_1' })
    // A later start with the old file still there (or changed) imports nothing again.
    await records.inbound('conv_1', '2025-06-09T09:30:00.000Z')
    await writeLegacy('messenger', { ...legacy, contacts: { 'shop 1999': 'ctc_9' } })
    await new WhatsAppRecords(store, dir, 'messenger', now).init()
    expect(await records.contactFor('shop', '1999')).toBeNull()
    expect(await records.lastInboundAt('conv_1')).toBe('2025-06-09T09:30:00.000Z')
  })

  it('starts empty without an index.json, on lowdb and after a reopen of the store', async () => {
    const records = new WhatsAppRecords(store, dir, 'api', now)
    await records.init()
    expect(await records.message('m1')).toBeNull()
    await records.received({
      siteId: 'shop',
      waMessageId: 'm1',
      contactId: 'ctc_1',
      conversationId: 'conv_1',
      messageId: 'msg_1',
      phone: '+1555',
      phoneNumberId: '',
    })
    await store.close()
    store = new LowdbStore({ dir })
    await store.init()
    const reopened = new WhatsAppRecords(store, dir, 'api', now)
    await reopened.init()
    expect(await reopened.message('m1')).toEqual({ conversationId: 'conv_1', messageId: 'msg_1' })
    expect(await reopened.contactFor('shop', '+1555')).toBe('ctc_1')
  })

  it('lets one of two concurrent claims of a message id through; a released or expired claim is taken over', async () => {
    const records = new WhatsAppRecords(store, dir, 'whatsapp', now)
    const claims = await Promise.all([
      records.claim('wamid.1'),
      records.claim('wamid.1'),
      records.claim('wamid.1'),
    ])
    expect(claims.filter((c) => c !== null)).toHaveLength(1)
    expect(await records.message('wamid.1')).toBeNull()
    // Within the lease the claim holds; after it, a redelivery takes over.
    clock += CLAIM_LEASE_MS - 1
    expect(await records.claim('wamid.1')).toBeNull()
    clock += 1
    const taken = await records.claim('wamid.1')
    expect(taken).not.toBeNull()
    // A released claim is free at once; a stored message never is.
    await records.release('wamid.1', taken ?? '')
    const again = await records.claim('wamid.1')
    expect(again).not.toBeNull()
    await records.received({
      siteId: 'shop',
      waMessageId: 'wamid.1',
      contactId: 'ctc_1',
      conversationId: 'conv_1',
      messageId: 'msg_1',
      phone: '1555',
      phoneNumberId: 'pn_1',
    })
    clock += 10 * CLAIM_LEASE_MS
    expect(await records.claim('wamid.1')).toBeNull()
    expect(await records.settled('wamid.1')).toEqual({ conversationId: 'conv_1', messageId: 'msg_1' })
  })
})
