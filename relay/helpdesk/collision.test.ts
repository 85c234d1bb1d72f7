import { describe, expect, it } from 'vitest'
import { ViewerRegistry } from './collision.ts'

const ada = { id: 'agt_a', name: 'Ada' }
const bo = { id: 'agt_b', name: 'Bo' }

describe('viewer registry', () => {
  it('lists each viewing agent once, by name, and reports only real changes', () => {
    const viewers = new ViewerRegistry()
    expect(viewers.set('c1', 's-bo', bo, true)).toBe(true)
    expect(viewers.set('c1', 's-ada-1', ada, true)).toBe(true)
    // Ada's second tab: same viewers.
    expect(viewers.set('c1', 's-ada-2', ada, true)).toBe(false)
    expect(viewers.viewers('c1')).toEqual({ conversationId: 'c1', viewers: [ada, bo] })
    expect(viewers.set('c1', 's-ada-1', ada, false)).toBe(false)
    expect(viewers.viewers('c1').viewers).toEqual([ada, bo])
    expect(viewers.set('c1', 's-ada-2', ada, false)).toBe(true)
    expect(viewers.viewers('c1').viewers).toEqual([bo])
  })

  it('removes a socket that went away from every conversation it viewed', () => {
    const viewers = new ViewerRegistry()
    viewers.set('c1', 's-ada', ada, true)
    viewers.set('c2', 's-ada', ada, true)
    viewers.set('c2', 's-bo', bo, true)
    expect(viewers.leaveAll('s-ada').sort()).toEqual(['c1', 'c2'])
    expect(viewers.viewers('c1').viewers).toEqual([])
    expect(viewers.viewers('c2').viewers).toEqual([bo])
    expect(viewers.leaveAll('s-ada')).toEqual([])
  })
})
