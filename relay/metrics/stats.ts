/** Small exact statistics for reports: nearest-rank percentiles, means, shares, rounding. */

/** The nearest-rank percentile (`p` in 0..1): the value at rank ⌈p·n⌉ of the sorted values; null when empty. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.max(1, Math.ceil(p * sorted.length))
  return sorted[rank - 1] ?? null
}

/** The arithmetic mean, rounded to `digits`; null when empty. */
export function mean(values: readonly number[], digits = 3): number | null {
  if (values.length === 0) return null
  return round(values.reduce((sum, v) => sum + v, 0) / values.length, digits)
}

/** `part / whole` rounded to 4 digits; null when `whole` is 0. */
export function share(part: number, whole: number): number | null {
  return whole === 0 ? null : round(part / whole, 4)
}

export function round(value: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(value * f) / f
}
