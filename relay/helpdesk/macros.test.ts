import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type Macro, renderMacro } from '../../shared/helpdesk.ts'
import { AppError } from '../errors.ts'
import { LowdbStore } from '../store/lowdb-store.ts'
import {
  createMacro,
  deleteMacro,
  MacroInputSchema,
  macrosOf,
  replaceMacro,
  withMacro,
  withoutMacro,
  withReplacedMacro,
} from './macros.ts'

const macro = (id: string, name: string): Macro => ({ id, siteId: 'demo', name, body: 'Hi', actions: {} })

describe('macro placeholders', () => {
  it('fills contact name, order number and agent name, with spaces inside the braces allowed', () => {
    const body = 'Hi {{contact.name}}, order {{ order.number }} ships today. — {{agent.name}}'
    expect(renderMacro(body, { contactName: 'Jane', orderNumber: 'TW-1042', agentName: 'Ada' })).toBe(
      'Hi Jane, order TW-1042 ships today. — Ada',
    )
  })

  it('puts a neutral word for what is unknown and leaves other braces alone', () => {
    const body = 'Hi {{contact.name}}, about {{order.number}}: {{unknown}}'
    expect(renderMacro(body, { contactName: null, orderNumber: '  ', agentName: 'Ada' })).toBe(
      'Hi there, about your order: {{unknown}}',
    )
  })
})

describe('macro lists', () => {
  it('adds, replaces and removes by id, and keeps names unique per site regardless of case', () => {
    const one = withMacro([], macro('m1', 'Refund'))
    expect(() => withMacro(one, macro('m2', ' refund '))).toThrow(/already exists/)
    const two = withMacro(one, macro('m2', 'Shipping'))
    expect(
      withReplacedMacro(two, { ...macro('m2', 'Shipping'), body: 'New' }).find((m) => m.id === 'm2')?.body,
    ).toBe('New')
    expect(() => withReplacedMacro(two, macro('m2', 'REFUND'))).toThrow(/already exists/)
    expect(() => withReplacedMacro(two, macro('nope', 'X'))).toThrow(AppError)
    expect(withoutMacro(two, 'm1').map((m) => m.id)).toEqual(['m2'])
    expect(() => withoutMacro(two, 'nope')).toThrow(/no such macro/)
  })

  it('validates what an admin sends: a name, a body, and actions limited to tags, priority and resolve', () => {
    expect(MacroInputSchema.parse({ name: 'Refund', body: 'Hi' })).toEqual({
      name: 'Refund',
      body: 'Hi',
      actions: {},
    })
    expect(
      MacroInputSchema.parse({
        name: 'x',
        body: 'y',
        actions: { tags: ['Refund'], priority: 'high', resolve: true },
      }).actions,
    ).toEqual({ tags: ['refund'], priority: 'high', resolve: true })
    expect(MacroInputSchema.safeParse({ name: '', body: 'y' }).success).toBe(false)
    expect(MacroInputSchema.safeParse({ name: 'x', body: 'y', actions: { priority: 'asap' } }).success).toBe(
      false,
    )
  })
})

describe('stored macros', () => {
  let dir: string
  let store: LowdbStore
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'parley-macros-'))
    store = new LowdbStore({ dir })
    await store.init()
    await store.putSite({
      id: 'demo',
      name: 'Demo',
      allowedOrigins: [],
      botName: 'Bot',
      createdAt: '2026-01-01',
    })
  })
  afterEach(async () => {
    await store.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('keeps every one of many macros created at once (site edits do not overwrite each other)', async () => {
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        createMacro(store, 'demo', { name: `Macro ${i}`, body: 'Hi', actions: {} }),
      ),
    )
    const site = await store.getSite('demo')
    expect(site ? macrosOf(site).length : 0).toBe(10)
  })

  it('replaces and deletes a stored macro and refuses a missing site', async () => {
    const created = await createMacro(store, 'demo', { name: 'Refund', body: 'Hi', actions: {} })
    expect(created).toMatchObject({ siteId: 'demo', name: 'Refund' })
    expect(created.id).toMatch(/^mac_/)
    await replaceMacro(store, 'demo', created.id, {
      name: 'Refund',
      body: 'Hello {{contact.name}}',
      actions: {},
    })
    expect((await store.getSite('demo'))?.helpdesk?.macros?.[0]?.body).toBe('Hello {{contact.name}}')
    await deleteMacro(store, 'demo', created.id)
    expect((await store.getSite('demo'))?.helpdesk?.macros).toEqual([])
    await expect(createMacro(store, 'nope', { name: 'x', body: 'y', actions: {} })).rejects.toThrow(
      /no such site/,
    )
  })
})
