import { describe, expect, it } from 'vitest'
import type { Macro } from '../../../../shared/helpdesk.ts'
import { renderMacro } from '../../../../shared/macros.ts'
import type { ActionRequest } from '../../../../shared/policy.ts'
import { summary } from '../test-support.ts'
import {
  filterMacros,
  hasActions,
  macroContext,
  mergeActions,
  movePalette,
  orderNumberIn,
  slashQuery,
  updateFor,
} from './macros.ts'

const macro = (name: string, body = 'Hello', actions: Macro['actions'] = {}): Macro => ({
  id: name.toLowerCase().replace(/\W+/g, '-'),
  siteId: 'demo',
  name,
  body,
  actions,
})
const macros = [
  macro('Refund issued', 'We refunded order {{order.number}}.'),
  macro('Shipping delay', 'Your parcel is late, sorry.'),
  macro('Where is my order', 'Tracking link below.'),
  macro('Réponse française', 'Bonjour'),
]

describe('the / palette', () => {
  it('opens for a slash at the very start followed by one word, and not otherwise', () => {
    expect(slashQuery('/')).toBe('')
    expect(slashQuery('/ref')).toBe('ref')
    expect(slashQuery('/ref und')).toBeNull()
    expect(slashQuery('a /ref')).toBeNull()
    expect(slashQuery(' /ref')).toBeNull()
    expect(slashQuery('//')).toBeNull()
  })

  it('ranks a name that starts with the query over a word inside a name, over the body', () => {
    expect(filterMacros(macros, 'ord').map((m) => m.name)).toEqual(['Where is my order', 'Refund issued'])
    // Two names start with "re" (accents ignored); "where" only contains it; the shipping macro does not.
    expect(filterMacros(macros, 're').map((m) => m.name)).toEqual([
      'Refund issued',
      'Réponse française',
      'Where is my order',
    ])
  })

  it('needs every word of the query, ignores case and accents, and lists all by name when empty', () => {
    expect(filterMacros(macros, 'ship DEL').map((m) => m.name)).toEqual(['Shipping delay'])
    expect(filterMacros(macros, 'ship refund')).toEqual([])
    expect(filterMacros(macros, 'reponse').map((m) => m.name)).toEqual(['Réponse française'])
    expect(filterMacros(macros, '').map((m) => m.name)).toEqual([
      'Refund issued',
      'Réponse française',
      'Shipping delay',
      'Where is my order',
    ])
  })

  it('moves the active option with the arrows, wrapping at both ends', () => {
    expect(movePalette(0, 1, 3)).toBe(1)
    expect(movePalette(2, 1, 3)).toBe(0)
    expect(movePalette(0, -1, 3)).toBe(2)
    expect(movePalette(-1, -1, 3)).toBe(2)
    expect(movePalette(0, 1, 0)).toBe(-1)
  })
})

describe('placeholders', () => {
  it('finds the order number in the handoff summary', () => {
    expect(orderNumberIn('Shopper asks about order TW-1001, delivered damaged.')).toBe('TW-1001')
    expect(orderNumberIn('Double charge on order #4521 yesterday')).toBe('4521')
    expect(orderNumberIn('Refund for #tw-2002 please')).toBe('TW-2002')
    expect(orderNumberIn('Wants to talk to a person')).toBeNull()
    expect(orderNumberIn(null)).toBeNull()
  })

  it('fills the contact, the order the bot looked at, and the agent', () => {
    const c = summary('c1', {
      contact: { id: 'k', name: 'Maya', email: null },
      handoffSummary: 'order TW-9999',
    })
    const looked = { facts: { order: { number: 'TW-1001' } }, input: {} } as unknown as ActionRequest
    const ctx = macroContext(c, [looked], 'Sam Rivera')
    expect(ctx).toEqual({ contactName: 'Maya', orderNumber: 'TW-1001', agentName: 'Sam Rivera' })
    expect(renderMacro('Hi {{contact.name}}, {{ order.number }} is on its way. – {{agent.name}}', ctx)).toBe(
      'Hi Maya, TW-1001 is on its way. – Sam Rivera',
    )
    expect(macroContext(c, [], 'Sam').orderNumber).toBe('TW-9999')
    expect(
      renderMacro('Hi {{contact.name}}, about {{order.number}}', macroContext(summary('c2'), [], 'Sam')),
    ).toBe('Hi there, about your order')
  })
})

describe('macro actions', () => {
  it('adds tags up, keeps the last priority and resolves if any macro resolves', () => {
    const merged = mergeActions(
      { tags: ['refund'], priority: 'high' },
      { tags: ['refund', 'vip'], resolve: true },
    )
    expect(merged).toEqual({ tags: ['refund', 'vip'], priority: 'high', resolve: true })
    expect(hasActions({})).toBe(false)
    expect(hasActions(merged)).toBe(true)
  })

  it('asks for an update only for what changes', () => {
    const c = summary('c1', { priority: 'high', tags: ['refund'] })
    expect(updateFor({ tags: ['refund'], priority: 'high' }, c)).toBeNull()
    expect(updateFor({ tags: ['VIP'], priority: 'urgent' }, c)).toEqual({
      tags: ['refund', 'vip'],
      priority: 'urgent',
    })
    expect(updateFor({ resolve: true }, c)).toBeNull()
  })
})
