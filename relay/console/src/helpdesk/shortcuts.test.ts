import { describe, expect, it } from 'vitest'
import { commandFor, isTextField, neighbour, SHORTCUTS } from './shortcuts.ts'

const press = (key: string, extra: Partial<Parameters<typeof commandFor>[0]> = {}) =>
  commandFor({ key, ctrlKey: false, metaKey: false, altKey: false, inField: false, ...extra })

describe('keyboard shortcuts', () => {
  it('maps the single keys to their commands', () => {
    expect(['j', 'k', 't', 'r', 'n', 'e', '/', 'm', '?', 'Escape'].map((k) => press(k))).toEqual([
      'next',
      'previous',
      'takeOver',
      'reply',
      'note',
      'resolve',
      'macro',
      'macro',
      'help',
      'escape',
    ])
    expect(press('J')).toBe('next')
    expect(press('x')).toBeNull()
  })

  it('leaves keys typed into a field alone, except Esc', () => {
    expect(press('j', { inField: true })).toBeNull()
    expect(press('/', { inField: true })).toBeNull()
    expect(press('Escape', { inField: true })).toBe('escape')
  })

  it('leaves browser and IME combinations alone', () => {
    expect(press('r', { metaKey: true })).toBeNull()
    expect(press('k', { ctrlKey: true })).toBeNull()
    expect(press('e', { altKey: true })).toBeNull()
    expect(press('j', { isComposing: true })).toBeNull()
  })

  it('knows which elements take text', () => {
    expect(isTextField({ tagName: 'TEXTAREA' })).toBe(true)
    expect(isTextField({ tagName: 'input', type: 'email' })).toBe(true)
    expect(isTextField({ tagName: 'INPUT', type: 'checkbox' })).toBe(false)
    expect(isTextField({ tagName: 'SELECT' })).toBe(true)
    expect(isTextField({ tagName: 'DIV', isContentEditable: true })).toBe(true)
    expect(isTextField({ tagName: 'BUTTON' })).toBe(false)
    expect(isTextField(null)).toBe(false)
  })

  it('moves to the next and previous conversation, starting at an end without one', () => {
    const ids = ['a', 'b', 'c']
    expect(neighbour(ids, 'a', 1)).toBe('b')
    expect(neighbour(ids, 'c', 1)).toBeNull()
    expect(neighbour(ids, 'a', -1)).toBeNull()
    expect(neighbour(ids, null, 1)).toBe('a')
    expect(neighbour(ids, 'gone', -1)).toBe('c')
    expect(neighbour([], null, 1)).toBeNull()
  })

  it('lists every command once in the help', () => {
    const commands = SHORTCUTS.map((s) => s.command)
    expect(new Set(commands).size).toBe(commands.length)
    expect(commands).toContain('macro')
  })
})
