import { describe, expect, it } from 'vitest'
import { csvUrl } from './api.ts'
import { DASH, dayIn, decimal, duration, percent } from './format.ts'
import { reportsHash, reportsRouteFromHash } from './route.ts'

describe('report formatting', () => {
  it('writes durations from seconds to days, and a dash for nothing measured', () => {
    expect(duration(null)).toBe(DASH)
    expect(duration(45_400)).toBe('45 s')
    expect(duration(269_000)).toBe('4 min 29 s')
    expect(duration(1_200_000)).toBe('20 min')
    expect(duration(7_500_000)).toBe('2 h 5 min')
    expect(duration(3 * 86_400_000 + 4 * 3_600_000)).toBe('3 d 4 h')
  })

  it('writes shares as percentages and signed sentiment shifts', () => {
    expect(percent(0.6667, 'en')).toBe('67%')
    expect(percent(null)).toBe(DASH)
    expect(decimal(0.75, 2, 'en', true)).toBe('+0.75')
    expect(decimal(-0.2, 2, 'en', true)).toBe('-0.2')
    expect(decimal(3.5, 1, 'en')).toBe('3.5')
  })

  it("finds an instant's day in a time zone (an exclusive end is the day before)", () => {
    expect(dayIn('2026-03-03T00:00:00.000Z', 'UTC')).toBe('2026-03-03')
    expect(dayIn(Date.parse('2026-03-03T00:00:00.000Z') - 1, 'UTC')).toBe('2026-03-02')
    expect(dayIn('2026-03-03T03:00:00.000Z', 'America/New_York')).toBe('2026-03-02')
  })
})

describe('the reports route', () => {
  it('reads the site, the period and the channel from the hash, and writes them back', () => {
    const route = reportsRouteFromHash('#/reports?site=demo&from=2026-03-01&to=2026-03-07&channel=email')
    expect(route).toEqual({ site: 'demo', from: '2026-03-01', to: '2026-03-07', channel: 'email' })
    expect(route && reportsHash(route)).toBe(
      '#/reports?site=demo&from=2026-03-01&to=2026-03-07&channel=email',
    )
    expect(reportsRouteFromHash('#/reports?from=yesterday&channel=fax')).toEqual({
      site: null,
      from: null,
      to: null,
      channel: null,
    })
    expect(reportsRouteFromHash('#/kb')).toBeNull()
    expect(csvUrl('demo', { from: null, to: '2026-03-07', channel: null })).toBe(
      '/api/sites/demo/reports.csv?to=2026-03-07',
    )
  })
})
