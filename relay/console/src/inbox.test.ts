import { describe, expect, it } from 'vitest'
import { countQueued, isStale, matchesTab, selectTab, serverFilter } from './inbox.ts'
import { ana, bo, summary } from './test-support.ts'

const byId = {
  a: summary('a', { status: 'bot', updatedAt: '2025-01-01T10:01:00.000Z' }),
  b: summary('b', { status: 'queued', updatedAt: '2025-01-01T10:03:00.000Z' }),
  c: summary('c', {
    status: 'assigned',
    assignee: { id: ana.id, name: ana.name },
    updatedAt: '2025-01-01T10:02:00.000Z',
  }),
  d: summary('d', {
    status: 'assigned',
    assignee: { id: bo.id, name: bo.name },
    updatedAt: '2025-01-01T10:04:00.000Z',
  }),
  e: summary('e', { status: 'resolved', updatedAt: '2025-01-01T10:05:00.000Z' }),
}
const ids = (tab: Parameters<typeof selectTab>[1]) => selectTab(byId, tab, ana.id).map((c) => c.id)

describe('inbox tabs', () => {
  it('shows every unresolved conversation under Open, newest activity first', () => {
    expect(ids('open')).toEqual(['d', 'b', 'c', 'a'])
  })

  it('shows only the signed-in agent’s assigned conversations under Mine', () => {
    expect(ids('mine')).toEqual(['c'])
    expect(selectTab(byId, 'mine', null)).toEqual([])
  })

  it('narrows Bot, Queued, Assigned and Resolved to that status, and All shows everything', () => {
    expect(ids('bot')).toEqual(['a'])
    expect(ids('queued')).toEqual(['b'])
    expect(ids('assigned')).toEqual(['d', 'c'])
    expect(ids('resolved')).toEqual(['e'])
    expect(ids('all')).toEqual(['e', 'd', 'b', 'c', 'a'])
  })

  it('asks the relay for assigned conversations when Mine is shown', () => {
    expect(serverFilter('mine')).toBe('assigned')
    expect(serverFilter('queued')).toBe('queued')
  })

  it('breaks ties in time by id so the order never flickers', () => {
    const same = '2025-01-01T10:00:00.000Z'
    const list = selectTab(
      { y: summary('y', { updatedAt: same }), x: summary('x', { updatedAt: same }) },
      'all',
      null,
    )
    expect(list.map((c) => c.id)).toEqual(['x', 'y'])
  })

  it('counts the conversations waiting for a person', () => {
    expect(countQueued(byId)).toBe(1)
    expect(matchesTab(byId.b, 'open', null)).toBe(true)
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
