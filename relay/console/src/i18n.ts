/**
 * Strings are data: one JSON file per locale, English bundled as the fallback, others loaded on
 * demand. A translator looks a key up in the chosen locale, then English, and fills `{name}` slots.
 */
import type en from './locales/en.json'
import type { UiError } from './store.ts'

export type MessageKey = keyof typeof en
export type Messages = Partial<Record<MessageKey, string>>
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string

export interface Translator {
  locale: string
  t: Translate
  /** A human sentence for an error, by code (never the relay's English message). */
  error(error: UiError, context?: 'signIn' | 'session'): string
}

function fill(template: string, params?: Record<string, string | number>): string {
  if (!params) return template
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  )
}

export function createTranslator(locale: string, messages: Messages, fallback: Messages): Translator {
  const t: Translate = (key, params) => fill(messages[key] ?? fallback[key] ?? key, params)
  return {
    locale,
    t,
    error(error, context) {
      const name = typeof error.details?.assigneeName === 'string' ? error.details.assigneeName : null
      switch (error.code) {
        case 'already_assigned':
          return t('error.already_assigned', { name: name ?? t('message.agentFallback') })
        case 'not_assignee':
          return name ? t('error.not_assignee', { name }) : t('error.not_assignee_nobody')
        case 'unauthorized':
          return context === 'session' ? t('error.sessionExpired') : t('error.unauthorized')
        case 'invalid_payload':
          return context === 'signIn' ? t('error.invalidLogin') : t('error.invalid_payload')
        case 'invalid_transition':
        case 'forbidden':
        case 'not_found':
        case 'rate_limited':
        case 'network_error':
        case 'timeout':
        case 'internal_error':
          return t(`error.${error.code}`)
        default:
          return t('error.generic')
      }
    },
  }
}

/** The locales shipped, best match first for the browser's preferences; English always last. */
export function pickLocale(preferred: readonly string[], available: readonly string[]): string {
  for (const tag of preferred) {
    const lower = tag.toLowerCase()
    const exact = available.find((a) => a.toLowerCase() === lower)
    if (exact) return exact
    const base = available.find((a) => a.toLowerCase() === lower.split('-')[0])
    if (base) return base
  }
  return 'en'
}
