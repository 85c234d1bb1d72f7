import type { ComponentChildren } from 'preact'
import { useEffect, useRef, useState } from 'preact/hooks'

export interface MenuItem {
  id: string
  label: ComponentChildren
  /** The accessible name when `label` is more than text. */
  name?: string
  /** For a choice among several (priority): shown checked, announced as a radio item. */
  checked?: boolean
  disabled?: boolean
  onSelect(): void
}

export interface MenuGroup {
  label: string | null
  items: readonly MenuItem[]
  /** Shown when the group has no items. */
  empty?: string
}

interface Props {
  /** The button's accessible name. */
  label: string
  children: ComponentChildren
  groups: readonly MenuGroup[]
  class?: string
  disabled?: boolean
  align?: 'start' | 'end'
}

/** A menu button (WAI-ARIA menu pattern): arrows move, Enter picks, Esc closes, a click outside closes. */
export function MenuButton(props: Props) {
  const [open, setOpen] = useState(false)
  const root = useRef<HTMLDivElement>(null)
  const button = useRef<HTMLButtonElement>(null)

  useEffect(() => {
    if (!open) return
    const first = root.current?.querySelector<HTMLElement>('[role^="menuitem"]:not([disabled])')
    first?.focus()
    const onDown = (e: PointerEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false)
    }
    document.addEventListener('pointerdown', onDown)
    return () => document.removeEventListener('pointerdown', onDown)
  }, [open])

  const close = (refocus: boolean) => {
    setOpen(false)
    if (refocus) button.current?.focus()
  }

  const onKey = (e: KeyboardEvent) => {
    const items = [
      ...(root.current?.querySelectorAll<HTMLElement>('[role^="menuitem"]:not([disabled])') ?? []),
    ]
    const i = items.indexOf(document.activeElement as HTMLElement)
    if (e.key === 'Escape') {
      e.preventDefault()
      e.stopPropagation()
      close(true)
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault()
      const next = items[(i + (e.key === 'ArrowDown' ? 1 : -1) + items.length) % items.length]
      next?.focus()
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault()
      items[e.key === 'Home' ? 0 : items.length - 1]?.focus()
    } else if (e.key === 'Tab') {
      close(false)
    }
  }

  return (
    <div class={`menu ${props.class ?? ''}`} ref={root}>
      <button
        ref={button}
        type="button"
        class="btn menu-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={props.label}
        disabled={props.disabled}
        onClick={() => setOpen(!open)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' && !open) {
            e.preventDefault()
            setOpen(true)
          }
        }}
      >
        {props.children}
        <span class="menu-caret" aria-hidden="true" />
      </button>
      {open && (
        <div
          class={`menu-popover menu-popover--${props.align ?? 'end'}`}
          role="menu"
          aria-label={props.label}
          onKeyDown={onKey}
        >
          {props.groups.map((g, gi) => (
            // biome-ignore lint/a11y/useSemanticElements: a group of menu items (ARIA menu pattern), not form controls
            <div key={g.label ?? gi} role="group" aria-label={g.label ?? undefined} class="menu-group">
              {g.label && (
                <div class="menu-group-label" aria-hidden="true">
                  {g.label}
                </div>
              )}
              {g.items.length === 0 && g.empty && <div class="menu-empty">{g.empty}</div>}
              {g.items.map((item) => (
                <button
                  key={item.id}
                  type="button"
                  class="menu-item"
                  {...(item.checked === undefined
                    ? { role: 'menuitem' }
                    : { role: 'menuitemradio', 'aria-checked': item.checked })}
                  aria-label={item.name}
                  disabled={item.disabled}
                  tabIndex={-1}
                  onClick={() => {
                    close(true)
                    item.onSelect()
                  }}
                >
                  {item.label}
                </button>
              ))}
            </div>
          ))}
        </div>
      )}
    </div>
  )
}
