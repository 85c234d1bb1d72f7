/**
 * Business-hours calendars (per site, optionally per team) and the clock arithmetic SLAs need:
 * add open time to an instant, measure open time between two instants, "open now?", "back at …".
 * Pure: instants in, instants out; the zone rules come from luxon's IANA zones (the runtime's tzdata).
 *
 * How a calendar reads, all in its time zone's wall clock:
 * - `weekly.fri: [{ start: '22:00', end: '02:00' }]`: an end at or before the start crosses midnight, so
 *   this shift runs Friday 22:00 to Saturday 02:00. `end: '24:00'` means until midnight.
 * - A holiday covers its whole date, 00:00–24:00, including the tail of the previous night's shift.
 *   With `open` it is a partial day: only those hours are open that date (e.g. Christmas Eve 09–13).
 * - Daylight saving: intervals are wall-clock times, so a 09–18 day is 9 hours on either side of a
 *   change, and a 22–06 night shift is 7 h on spring-forward night and 9 h on fall-back night. A boundary
 *   inside the spring-forward gap (02:30 that never happens) is the moment the clock jumps; a boundary
 *   inside the repeated fall-back hour is its first occurrence.
 * - No calendar (`null`) means 24/7: business time is wall-clock time.
 */
import { IANAZone } from 'luxon'
import { z } from 'zod'

const TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$/
const DAY_MS = 86_400_000
const MINUTE_MS = 60_000
/** How far `addBusinessTime` and `nextOpening` look ahead before giving up (about ten years). */
export const HORIZON_DAYS = 3660

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
export type Weekday = (typeof WEEKDAYS)[number]

const TimeOfDaySchema = z.string().regex(TIME, 'expected HH:mm (00:00–23:59)')
const EndTimeSchema = z.union([TimeOfDaySchema, z.literal('24:00')])

/** One opening interval; `end` at or before `start` (other than equal) means it ends the next day. */
export const OpeningIntervalSchema = z
  .object({ start: TimeOfDaySchema, end: EndTimeSchema })
  .refine((i) => i.start !== i.end, { message: 'an interval needs a start and a different end' })
export type OpeningInterval = z.infer<typeof OpeningIntervalSchema>

const SameDayIntervalSchema = OpeningIntervalSchema.refine((i) => i.end === '24:00' || i.end > i.start, {
  message: "a holiday's hours stay within its date",
})

export const HolidaySchema = z.object({
  /** A date in the calendar's zone, `YYYY-MM-DD`. */
  date: z.iso.date(),
  name: z.string().max(200).optional(),
  /** Partial holiday: the hours open on that date instead of the weekly ones. Omitted: closed all day. */
  open: z.array(SameDayIntervalSchema).optional(),
})
export type Holiday = z.infer<typeof HolidaySchema>

const WeeklyHoursSchema = z.object(
  Object.fromEntries(WEEKDAYS.map((d) => [d, z.array(OpeningIntervalSchema).optional()])) as Record<
    Weekday,
    z.ZodOptional<z.ZodArray<typeof OpeningIntervalSchema>>
  >,
)

export const BusinessCalendarSchema = z
  .object({
    timeZone: z.string().refine((tz) => IANAZone.isValidZone(tz), { message: 'unknown IANA time zone' }),
    weekly: WeeklyHoursSchema,
    holidays: z.array(HolidaySchema).optional(),
  })
  // A calendar that is never open would make every due time unreachable: refuse it when configured.
  .refine((c) => WEEKDAYS.some((d) => (c.weekly[d]?.length ?? 0) > 0), {
    message: 'a calendar needs opening hours on at least one weekday',
    path: ['weekly'],
  })
export type BusinessCalendar = z.infer<typeof BusinessCalendarSchema>

/** Business hours of a site, with optional per-team calendars. */
export const BusinessHoursConfigSchema = z.object({
  site: BusinessCalendarSchema.nullable(),
  teams: z.record(z.string(), BusinessCalendarSchema).optional(),
})
export type BusinessHoursConfig = z.infer<typeof BusinessHoursConfigSchema>

/** The calendar that applies to a team: its own, else the site's; null means 24/7. */
export function calendarFor(
  config: BusinessHoursConfig | null,
  teamId?: string | null,
): BusinessCalendar | null {
  if (!config) return null
  return (teamId ? config.teams?.[teamId] : undefined) ?? config.site
}

/** A calendar that cannot be used, or open time that cannot be reached. */
export class BusinessHoursError extends Error {
  override name = 'BusinessHoursError'
}

type Span = readonly [number, number]

interface Compiled {
  zone: IANAZone
  /** Index 0 = Sunday (as `Date#getUTCDay`); minutes from that day's midnight, the end may pass 1440. */
  weekly: Span[][]
  /** Day number (days since 1970-01-01 of the wall date) → open minutes that date. */
  holidays: Map<number, Span[]>
  weeklyOpen: boolean
  /** The last day with open time when the weekly hours have none (partial holidays only). */
  lastOpenDay: number
}

function minutes(time: string): number {
  if (time === '24:00') return 1440
  if (!TIME.test(time)) throw new BusinessHoursError(`invalid time of day: ${time}`)
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3))
}

function dayNumber(isoDate: string): number {
  const ms = Date.parse(`${isoDate}T00:00:00Z`)
  if (Number.isNaN(ms)) throw new BusinessHoursError(`invalid holiday date: ${isoDate}`)
  return ms / DAY_MS
}

function compile(calendar: BusinessCalendar): Compiled {
  const zone = IANAZone.create(calendar.timeZone)
  if (!zone.isValid) throw new BusinessHoursError(`unknown time zone: ${calendar.timeZone}`)
  const weekly: Span[][] = [0, 1, 2, 3, 4, 5, 6].map((js) => {
    const key = WEEKDAYS[(js + 6) % 7] as Weekday
    return (calendar.weekly[key] ?? []).map((i): Span => {
      const start = minutes(i.start)
      const end = minutes(i.end)
      if (start === end) throw new BusinessHoursError(`empty interval ${i.start}–${i.end} on ${key}`)
      return [start, end > start ? end : end + 1440]
    })
  })
  const holidays = new Map<number, Span[]>()
  let lastOpenDay = Number.NEGATIVE_INFINITY
  for (const h of calendar.holidays ?? []) {
    const day = dayNumber(h.date)
    const open = (h.open ?? []).map((i): Span => [minutes(i.start), minutes(i.end)]).filter(([s, e]) => e > s)
    holidays.set(day, open)
    if (open.length > 0) lastOpenDay = Math.max(lastOpenDay, day)
  }
  return { zone, weekly, holidays, weeklyOpen: weekly.some((d) => d.length > 0), lastOpenDay }
}

/** The wall date (day number) an instant falls on in the zone. */
function localDay(c: Compiled, ms: number): number {
  return Math.floor((ms + c.zone.offset(ms) * MINUTE_MS) / DAY_MS)
}

/** The instant a wall-clock time shows: gap times → the jump; repeated times → the first occurrence. */
function wallToInstant(c: Compiled, wall: number): number {
  const offsets = new Set([c.zone.offset(wall - DAY_MS), c.zone.offset(wall), c.zone.offset(wall + DAY_MS)])
  const valid = [...offsets]
    .map((o) => wall - o * MINUTE_MS)
    .filter((t) => wall - c.zone.offset(t) * MINUTE_MS === t)
  if (valid.length > 0) return Math.min(...valid)
  // In a gap: the transition lies between the readings under the offsets before and after it.
  const candidates = [...offsets].map((o) => wall - o * MINUTE_MS)
  let lo = Math.min(...candidates)
  let hi = Math.max(...candidates)
  const before = c.zone.offset(lo)
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2)
    if (c.zone.offset(mid) === before) lo = mid
    else hi = mid
  }
  return hi
}

/** Open minutes of one wall date, sorted and merged, within 0..1440. */
function openMinutes(c: Compiled, day: number): Span[] {
  const holiday = c.holidays.get(day)
  if (holiday) return merge(holiday)
  const weekday = new Date(day * DAY_MS).getUTCDay()
  const today = (c.weekly[weekday] ?? []).map(([s, e]): Span => [s, Math.min(e, 1440)])
  const spill = (c.weekly[(weekday + 6) % 7] ?? [])
    .filter(([, e]) => e > 1440)
    .map(([, e]): Span => [0, e - 1440])
  return merge([...today, ...spill])
}

function merge(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a[0] - b[0])
  const out: [number, number][] = []
  for (const [s, e] of sorted) {
    const last = out[out.length - 1]
    if (last && s <= last[1]) last[1] = Math.max(last[1], e)
    else out.push([s, e])
  }
  return out
}

/** Open time of one wall date as instants (epoch ms), empty spans (inside a DST gap) dropped. */
function openSpans(c: Compiled, day: number): Span[] {
  const base = day * DAY_MS
  return openMinutes(c, day)
    .map(([s, e]): Span => [wallToInstant(c, base + s * MINUTE_MS), wallToInstant(c, base + e * MINUTE_MS)])
    .filter(([s, e]) => e > s)
}

function hasOpenTimeFrom(c: Compiled, day: number): boolean {
  return c.weeklyOpen || day <= c.lastOpenDay
}

function checkMs(ms: number): void {
  if (!Number.isFinite(ms) || ms < 0)
    throw new RangeError(`business time must be a finite, non-negative ms: ${ms}`)
}

/** The instant at which `ms` of open time has elapsed since `start` (a due time). */
export function addBusinessTime(start: Date, ms: number, calendar: BusinessCalendar | null): Date {
  checkMs(ms)
  if (!calendar || ms === 0) return new Date(start.getTime() + ms)
  const c = compile(calendar)
  const from = start.getTime()
  let remaining = ms
  const first = localDay(c, from)
  for (let day = first; day <= first + HORIZON_DAYS; day++) {
    if (!hasOpenTimeFrom(c, day)) {
      throw new BusinessHoursError(
        `calendar ${calendar.timeZone} has no open time after ${start.toISOString()}`,
      )
    }
    for (const [s, e] of openSpans(c, day)) {
      const begin = Math.max(s, from)
      if (e <= begin) continue
      if (remaining <= e - begin) return new Date(begin + remaining)
      remaining -= e - begin
    }
  }
  throw new BusinessHoursError(`${ms} ms of open time is not reached within ${HORIZON_DAYS} days`)
}

/** Open time between two instants in ms; negative when `b` is before `a`. */
export function businessTimeBetween(a: Date, b: Date, calendar: BusinessCalendar | null): number {
  const from = a.getTime()
  const to = b.getTime()
  if (to < from) return -businessTimeBetween(b, a, calendar)
  if (!calendar) return to - from
  const c = compile(calendar)
  let total = 0
  const last = localDay(c, to)
  for (let day = localDay(c, from); day <= last; day++) {
    if (!hasOpenTimeFrom(c, day)) break
    for (const [s, e] of openSpans(c, day)) total += Math.max(0, Math.min(e, to) - Math.max(s, from))
  }
  return total
}

/** Whether the calendar is open at an instant (interval starts included, ends excluded). */
export function isOpen(at: Date, calendar: BusinessCalendar | null): boolean {
  if (!calendar) return true
  const c = compile(calendar)
  const t = at.getTime()
  return openSpans(c, localDay(c, t)).some(([s, e]) => s <= t && t < e)
}

/** The first open instant at or after `at` ("a person will be back at …"); null if it never opens again. */
export function nextOpening(at: Date, calendar: BusinessCalendar | null): Date | null {
  if (!calendar) return at
  const c = compile(calendar)
  const t = at.getTime()
  const first = localDay(c, t)
  for (let day = first; day <= first + HORIZON_DAYS; day++) {
    if (!hasOpenTimeFrom(c, day)) return null
    for (const [s, e] of openSpans(c, day)) {
      if (e > t) return new Date(Math.max(s, t))
    }
  }
  return null
}
