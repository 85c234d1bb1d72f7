/** Pure display helpers shared by the views; every string comes from the locale. */
import type { ConversationSummary } from '../../../shared/protocol.ts'
import type { MessageKey, Translate } from './i18n.ts'

const REASONS = new Set([
  'requested_human',
  'no_answer',
  'sensitive_topic',
  'negative_sentiment',
  'low_confidence',
  'provider_error',
  'out_of_scope',
  'reopened',
  'policy',
])

/** A handoff reason code as a person would say it; unknown codes read as a plain "Handed off". */
export function reasonLabel(t: Translate, reason: string): string {
  return REASONS.has(reason) ? t(`reason.${reason}` as MessageKey) : t('reason.other')
}

export function contactName(t: Translate, c: Pick<ConversationSummary, 'contact'>): string {
  const name = c.contact.name?.trim()
  return name ? name : t('contact.visitor')
}

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/** "now", "5m", "3h", "2d", then a short date: compact enough for an inbox row. */
export function relativeTime(t: Translate, locale: string, iso: string, now: number): string {
  const at = Date.parse(iso)
  if (Number.isNaN(at)) return ''
  const ago = Math.max(0, now - at)
  if (ago < MINUTE) return t('time.now')
  if (ago < HOUR) return t('time.minutes', { n: Math.floor(ago / MINUTE) })
  if (ago < DAY) return t('time.hours', { n: Math.floor(ago / HOUR) })
  if (ago < 7 * DAY) return t('time.days', { n: Math.floor(ago / DAY) })
  return new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric' }).format(at)
}

/** A full timestamp for tooltips and `<time>` titles. */
export function fullTime(locale: string, iso: string): string {
  const at = Date.parse(iso)
  if (Number.isNaN(at)) return iso
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(at)
}

/** Only http(s) links are rendered as links; anything else (javascript:, data:) is not. */
export function safeHref(url: string | null): string | null {
  if (!url) return null
  try {
    const parsed = new URL(url, 'https://invalid.example/')
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null
    return /^https?:\/\//i.test(url) ? parsed.href : null
  } catch {
    return null
  }
}

/** Initials for an avatar: "Ana Lopez" → "AL", "visitor" → "V". */
export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean)
  const first = parts[0]?.[0] ?? '?'
  const last = parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : ''
  return (first + last).toUpperCase()
}

/** The conversation id of a `#/c/ID` route, or null for any other hash. */
export function routeFromHash(hash: string): string | null {
  const m = /^#\/c\/([A-Za-z0-9_-]{1,64})$/.exec(hash)
  return m?.[1] ?? null
}

/** The protocol's message length cap (shared MAX_MESSAGE_LENGTH), kept as a literal so zod stays out. */
export const MAX_REPLY_LENGTH = 4000
