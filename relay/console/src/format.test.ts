import { describe, expect, it } from 'vitest'
import { contactName, initials, reasonLabel, relativeTime, routeFromHash, safeHref } from './format.ts'
import { createTranslator } from './i18n.ts'
import en from './locales/en.json'
import { summary } from './test-support.ts'

const { t } = createTranslator('en', en, en)

describe('display helpers', () => {
  it('says each handoff reason the way a person would', () => {
    expect(
      ['requested_human', 'no_answer', 'sensitive_topic', 'negative_sentiment', 'low_confidence'].map((r) =>
        reasonLabel(t, r),
      ),
    ).toEqual([
      'Asked for a person',
      'No article found',
      'Sensitive topic',
      'Negative sentiment',
      'Bot unsure',
    ])
    expect(['provider_error', 'out_of_scope', 'reopened'].map((r) => reasonLabel(t, r))).toEqual([
      'Bot unavailable',
      'Out of scope',
      'Reopened',
    ])
    expect(reasonLabel(t, 'something_new')).toBe('Handed off')
  })

  it('calls a contact without a name "Visitor"', () => {
    expect(contactName(t, summary('a'))).toBe('Visitor')
    expect(contactName(t, summary('a', { contact: { id: 'x', name: 'Mia Shopper', email: null } }))).toBe(
      'Mia Shopper',
    )
  })

  it('writes compact relative times', () => {
    const now = Date.parse('2025-01-02T12:00:00.000Z')
    expect(relativeTime(t, 'en', '2025-01-02T11:59:30.000Z', now)).toBe('now')
    expect(relativeTime(t, 'en', '2025-01-02T11:55:00.000Z', now)).toBe('5m')
    expect(relativeTime(t, 'en', '2025-01-02T09:00:00.000Z', now)).toBe('3h')
    expect(relativeTime(t, 'en', '2024-12-31T12:00:00.000Z', now)).toBe('2d')
  })

  it('links only http(s) source URLs', () => {
    expect(safeHref('https://shop.example/help/returns')).toBe('https://shop.example/help/returns')
    expect(safeHref('javascript:alert(1)')).toBeNull()
    expect(safeHref('data:text/html,hi')).toBeNull()
    expect(safeHref('/relative')).toBeNull()
    expect(safeHref(null)).toBeNull()
  })

  it('reads a conversation id only from a #/c/ID route', () => {
    expect(routeFromHash('#/c/conv_123-x')).toBe('conv_123-x')
    expect(routeFromHash('#/')).toBeNull()
    expect(routeFromHash('#/c/bad id')).toBeNull()
  })

  it('makes avatar initials from the first and last name', () => {
    expect(initials('Ana María Lopez')).toBe('AL')
    expect(initials('visitor')).toBe('V')
  })
})
