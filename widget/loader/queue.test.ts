import { describe, expect, it, vi } from 'vitest'
import type { ParleyApi, ParleyCall } from '../../shared/widget-api.ts'
import { installParley, toCall } from './queue.ts'

/** What the store owner's snippet installs before the loader arrives. */
function stub(): ParleyApi {
  const fn = function (this: unknown, ...args: unknown[]) {
    fn.q = fn.q ?? []
    fn.q.push(args)
  } as ParleyApi
  return fn
}

describe('window.parley command queue', () => {
  it('replays calls made before the loader ran, in order, then runs new calls directly', () => {
    const win = { parley: stub() }
    win.parley('identify', { userId: 'u1', hash: 'abc' })
    win.parley('open')
    win.parley('locale', 'de')
    const ran: ParleyCall[] = []
    expect(installParley(win, (call) => ran.push(call))).toBe(true)
    expect(ran).toEqual([['identify', { userId: 'u1', hash: 'abc' }], ['open'], ['locale', 'de']])
    win.parley('close')
    expect(ran.at(-1)).toEqual(['close'])
  })

  it('installs itself when there was no stub', () => {
    const win: { parley?: ParleyApi } = {}
    const ran: ParleyCall[] = []
    installParley(win, (call) => ran.push(call))
    win.parley?.('toggle')
    expect(ran).toEqual([['toggle']])
  })

  it('leaves a second copy of the loader inert', () => {
    const win: { parley?: ParleyApi } = {}
    const first = vi.fn()
    const second = vi.fn()
    installParley(win, first)
    expect(installParley(win, second)).toBe(false)
    win.parley?.('open')
    expect(first).toHaveBeenCalledTimes(1)
    expect(second).not.toHaveBeenCalled()
  })

  it('refuses unknown commands and bad arguments, keeping the order of the rest', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const win = { parley: stub() }
    const loose = win.parley as unknown as (...args: unknown[]) => void
    loose('open')
    loose('eval', 'alert(1)')
    loose('toString')
    loose('locale', 42)
    loose('close')
    const ran: ParleyCall[] = []
    installParley(win, (call) => ran.push(call))
    expect(ran).toEqual([['open'], ['close']])
    expect(warn).toHaveBeenCalledTimes(3)
    warn.mockRestore()
  })

  it('drops extra arguments of commands that take none', () => {
    expect(toCall(['open', 'surprise'])).toEqual(['open'])
    expect(toCall(['identify', null])).toBeNull()
  })
})
