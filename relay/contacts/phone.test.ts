import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { LowdbStore } from '../store/lowdb-store.ts'
import type { Contact } from '../store/types.ts'
import { contactByPhone, normalizePhone } from './phone.ts'

describe('normalizePhone', () => {
  it('keeps the digits of a number written with separators and a + or 00 prefix', () => {
    expect(normalizePhone('+34 612 345 678')).toBe('34612345678')
    expect(normalizePhone('0034-612.345.678')).toBe('34612345678')
    expect(normalizePhone(' +1 (555) 010-2030 ')).toBe('15550102030')
    expect(normalizePhone('34612345678')).toBe('34612345678')
  })

  it('refuses what is not 7 to 15 digits', () => {
    expect(normalizePhone('user-42')).toBeNull()
    expect(normalizePhone('maya@example.com')).toBeNull()
    expect(normalizePhone('+123456')).toBeNull()
    expect(normalizePhone('+1234567890123456')).toBeNull()
    expect(normalizePhone('34+612345678')).toBeNull()
    expect(normalizePhone('')).toBeNull()
  })
})

describe('contactByPhone', () => {
  let dir: string
  let store: LowdbStore
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-phone-'))
    store = new LowdbStore({ dir })
    await store.init()
  })
  afterEach(async () => {
    await store.close()
    await rm(dir, { recursive: true, force: true })
  })

  const contact = (id: string, fields: Partial<Contact>): Contact => ({
    id,
    siteId: 's1',
    name: null,
    email: null,
    createdAt: '2025-06-01T10:00:00.000Z',
    ...fields,
  })

  it('finds only an exact number on the same site, preferring an unmerged contact, then the oldest', async () => {
    await store.putContact(contact('ct_longer', { phone: '346123456789' }))
    await store.putContact(contact('ct_other_site', { siteId: 's2', phone: '34612345678' }))
    await store.putContact(
      contact('ct_merged', { phone: '34612345678', createdAt: '2025-05-01T10:00:00.000Z', mergedInto: 'x' }),
    )
    await store.putContact(
      contact('ct_newer', { phone: '34612345678', createdAt: '2025-06-03T10:00:00.000Z' }),
    )
    await store.putContact(
      contact('ct_older', { phone: '34612345678', createdAt: '2025-06-02T10:00:00.000Z' }),
    )
    expect((await contactByPhone(store, 's1', '34612345678'))?.id).toBe('ct_older')
    expect(await contactByPhone(store, 's1', '4612345678')).toBeNull()
    expect(await contactByPhone(store, 's3', '34612345678')).toBeNull()
  })

  it('returns a merged contact itself when it is the only one with the number', async () => {
    await store.putContact(contact('ct_merged', { phone: '34612345678', mergedInto: 'ct_target' }))
    expect((await contactByPhone(store, 's1', '34612345678'))?.id).toBe('ct_merged')
  })
})
