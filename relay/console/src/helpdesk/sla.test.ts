import { describe, expect, it } from 'vitest'
import type { SlaSummary } from '../../../../shared/protocol.ts'
import { shortDuration, slaPhrase, slaView } from './sla.ts'

const due = '2025-01-01T10:10:00.000Z'
const at = (iso: string) => Date.parse(iso)
const sla = (over: Partial<SlaSummary> = {}): SlaSummary => ({
  dueAt: due,
  firstResponseDue: due,
  resolutionDue: null,
  firstResponseAt: null,
  state: 'ok',
  timeLeftMs: 0,
  ...over,
})

describe('slaView', () => {
  it('counts down on the wall clock to the due time', () => {
    const view = slaView(sla(), at('2025-01-01T10:06:00.000Z'))
    expect(view).toEqual({ dueAt: due, state: 'ok', leftMs: 4 * 60_000 })
    expect(slaPhrase(view!)).toBe('left')
  })

  it('turns breached at the due time without waiting for the relay', () => {
    const view = slaView(sla({ state: 'near_breach' }), at('2025-01-01T10:12:00.000Z'))
    expect(view?.state).toBe('breached')
    expect(slaPhrase(view!)).toBe('breachedAgo')
  })

  it('keeps the relay’s near-breach and met states', () => {
    expect(slaView(sla({ state: 'near_breach' }), at('2025-01-01T10:09:00.000Z'))?.state).toBe('near_breach')
    expect(slaView(sla({ state: 'met', dueAt: null }), 0)).toEqual({
      dueAt: null,
      state: 'met',
      leftMs: null,
    })
  })

  it('is absent while the bot handles it or without a due time', () => {
    expect(slaView(null, 0)).toBeNull()
    expect(slaView(undefined, 0)).toBeNull()
    expect(slaView(sla({ dueAt: null }), 0)).toBeNull()
  })

  it('keeps a breach on record once nothing is due any more', () => {
    const view = slaView(sla({ dueAt: null, state: 'breached' }), 0)
    expect(view).toEqual({ dueAt: null, state: 'breached', leftMs: null })
    expect(slaPhrase(view!)).toBe('breached')
  })
})

describe('shortDuration', () => {
  it('reads like "4m left" and "breached 2m ago"', () => {
    expect(shortDuration(4 * 60_000 + 59_000)).toBe('4m')
    expect(shortDuration(-2 * 60_000)).toBe('2m')
    expect(shortDuration(30_000)).toBe('30s')
    expect(shortDuration(200)).toBe('1s')
    expect(shortDuration(80 * 60_000)).toBe('1h 20m')
    expect(shortDuration(3 * 3600_000)).toBe('3h')
    expect(shortDuration(51 * 3600_000)).toBe('2d 3h')
  })
})
