/**
 * Keyboard shortcuts, pure: which command a key press means, the list the help dialog shows, and
 * which conversation "next" and "previous" go to. Keys typed into a field are text, except Esc.
 */
import type { MessageKey } from '../i18n.ts'

export type Command =
  | 'next'
  | 'previous'
  | 'takeOver'
  | 'reply'
  | 'note'
  | 'resolve'
  | 'macro'
  | 'help'
  | 'escape'

/** The help dialog's list, in this order; `keys` are shown as typed. */
export const SHORTCUTS: readonly { keys: readonly string[]; command: Command; label: MessageKey }[] = [
  { keys: ['j'], command: 'next', label: 'shortcuts.next' },
  { keys: ['k'], command: 'previous', label: 'shortcuts.previous' },
  { keys: ['t'], command: 'takeOver', label: 'shortcuts.takeOver' },
  { keys: ['r'], command: 'reply', label: 'shortcuts.reply' },
  { keys: ['n'], command: 'note', label: 'shortcuts.note' },
  { keys: ['e'], command: 'resolve', label: 'shortcuts.resolve' },
  { keys: ['/', 'm'], command: 'macro', label: 'shortcuts.macro' },
  { keys: ['?'], command: 'help', label: 'shortcuts.help' },
  { keys: ['Esc'], command: 'escape', label: 'shortcuts.escape' },
]

const BY_KEY: Readonly<Record<string, Command>> = {
  j: 'next',
  k: 'previous',
  t: 'takeOver',
  r: 'reply',
  n: 'note',
  e: 'resolve',
  '/': 'macro',
  m: 'macro',
  '?': 'help',
}

/** The parts of a keydown event the mapping looks at. */
export interface KeyPress {
  key: string
  ctrlKey: boolean
  metaKey: boolean
  altKey: boolean
  /** The event's target is a text field, a select or editable content. */
  inField: boolean
  /** An IME is composing: the key belongs to it. */
  isComposing?: boolean
}

/** The command a key press means, or null for any other key (and for keys typed into a field). */
export function commandFor(press: KeyPress): Command | null {
  if (press.isComposing) return null
  if (press.key === 'Escape') return 'escape'
  if (press.inField || press.ctrlKey || press.metaKey || press.altKey) return null
  const key = press.key.length === 1 ? press.key.toLowerCase() : press.key
  // `?` is Shift+/ on most layouts: it arrives as '?', never confused with '/'.
  return press.key === '?' ? 'help' : (BY_KEY[key] ?? null)
}

const TEXT_INPUTS = new Set(['text', 'search', 'email', 'password', 'number', 'tel', 'url', 'date', 'time'])

/** Whether an element takes typed text (so single-letter shortcuts must leave it alone). */
export function isTextField(
  el: {
    tagName?: string
    type?: string
    isContentEditable?: boolean
  } | null,
): boolean {
  if (!el?.tagName) return false
  const tag = el.tagName.toUpperCase()
  if (tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable) return true
  return tag === 'INPUT' && TEXT_INPUTS.has((el.type ?? 'text').toLowerCase())
}

/** The conversation `delta` steps from the current one in the shown list (first or last without one). */
export function neighbour(ids: readonly string[], currentId: string | null, delta: 1 | -1): string | null {
  if (ids.length === 0) return null
  const i = currentId === null ? -1 : ids.indexOf(currentId)
  if (i < 0) return (delta > 0 ? ids[0] : ids[ids.length - 1]) ?? null
  const j = i + delta
  return j < 0 || j >= ids.length ? null : (ids[j] ?? null)
}
