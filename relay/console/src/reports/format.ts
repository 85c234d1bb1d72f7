/** How the reports page writes its figures: durations, shares, scores; a dash for nothing measured. */

export const DASH = '—'

/** `45 s`, `4 min 29 s`, `2 h 5 min`, `3 d 4 h`. */
export function duration(ms: number | null): string {
  if (ms === null) return DASH
  const s = Math.round(ms / 1000)
  if (s < 60) return `${s} s`
  const m = Math.floor(s / 60)
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`
  const h = Math.floor(m / 60)
  if (h < 48) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`
  const d = Math.floor(h / 24)
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`
}

/** A share in 0..1 as a whole percentage. */
export function percent(share: number | null, locale?: string): string {
  if (share === null) return DASH
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(share)
}

/** A number with at most `digits` decimals; a sign when asked (sentiment shifts). */
export function decimal(value: number | null, digits = 1, locale?: string, signed = false): string {
  if (value === null) return DASH
  return new Intl.NumberFormat(locale, {
    maximumFractionDigits: digits,
    ...(signed && { signDisplay: 'exceptZero' as const }),
  }).format(value)
}

/** The day (`YYYY-MM-DD`) an instant falls on in `timeZone`. */
export function dayIn(iso: string | number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(iso))
}
