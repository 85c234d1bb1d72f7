import { describe, expect, it } from 'vitest'
import { viewersChanged, viewersOf } from './collision.ts'

const ada = { id: 'agt_a', name: 'Ada' }
const bo = { id: 'agt_b', name: 'Bo' }

describe('viewersOf', () => {
  it('lists each viewing agent once, by name, and nothing else of them', () => {
    expect(viewersOf('c1', [bo, ada, { ...ada, role: 'admin' } as typeof ada])).toEqual({
      conversationId: 'c1',
      viewers: [ada, bo],
    })
    expect(viewersOf('c1', [])).toEqual({ conversationId: 'c1', viewers: [] })
  })
})

describe('viewersChanged', () => {
  it('is a change only for an agent’s first tab in or last tab out', () => {
    expect(viewersChanged(true, false, 1)).toBe(true)
    // A second tab of the same agent: same viewers.
    expect(viewersChanged(true, false, 2)).toBe(false)
    // Viewing again from a tab that already was.
    expect(viewersChanged(true, true, 1)).toBe(false)
    expect(viewersChanged(false, true, 1)).toBe(false)
    expect(viewersChanged(false, true, 0)).toBe(true)
    expect(viewersChanged(false, false, 0)).toBe(false)
  })
})
