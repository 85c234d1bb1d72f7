import { describe, expect, it } from 'vitest'
import {
  compareQueue,
  countViews,
  type InboxIndex,
  isStale,
  knownTags,
  legacyFilter,
  matchesFilters,
  matchesView,
  mergeCounts,
  queryFor,
  queryKey,
  selectView,
} from './inbox.ts'
import { ana, bo, summary } from './test-support.ts'

const mine = { id: ana.id, name: ana.name }
const byId = {
  a: summary('a', { status: 'bot', updatedAt: '2025-01-01T10:01:00.000Z' }),
  b: summary('b', { status: 'queued', updatedAt: '2025-01-01T10:03:00.000Z' }),
  c: summary('c', { status: 'assigned', assignee: mine, updatedAt: '2025-01-01T10:02:00.000Z' }),
  d: summary('d', {
    status: 'assigned',
    assignee: { id: bo.id, name: bo.name },
    updatedAt: '2025-01-01T10:04:00.000Z',
  }),
  e: summary('e', { status: 'resolved', updatedAt: '2025-01-01T10:05:00.000Z' }),
}
const local = (view: Parameters<typeof selectView>[1], filters = {}) =>
  selectView({ byId, touched: {}, order: [], orderKey: null, listedAt: 0 }, view, filters, ana.id).map(
    (c) => c.id,
  )

describe('inbox views', () => {
  it('puts each conversation in the views an agent expects', () => {
    expect(local('mine')).toEqual(['c'])
    expect(local('unassigned')).toEqual(['b'])
    expect(local('bot')).toEqual(['a'])
    expect(local('resolved')).toEqual(['e'])
    expect(local('all')).toEqual(['e', 'd', 'b', 'c', 'a'])
    expect(matchesView(byId.c, 'mine', null)).toBe(false)
  })

  it('counts the bot’s conversations as open, and a team’s queue as unassigned', () => {
    expect(local('open')).toEqual(['a', 'b', 'c', 'd'])
    expect(matchesView(summary('t', { status: 'queued', teamId: 'billing' }), 'unassigned', ana.id)).toBe(
      true,
    )
    expect(matchesView(byId.d, 'unassigned', ana.id)).toBe(false)
  })

  it('orders the open queue by priority, then SLA due time, then age, without an answer from the relay', () => {
    const queue = {
      late: summary('late', { status: 'queued', sla: sla('2025-01-01T10:30:00.000Z') }),
      soon: summary('soon', { status: 'queued', sla: sla('2025-01-01T10:05:00.000Z') }),
      urgent: summary('urgent', { status: 'assigned', assignee: mine, priority: 'urgent' }),
      nodue: summary('nodue', { status: 'queued', createdAt: '2025-01-01T09:00:00.000Z' }),
    }
    const index: InboxIndex = { byId: queue, touched: {}, order: [], orderKey: null, listedAt: 0 }
    expect(selectView(index, 'open', {}, ana.id).map((c) => c.id)).toEqual([
      'urgent',
      'soon',
      'late',
      'nodue',
    ])
    expect(compareQueue(queue.soon, queue.soon)).toBe(0)
  })

  it('shows the relay’s order for the query it answered, and places later pushes by the local rules', () => {
    const held = {
      x: summary('x', { status: 'queued', priority: 'low' }),
      y: summary('y', { status: 'queued', priority: 'high' }),
      z: summary('z', { status: 'queued', priority: 'urgent' }),
    }
    const key = queryKey('unassigned', {})
    // The relay said x before y (its own reasons); z arrived by push after the answer.
    const index: InboxIndex = {
      byId: held,
      touched: { x: 1, y: 2, z: 5 },
      order: ['x', 'y'],
      orderKey: key,
      listedAt: 3,
    }
    expect(selectView(index, 'unassigned', {}, ana.id).map((c) => c.id)).toEqual(['z', 'x', 'y'])
  })

  it('trusts the relay’s membership for what did not change since, and the push for what did', () => {
    const held = {
      // Listed by the relay for All open even though the local rules would not (its call).
      odd: summary('odd', { status: 'resolved' }),
      // Taken by someone else after the answer: it left the Unassigned view.
      gone: summary('gone', { status: 'assigned', assignee: { id: bo.id, name: bo.name } }),
      // Held from another view, never listed for this one and unchanged: not shown.
      other: summary('other', { status: 'queued' }),
    }
    const open: InboxIndex = {
      byId: held,
      touched: { odd: 1, gone: 1, other: 1 },
      order: ['odd'],
      orderKey: queryKey('open', {}),
      listedAt: 2,
    }
    expect(selectView(open, 'open', {}, ana.id).map((c) => c.id)).toEqual(['odd'])
    const unassigned: InboxIndex = {
      ...open,
      touched: { gone: 4, other: 1 },
      order: ['gone'],
      orderKey: queryKey('unassigned', {}),
    }
    expect(selectView(unassigned, 'unassigned', {}, ana.id).map((c) => c.id)).toEqual([])
  })

  it('narrows any view by channel, priority, tag and team', () => {
    const c = summary('f', { channel: 'email', priority: 'high', tags: ['refund'], teamId: 'billing' })
    expect(matchesFilters(c, { channel: 'email', priority: 'high', tag: 'refund', teamId: 'billing' })).toBe(
      true,
    )
    expect(matchesFilters(c, { channel: 'web' })).toBe(false)
    expect(matchesFilters(c, { tag: 'vip' })).toBe(false)
    expect(matchesFilters(c, { teamId: 'sales' })).toBe(false)
  })

  it('sends only the filters that are set, and keys each query apart', () => {
    expect(queryFor('mine', { tag: 'vip' })).toEqual({ view: 'mine', tag: 'vip' })
    expect(queryKey('mine', { tag: 'vip' })).not.toBe(queryKey('mine', {}))
    expect(legacyFilter('unassigned')).toBe('queued')
    expect(legacyFilter('mine')).toBe('assigned')
  })
})

describe('counts', () => {
  it('counts every view locally when the relay sends none', () => {
    expect(countViews(byId, ana.id)).toEqual({ mine: 1, unassigned: 1, open: 4, bot: 1, resolved: 1, all: 5 })
  })

  it('takes the relay’s counts, keeps held ones for missing or malformed values, and says when nothing changed', () => {
    const held = { mine: 1, unassigned: 2, open: 3, bot: 0, resolved: 7, all: 10 }
    expect(mergeCounts(held, { unassigned: 3, open: 4, bot: -1, all: 'x' })).toEqual({
      ...held,
      unassigned: 3,
      open: 4,
    })
    expect(mergeCounts(held, { ...held })).toBe(held)
    expect(mergeCounts(held, null)).toBe(held)
    expect(mergeCounts(null, { mine: 2 })).toEqual({
      mine: 2,
      unassigned: 0,
      open: 0,
      bot: 0,
      resolved: 0,
      all: 0,
    })
  })
})

describe('isStale', () => {
  it('treats an older summary with no newer message as a late duplicate', () => {
    const held = summary('a', { updatedAt: '2025-01-01T10:05:00.000Z', lastSeq: 4 })
    expect(isStale(summary('a', { updatedAt: '2025-01-01T10:04:00.000Z', lastSeq: 4 }), held)).toBe(true)
    expect(isStale(summary('a', { updatedAt: '2025-01-01T10:04:00.000Z', lastSeq: 5 }), held)).toBe(false)
    expect(isStale(summary('a', { updatedAt: '2025-01-01T10:05:00.000Z', lastSeq: 4 }), held)).toBe(false)
    expect(isStale(held, undefined)).toBe(false)
  })
})

it('lists the tags in use, each once, sorted', () => {
  expect(
    knownTags({ a: summary('a', { tags: ['vip', 'refund'] }), b: summary('b', { tags: ['refund'] }) }),
  ).toEqual(['refund', 'vip'])
})

function sla(dueAt: string) {
  return {
    dueAt,
    firstResponseDue: dueAt,
    resolutionDue: null,
    firstResponseAt: null,
    state: 'ok' as const,
    timeLeftMs: 1,
  }
}
