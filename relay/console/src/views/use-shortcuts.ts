/** Binds the keyboard shortcuts (helpdesk/shortcuts.ts) to the document while the console is shown. */
import { useEffect, useRef } from 'preact/hooks'
import { commandFor, isTextField, neighbour } from '../helpdesk/shortcuts.ts'

export interface ShortcutOptions {
  enabled: boolean
  /** The inbox and conversation are shown (other pages only have `?`). */
  workspace: boolean
  dialogOpen: boolean
  /** The conversations in the list, in order (for j / k). */
  ids: readonly string[]
  currentId: string | null
  canTakeOver: boolean
  canResolve: boolean
  onOpen(id: string): void
  onTakeOver(): void
  onResolve(): void
  onCompose(kind: 'reply' | 'note' | 'macro'): void
  onHelp(): void
}

export function useShortcuts(options: ShortcutOptions): void {
  // The listener is bound once; it reads the latest options through the ref.
  const latest = useRef(options)
  latest.current = options

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const o = latest.current
      if (!o.enabled || e.defaultPrevented) return
      const target = e.target as HTMLElement | null
      const command = commandFor({
        key: e.key,
        ctrlKey: e.ctrlKey,
        metaKey: e.metaKey,
        altKey: e.altKey,
        isComposing: e.isComposing,
        inField: isTextField(target),
      })
      if (!command) return
      // A dialog handles its own keys (Esc closes it natively).
      if (o.dialogOpen) return
      if (command === 'escape') {
        if (isTextField(target)) target?.blur()
        return
      }
      if (command === 'help') {
        e.preventDefault()
        o.onHelp()
        return
      }
      if (!o.workspace) return
      // A key on a focused control (a button, a link) is still a shortcut, but not inside a menu.
      if (target?.closest('[role="menu"], [role="listbox"]')) return
      switch (command) {
        case 'next':
        case 'previous': {
          const id = neighbour(o.ids, o.currentId, command === 'next' ? 1 : -1)
          if (id) {
            e.preventDefault()
            o.onOpen(id)
          }
          return
        }
        case 'takeOver':
          if (o.currentId && o.canTakeOver) o.onTakeOver()
          return
        case 'resolve':
          if (o.currentId && o.canResolve) o.onResolve()
          return
        case 'reply':
        case 'note':
        case 'macro':
          if (!o.currentId) return
          e.preventDefault()
          o.onCompose(command)
          return
      }
    }
    document.addEventListener('keydown', onKey)
    return () => document.removeEventListener('keydown', onKey)
  }, [])
}
