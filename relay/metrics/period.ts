/**
 * A report's period from the query: days are read in the report's time zone (`from` from the
 * start of its day, `to` to the end of its day), date-times as given; by default the last 30 days
 * up to the end of today. At most 366 days, so a report's cost stays bounded.
 */
import { DateTime } from 'luxon'
import type { ReportQuery } from '../../shared/reports.ts'
import { AppError } from '../errors.ts'

export const DEFAULT_DAYS = 30
export const MAX_DAYS = 366

const isDay = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value)

export function periodOf(query: ReportQuery, now: Date, zone: string): { from: Date; to: Date } {
  const to = query.to
    ? isDay(query.to)
      ? DateTime.fromISO(query.to, { zone }).plus({ days: 1 })
      : DateTime.fromISO(query.to)
    : DateTime.fromJSDate(now, { zone }).startOf('day').plus({ days: 1 })
  const from = query.from
    ? DateTime.fromISO(query.from, isDay(query.from) ? { zone } : {})
    : to.minus({ days: DEFAULT_DAYS })
  if (!from.isValid || !to.isValid) throw new AppError('invalid_payload', 'from and to must be dates')
  if (from >= to) throw new AppError('invalid_payload', 'from must be before to')
  if (to.diff(from, 'days').days > MAX_DAYS)
    throw new AppError('invalid_payload', `a report spans at most ${MAX_DAYS} days`)
  return { from: from.toJSDate(), to: to.toJSDate() }
}
