import { describe, expect, it } from 'vitest'
import {
  type AgentForm,
  calendarProblem,
  checkAgentForm,
  defaultCalendar,
  formatDuration,
  parseDuration,
  parseList,
  slugify,
} from './forms.ts'
import { settingsHash, settingsRouteFromHash } from './route.ts'

const form: AgentForm = {
  name: 'Cleo',
  email: 'cleo@example.com',
  password: 'long-enough',
  role: 'agent',
  teamId: '',
  skills: 'billing, returns',
  languages: 'en, es-mx',
  capacity: '4',
}

describe('settings forms', () => {
  it('reads comma lists trimmed, lower-case and once each', () => {
    expect(parseList(' Billing, returns ,billing,, ')).toEqual(['billing', 'returns'])
    expect(parseList('')).toEqual([])
  })

  it('reads durations as admins type them, and writes them back the same way', () => {
    expect(parseDuration('2m')).toBe(120_000)
    expect(parseDuration('1h 30m')).toBe(5_400_000)
    expect(parseDuration('1.5h')).toBe(5_400_000)
    expect(parseDuration('90s')).toBe(90_000)
    expect(parseDuration('10')).toBe(600_000)
    expect(parseDuration('')).toBeNull()
    expect(parseDuration('soon')).toBeUndefined()
    expect(parseDuration('2m later')).toBeUndefined()
    expect(formatDuration(5_400_000)).toBe('1h 30m')
    expect(formatDuration(86_400_000 + 4 * 3_600_000)).toBe('1d 4h')
    expect(formatDuration(30_000)).toBe('30s')
    expect(parseDuration(formatDuration(93_784_000))).toBe(93_784_000)
  })

  it('makes a team id from its name, unique among the others', () => {
    expect(slugify('Billing & Refunds')).toBe('billing-refunds')
    expect(slugify('Équipe', ['equipe'])).toBe('equipe-2')
    expect(slugify('!!!')).toBe('team')
  })

  it('checks the agent form: a password to add, optional to edit, valid tags and capacity', () => {
    expect(checkAgentForm(form, true)).toEqual({})
    expect(checkAgentForm({ ...form, password: '' }, true)).toEqual({ password: 'settings.error.password' })
    expect(checkAgentForm({ ...form, password: '' }, false)).toEqual({})
    expect(
      checkAgentForm(
        { ...form, name: ' ', email: 'nope', capacity: '101', languages: 'english!', skills: 'a b' },
        false,
      ),
    ).toEqual({
      name: 'settings.error.required',
      email: 'settings.error.email',
      capacity: 'settings.error.capacity',
      languages: 'settings.error.languages',
      skills: 'settings.error.skills',
    })
  })

  it('refuses a calendar the relay would refuse', () => {
    const week = defaultCalendar('Europe/Madrid')
    expect(calendarProblem(week)).toBeNull()
    expect(calendarProblem({ ...week, weekly: {} })).toBe('settings.hours.noDays')
    expect(calendarProblem({ ...week, weekly: { mon: [{ start: '09:00', end: '09:00' }] } })).toBe(
      'settings.hours.badInterval',
    )
    // An overnight weekly shift is fine; on a holiday the hours stay within the date.
    expect(calendarProblem({ ...week, weekly: { fri: [{ start: '22:00', end: '02:00' }] } })).toBeNull()
    expect(
      calendarProblem({
        ...week,
        holidays: [{ date: '2025-12-24', open: [{ start: '20:00', end: '02:00' }] }],
      }),
    ).toBe('settings.hours.holidayOvernight')
    expect(calendarProblem({ ...week, holidays: [{ date: '' }] })).toBe('settings.hours.badDate')
  })
})

describe('settings routes', () => {
  it('reads the page and site from the hash, defaulting to agents', () => {
    expect(settingsRouteFromHash('#/settings/macros?site=demo')).toEqual({ page: 'macros', site: 'demo' })
    expect(settingsRouteFromHash('#/settings')).toEqual({ page: 'agents', site: null })
    expect(settingsRouteFromHash('#/settings/policy')).toBeNull()
    expect(settingsRouteFromHash('#/c/abc')).toBeNull()
    expect(settingsHash('hours', 'a b')).toBe('#/settings/hours?site=a%20b')
  })
})
