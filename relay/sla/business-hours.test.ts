import { describe, expect, it } from 'vitest'
import {
  addBusinessTime,
  type BusinessCalendar,
  BusinessCalendarSchema,
  BusinessHoursError,
  businessTimeBetween,
  calendarFor,
  isOpen,
  nextOpening,
} from './business-hours.ts'

const MIN = 60_000
const HOUR = 60 * MIN
const at = (iso: string) => new Date(iso)
const nine = [{ start: '09:00', end: '18:00' }]

/** Mon–Fri 09–18 in Berlin. */
const berlin: BusinessCalendar = {
  timeZone: 'Europe/Berlin',
  weekly: { mon: nine, tue: nine, wed: nine, thu: nine, fri: nine },
}
const allDay = [{ start: '00:00', end: '24:00' }]
const berlinAlways: BusinessCalendar = {
  timeZone: 'Europe/Berlin',
  weekly: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay },
}
/** A Saturday-night shift, 22:00 to Sunday 06:00. */
const nySaturdayNight: BusinessCalendar = {
  timeZone: 'America/New_York',
  weekly: { sat: [{ start: '22:00', end: '06:00' }] },
}
const never: BusinessCalendar = { timeZone: 'Europe/Berlin', weekly: {} }

describe('addBusinessTime', () => {
  it('a 2-minute chat target started Friday 17:59 in Europe/Berlin with hours 09–18 is due Monday 09:01', () => {
    // 2026-01-16 is a Friday; CET is UTC+1.
    expect(addBusinessTime(at('2026-01-16T16:59:00Z'), 2 * MIN, berlin).toISOString()).toBe(
      '2026-01-19T08:01:00.000Z',
    )
  })

  it('is due at closing time when the target runs out exactly then, not at the next opening', () => {
    expect(addBusinessTime(at('2026-01-16T16:58:00Z'), 2 * MIN, berlin).toISOString()).toBe(
      '2026-01-16T17:00:00.000Z',
    )
  })

  it('starts counting at the opening when started before it', () => {
    expect(addBusinessTime(at('2026-01-19T06:00:00Z'), 30 * MIN, berlin).toISOString()).toBe(
      '2026-01-19T08:30:00.000Z',
    )
  })

  it('carries a weekend wait across the Berlin spring-forward (2026-03-29) to Monday 09:01 CEST', () => {
    expect(addBusinessTime(at('2026-03-27T16:59:00Z'), 2 * MIN, berlin).toISOString()).toBe(
      '2026-03-30T07:01:00.000Z',
    )
  })

  it('counts only the 7 hours of a New York night shift on spring-forward night (2026-03-08)', () => {
    // Sat 22:00 EST = 03:00Z; 6 h of open time later is 05:00 EDT = 09:00Z (wall clock shows 7 h passed).
    expect(addBusinessTime(at('2026-03-08T03:00:00Z'), 6 * HOUR, nySaturdayNight).toISOString()).toBe(
      '2026-03-08T09:00:00.000Z',
    )
    expect(businessTimeBetween(at('2026-03-07T00:00:00Z'), at('2026-03-10T00:00:00Z'), nySaturdayNight)).toBe(
      7 * HOUR,
    )
  })

  it('counts the repeated hour of a New York night shift on fall-back night (2026-11-01): 9 hours', () => {
    // Sat 22:00 EDT = 02:00Z; 8 h later is 05:00 EST = 10:00Z, an hour before the shift's 06:00 end.
    expect(addBusinessTime(at('2026-11-01T02:00:00Z'), 8 * HOUR, nySaturdayNight).toISOString()).toBe(
      '2026-11-01T10:00:00.000Z',
    )
    expect(businessTimeBetween(at('2026-10-31T00:00:00Z'), at('2026-11-03T00:00:00Z'), nySaturdayNight)).toBe(
      9 * HOUR,
    )
  })

  it('skips a full-day holiday: Thursday 17:59 before Christmas Friday is due Monday 09:01', () => {
    const withChristmas = { ...berlin, holidays: [{ date: '2026-12-25', name: 'Christmas Day' }] }
    expect(addBusinessTime(at('2026-12-24T16:59:00Z'), 2 * MIN, withChristmas).toISOString()).toBe(
      '2026-12-28T08:01:00.000Z',
    )
  })

  it('uses a partial holiday’s own hours: an early close on Christmas Eve at 13:00', () => {
    const withEve = {
      ...berlin,
      holidays: [{ date: '2026-12-24', open: [{ start: '09:00', end: '13:00' }] }, { date: '2026-12-25' }],
    }
    // 1 h left at 12:00 Thursday, Friday closed, the second hour on Monday 09:00–10:00 CET.
    expect(addBusinessTime(at('2026-12-24T11:00:00Z'), 2 * HOUR, withEve).toISOString()).toBe(
      '2026-12-28T09:00:00.000Z',
    )
  })

  it('runs an overnight Friday 22:00–02:00 shift into Saturday and resumes the next Friday', () => {
    const night: BusinessCalendar = {
      timeZone: 'Europe/Berlin',
      weekly: { fri: [{ start: '22:00', end: '02:00' }] },
    }
    // Fri 2026-01-16 23:30 CET: 2.5 h until Sat 02:00, the last 30 min from Fri 2026-01-23 22:00.
    expect(addBusinessTime(at('2026-01-16T22:30:00Z'), 3 * HOUR, night).toISOString()).toBe(
      '2026-01-23T21:30:00.000Z',
    )
    expect(addBusinessTime(at('2026-01-16T22:30:00Z'), HOUR, night).toISOString()).toBe(
      '2026-01-16T23:30:00.000Z',
    )
  })

  it('returns the start for a zero target and refuses a negative one', () => {
    expect(addBusinessTime(at('2026-01-17T12:00:00Z'), 0, berlin).toISOString()).toBe(
      '2026-01-17T12:00:00.000Z',
    )
    expect(() => addBusinessTime(at('2026-01-17T12:00:00Z'), -1, berlin)).toThrow(RangeError)
  })

  it('throws a clear error instead of looping when the calendar is never open', () => {
    expect(() => addBusinessTime(at('2026-01-16T12:00:00Z'), MIN, never)).toThrow(BusinessHoursError)
    expect(() => addBusinessTime(at('2026-01-16T12:00:00Z'), MIN, never)).toThrow(/no open time/)
  })

  it('adds wall-clock time without a calendar (24/7)', () => {
    expect(addBusinessTime(at('2026-01-17T12:00:00Z'), 2 * MIN, null).toISOString()).toBe(
      '2026-01-17T12:02:00.000Z',
    )
  })

  it('is the inverse of businessTimeBetween for targets across weekends, holidays and DST', () => {
    const cal = { ...berlin, holidays: [{ date: '2026-03-30' }] }
    const start = at('2026-03-26T15:17:00Z')
    for (const ms of [MIN, 2 * HOUR, 9 * HOUR, 24 * HOUR, 72 * HOUR]) {
      expect(businessTimeBetween(start, addBusinessTime(start, ms, cal), cal)).toBe(ms)
    }
  })
})

describe('businessTimeBetween', () => {
  it('counts 23 hours on the Berlin spring-forward day and 25 on the fall-back day (2026-03-29, 2026-10-25)', () => {
    expect(businessTimeBetween(at('2026-03-28T23:00:00Z'), at('2026-03-29T22:00:00Z'), berlinAlways)).toBe(
      23 * HOUR,
    )
    expect(businessTimeBetween(at('2026-10-24T22:00:00Z'), at('2026-10-25T23:00:00Z'), berlinAlways)).toBe(
      25 * HOUR,
    )
  })

  it('counts one business week of 45 hours from Monday to Monday', () => {
    expect(businessTimeBetween(at('2026-01-19T06:00:00Z'), at('2026-01-26T06:00:00Z'), berlin)).toBe(
      45 * HOUR,
    )
  })

  it('is negative when the second instant comes first', () => {
    expect(businessTimeBetween(at('2026-01-16T17:00:00Z'), at('2026-01-16T16:00:00Z'), berlin)).toBe(-HOUR)
  })

  it('is wall-clock time without a calendar and zero for a calendar that is never open', () => {
    expect(businessTimeBetween(at('2026-01-17T00:00:00Z'), at('2026-01-18T00:00:00Z'), null)).toBe(24 * HOUR)
    expect(businessTimeBetween(at('2026-01-17T00:00:00Z'), at('2026-02-17T00:00:00Z'), never)).toBe(0)
  })
})

describe('isOpen', () => {
  it('is open from the opening minute up to, not including, the closing minute', () => {
    expect(isOpen(at('2026-01-16T08:00:00Z'), berlin)).toBe(true)
    expect(isOpen(at('2026-01-16T16:59:59Z'), berlin)).toBe(true)
    expect(isOpen(at('2026-01-16T17:00:00Z'), berlin)).toBe(false)
    expect(isOpen(at('2026-01-17T10:00:00Z'), berlin)).toBe(false)
  })

  it('is open at Saturday 01:00 during a Friday 22:00–02:00 shift, closed at 02:00', () => {
    const night: BusinessCalendar = {
      timeZone: 'Europe/Berlin',
      weekly: { fri: [{ start: '22:00', end: '02:00' }] },
    }
    expect(isOpen(at('2026-01-17T00:00:00Z'), night)).toBe(true)
    expect(isOpen(at('2026-01-17T01:00:00Z'), night)).toBe(false)
  })

  it('closes the tail of the previous night’s shift on a holiday date', () => {
    const night: BusinessCalendar = {
      timeZone: 'Europe/Berlin',
      weekly: { fri: [{ start: '22:00', end: '02:00' }] },
      holidays: [{ date: '2026-01-17' }],
    }
    expect(isOpen(at('2026-01-16T22:30:00Z'), night)).toBe(true)
    expect(isOpen(at('2026-01-17T00:00:00Z'), night)).toBe(false)
  })

  it('is always open without a calendar and never for a calendar without hours', () => {
    expect(isOpen(at('2026-01-17T03:00:00Z'), null)).toBe(true)
    expect(isOpen(at('2026-01-16T10:00:00Z'), never)).toBe(false)
  })
})

describe('nextOpening', () => {
  it('says a person is back Monday 09:00 when asked Friday evening', () => {
    expect(nextOpening(at('2026-01-16T18:00:00Z'), berlin)?.toISOString()).toBe('2026-01-19T08:00:00.000Z')
  })

  it('is the instant itself while open', () => {
    expect(nextOpening(at('2026-01-16T10:15:00Z'), berlin)?.toISOString()).toBe('2026-01-16T10:15:00.000Z')
  })

  it('opens at the 03:00 jump when the opening time 02:30 falls in the New York spring-forward gap', () => {
    const cal: BusinessCalendar = {
      timeZone: 'America/New_York',
      weekly: { sun: [{ start: '02:30', end: '04:00' }] },
    }
    expect(nextOpening(at('2026-03-08T05:00:00Z'), cal)?.toISOString()).toBe('2026-03-08T07:00:00.000Z')
  })

  it('opens at the first 01:30 of the New York fall-back night and stays open 150 minutes', () => {
    const cal: BusinessCalendar = {
      timeZone: 'America/New_York',
      weekly: { sun: [{ start: '01:30', end: '03:00' }] },
    }
    expect(nextOpening(at('2026-11-01T04:00:00Z'), cal)?.toISOString()).toBe('2026-11-01T05:30:00.000Z')
    expect(businessTimeBetween(at('2026-11-01T04:00:00Z'), at('2026-11-02T04:00:00Z'), cal)).toBe(150 * MIN)
  })

  it('finds a partial holiday in a calendar without weekly hours, then null after it', () => {
    const special: BusinessCalendar = {
      timeZone: 'Europe/Berlin',
      weekly: {},
      holidays: [{ date: '2026-02-01', open: [{ start: '10:00', end: '12:00' }] }],
    }
    expect(nextOpening(at('2026-01-16T10:00:00Z'), special)?.toISOString()).toBe('2026-02-01T09:00:00.000Z')
    expect(nextOpening(at('2026-02-01T11:00:00Z'), special)).toBeNull()
  })

  it('is null for a calendar that is never open and the instant itself without a calendar', () => {
    expect(nextOpening(at('2026-01-16T10:00:00Z'), never)).toBeNull()
    expect(nextOpening(at('2026-01-17T03:00:00Z'), null)?.toISOString()).toBe('2026-01-17T03:00:00.000Z')
  })
})

describe('BusinessCalendarSchema and calendarFor', () => {
  it('accepts a calendar with an overnight shift and a partial holiday', () => {
    const parsed = BusinessCalendarSchema.parse({
      timeZone: 'America/New_York',
      weekly: { fri: [{ start: '22:00', end: '02:00' }] },
      holidays: [{ date: '2026-12-24', open: [{ start: '09:00', end: '13:00' }] }],
    })
    expect(parsed.weekly.fri).toEqual([{ start: '22:00', end: '02:00' }])
  })

  it('refuses an unknown zone, a calendar with no hours, a bad time and a holiday crossing midnight', () => {
    expect(
      BusinessCalendarSchema.safeParse({ timeZone: 'Mars/Olympus', weekly: { mon: nine } }).success,
    ).toBe(false)
    expect(BusinessCalendarSchema.safeParse({ timeZone: 'UTC', weekly: {} }).success).toBe(false)
    expect(
      BusinessCalendarSchema.safeParse({
        timeZone: 'UTC',
        weekly: { mon: [{ start: '09:00', end: '25:00' }] },
      }).success,
    ).toBe(false)
    expect(
      BusinessCalendarSchema.safeParse({
        timeZone: 'UTC',
        weekly: { mon: nine },
        holidays: [{ date: '2026-12-24', open: [{ start: '22:00', end: '02:00' }] }],
      }).success,
    ).toBe(false)
  })

  it("picks the team's calendar, else the site's, else none (24/7)", () => {
    const team: BusinessCalendar = { timeZone: 'America/New_York', weekly: { mon: nine } }
    const config = { site: berlin, teams: { us: team } }
    expect(calendarFor(config, 'us')).toBe(team)
    expect(calendarFor(config, 'eu')).toBe(berlin)
    expect(calendarFor(config, null)).toBe(berlin)
    expect(calendarFor(null, 'us')).toBeNull()
  })

  it('throws a clear error for an unknown zone that bypassed the schema', () => {
    expect(() =>
      isOpen(at('2026-01-16T10:00:00Z'), { timeZone: 'Mars/Olympus', weekly: { mon: nine } }),
    ).toThrow(/unknown time zone: Mars\/Olympus/)
  })
})
