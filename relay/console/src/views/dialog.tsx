import type { ComponentChildren } from 'preact'
import { useEffect, useRef } from 'preact/hooks'
import { useI18n } from './context.ts'

interface Props {
  title: string
  onClose(): void
  children: ComponentChildren
  class?: string
}

/** A modal dialog on the native `<dialog>`: focus stays inside, Esc and the close button close it. */
export function Dialog({ title, onClose, children, class: extra }: Props) {
  const { t } = useI18n()
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useRef(`dialog-${Math.random().toString(36).slice(2, 9)}`).current
  useEffect(() => {
    const el = ref.current
    const opener = document.activeElement as HTMLElement | null
    if (el && !el.open) el.showModal()
    return () => opener?.focus?.()
  }, [])
  // Esc closes it natively (the `cancel` event); the click is only for the backdrop.
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: keyboard users have Esc and the close button
    <dialog
      ref={ref}
      class={`dialog ${extra ?? ''}`}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault()
        onClose()
      }}
      onClick={(e) => {
        // A click on the backdrop (the dialog element itself, outside its box) closes it.
        if (e.target === ref.current) onClose()
      }}
    >
      <div class="dialog-box">
        <header class="dialog-head">
          <h2 id={titleId}>{title}</h2>
          <button
            type="button"
            class="btn btn--ghost dialog-close"
            aria-label={t('dialog.close')}
            onClick={onClose}
          >
            <span aria-hidden="true">×</span>
          </button>
        </header>
        {children}
      </div>
    </dialog>
  )
}
