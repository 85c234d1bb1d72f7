import { describe, expect, it } from 'vitest'
import { periodOf } from './period.ts'

const now = new Date('2026-03-10T15:00:00.000Z')

describe('periodOf', () => {
  it('defaults to the last 30 days, today included, in the given time zone', () => {
    expect(periodOf({}, now, 'UTC')).toEqual({
      from: new Date('2026-02-09T00:00:00.000Z'),
      to: new Date('2026-03-11T00:00:00.000Z'),
    })
    const berlin = periodOf({}, now, 'Europe/Berlin')
    expect(berlin.to).toEqual(new Date('2026-03-10T23:00:00.000Z'))
  })

  it('reads days in the zone (to includes its day) and date-times as given', () => {
    expect(periodOf({ from: '2026-03-01', to: '2026-03-01' }, now, 'America/New_York')).toEqual({
      from: new Date('2026-03-01T05:00:00.000Z'),
      to: new Date('2026-03-02T05:00:00.000Z'),
    })
    expect(
      periodOf({ from: '2026-03-01T10:00:00Z', to: '2026-03-01T12:00:00+01:00' }, now, 'America/New_York'),
    ).toEqual({ from: new Date('2026-03-01T10:00:00.000Z'), to: new Date('2026-03-01T11:00:00.000Z') })
  })

  it('refuses reversed, empty and over-long periods', () => {
    expect(() => periodOf({ from: '2026-03-02', to: '2026-03-01' }, now, 'UTC')).toThrow(/before/)
    expect(() => periodOf({ from: '2026-03-01T10:00:00Z', to: '2026-03-01T10:00:00Z' }, now, 'UTC')).toThrow()
    expect(() => periodOf({ from: '2024-01-01', to: '2026-01-01' }, now, 'UTC')).toThrow(/366 days/)
  })
})
