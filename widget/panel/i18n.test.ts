import { describe, expect, it } from 'vitest'
import { english, format, loadStrings } from './i18n.ts'

describe('strings', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(format(english.assigned, { name: 'Sam' })).toBe('Sam joined')
    expect(format('{a} and {b}', { a: 1 })).toBe('1 and {b}')
  })

  it('falls back to English for a locale without a file', async () => {
    expect(await loadStrings('xx-YY')).toBe(english)
    expect(await loadStrings(undefined)).toBe(english)
  })

  it('has the labels the black-box tests look for', () => {
    expect([english.message, english.send, english.close, english.automated]).toEqual([
      'Message',
      'Send',
      'Close chat',
      'Automated',
    ])
  })
})
