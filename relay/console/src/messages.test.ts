import { describe, expect, it } from 'vitest'
import { lastSeq, mergeMessages } from './messages.ts'
import { message } from './test-support.ts'

const seqs = (list: readonly { seq: number }[]) => list.map((m) => m.seq)

describe('mergeMessages', () => {
  it('orders messages that arrive out of order by seq', () => {
    const merged = mergeMessages([message('c', 3)], [message('c', 1), message('c', 4), message('c', 2)])
    expect(seqs(merged)).toEqual([1, 2, 3, 4])
  })

  it('keeps one message per seq when the same message arrives twice', () => {
    const held = [message('c', 1), message('c', 2)]
    const merged = mergeMessages(held, [message('c', 2), message('c', 3), message('c', 3)])
    expect(seqs(merged)).toEqual([1, 2, 3])
  })

  it('returns the held transcript itself when nothing new arrived', () => {
    const held = [message('c', 1), message('c', 2)]
    expect(mergeMessages(held, [message('c', 1)])).toBe(held)
    expect(mergeMessages(held, [])).toBe(held)
  })

  it('lets a re-fetched copy of a seq replace the held one', () => {
    const merged = mergeMessages([message('c', 1, { text: 'old' })], [message('c', 1, { text: 'edited' })])
    expect(merged.map((m) => m.text)).toEqual(['edited'])
  })

  it('reports the highest seq held', () => {
    expect(lastSeq([])).toBe(0)
    expect(lastSeq(mergeMessages([], [message('c', 5), message('c', 2)]))).toBe(5)
  })
})
