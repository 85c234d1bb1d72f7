/**
 * Pure helpers of the settings forms: lists typed as "a, b", durations typed as "2m" or "1h 30m",
 * team ids from names, the agent form's checks, and a starting calendar for business hours.
 */
import type { MessageKey } from '../i18n.ts'
import type { BusinessCalendar, OpeningInterval, Weekday } from './api.ts'

export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']

/** "Returns, billing ,returns" → ["returns", "billing"]: trimmed, lower-case, once each. */
export function parseList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[,\n]/)
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean),
    ),
  ]
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/**
 * A duration as an admin types it: "90s", "2m", "1h 30m", "1.5h", "2d"; a bare number is minutes.
 * Empty means "not set" (null); anything else unreadable is `undefined`.
 */
export function parseDuration(text: string): number | null | undefined {
  const s = text.trim().toLowerCase()
  if (s === '') return null
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * UNITS.m!)
  const parts = [...s.matchAll(/(\d+(?:\.\d+)?)\s*([smhd])/g)]
  const rest = s.replace(/(\d+(?:\.\d+)?)\s*([smhd])/g, '').replace(/[\s,]+/g, '')
  if (parts.length === 0 || rest !== '') return undefined
  let ms = 0
  for (const [, n, unit] of parts) ms += Number(n) * (UNITS[unit ?? ''] ?? 0)
  return Math.round(ms)
}

/** The inverse, for showing a stored duration: "2m", "1h 30m", "1d 4h", "45s". */
export function formatDuration(ms: number): string {
  if (ms <= 0) return '0m'
  const parts: string[] = []
  let left = Math.round(ms / 1000)
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const n = Math.floor(left / size)
    if (n > 0) parts.push(`${n}${unit}`)
    left -= n * size
  }
  return parts.join(' ')
}

/** A team id from its name: "Billing & Refunds" → "billing-refunds", unique among `taken`. */
export function slugify(name: string, taken: readonly string[] = []): string {
  const base =
    name
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 56) || 'team'
  let id = base
  for (let i = 2; taken.includes(id); i++) id = `${base}-${i}`
  return id
}

export interface AgentForm {
  name: string
  email: string
  password: string
  role: 'admin' | 'agent'
  teamId: string
  skills: string
  languages: string
  capacity: string
}

export type FormErrors<F> = Partial<Record<keyof F, MessageKey>>

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const LANGUAGE = /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/
const TOKEN = /^[\p{L}\p{N}_-]+$/u

/** What is wrong with the agent form, by field (empty when it can be sent). */
export function checkAgentForm(form: AgentForm, adding: boolean): FormErrors<AgentForm> {
  const errors: FormErrors<AgentForm> = {}
  if (form.name.trim() === '') errors.name = 'settings.error.required'
  if (!EMAIL.test(form.email.trim())) errors.email = 'settings.error.email'
  if (adding || form.password !== '') {
    if (form.password.length < 8) errors.password = 'settings.error.password'
  }
  const capacity = Number(form.capacity)
  if (!/^\d+$/.test(form.capacity.trim()) || capacity > 100) errors.capacity = 'settings.error.capacity'
  if (!parseList(form.languages).every((l) => LANGUAGE.test(l))) errors.languages = 'settings.error.languages'
  if (!parseList(form.skills).every((s) => TOKEN.test(s))) errors.skills = 'settings.error.skills'
  return errors
}

/** Monday to Friday, 09:00–17:00, in the given zone: what a new calendar starts from. */
export function defaultCalendar(timeZone: string): BusinessCalendar {
  const day: OpeningInterval[] = [{ start: '09:00', end: '17:00' }]
  return {
    timeZone,
    weekly: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: [], sun: [] },
    holidays: [],
  }
}

/** The zones the browser knows, with the agent's own first; a short list when it cannot tell. */
export function timeZones(own: string): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] }
  const all = intl.supportedValuesOf?.('timeZone') ?? [
    'UTC',
    'Europe/London',
    'Europe/Madrid',
    'America/New_York',
  ]
  return [...new Set([own, 'UTC', ...all])]
}

/** A calendar the relay would refuse: no weekday with hours, or an interval that starts where it ends. */
export function calendarProblem(c: BusinessCalendar): MessageKey | null {
  if (!WEEKDAYS.some((d) => (c.weekly[d]?.length ?? 0) > 0)) return 'settings.hours.noDays'
  const intervals = [
    ...WEEKDAYS.flatMap((d) => c.weekly[d] ?? []),
    ...(c.holidays ?? []).flatMap((h) => h.open ?? []),
  ]
  if (intervals.some((i) => !i.start || !i.end || i.start === i.end)) return 'settings.hours.badInterval'
  if ((c.holidays ?? []).some((h) => !/^\d{4}-\d{2}-\d{2}$/.test(h.date))) return 'settings.hours.badDate'
  if ((c.holidays ?? []).some((h) => (h.open ?? []).some((i) => i.end !== '24:00' && i.end < i.start)))
    return 'settings.hours.holidayOvernight'
  return null
}
