import { describe, expect, it } from 'vitest'
import { createTranslator, pickLocale } from './i18n.ts'
import en from './locales/en.json'

const english = createTranslator('en', en, en)

describe('translator', () => {
  it('names the owner when a take-over is refused', () => {
    const text = english.error({
      code: 'already_assigned',
      message: 'x',
      details: { assigneeName: 'Bo Agent' },
    })
    expect(text).toBe('Already taken by Bo Agent')
  })

  it('tells a wrong password apart from an ended session', () => {
    const error = { code: 'unauthorized' as const, message: 'x' }
    expect(english.error(error, 'signIn')).toBe('Wrong email or password.')
    expect(english.error(error, 'session')).toBe('Your session ended. Sign in again.')
  })

  it('falls back to English for a key the chosen locale lacks and fills placeholders', () => {
    const german = createTranslator('de', { 'header.signOut': 'Abmelden' }, en)
    expect(german.t('header.signOut')).toBe('Abmelden')
    expect(german.t('conversation.hint.other', { name: 'Bo' })).toBe(
      'Bo is handling this conversation, so only they can reply. Your notes stay internal.',
    )
  })

  it('picks the closest shipped locale and English otherwise', () => {
    expect(pickLocale(['fr-CA', 'de'], ['en', 'de'])).toBe('de')
    expect(pickLocale(['de-AT'], ['en', 'de'])).toBe('de')
    expect(pickLocale(['ja'], ['en'])).toBe('en')
  })
})
