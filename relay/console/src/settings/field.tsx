import type { ComponentChildren } from 'preact'
import type { MessageKey } from '../i18n.ts'
import { useI18n } from '../views/context.ts'

/** A labelled form field with its hint and its error (announced, and tied to the input by id). */
export function Field(props: {
  id: string
  label: string
  hint?: string
  error?: MessageKey | undefined
  children: ComponentChildren
  class?: string
}) {
  const { t } = useI18n()
  return (
    <div class={`field ${props.error ? 'field--invalid' : ''} ${props.class ?? ''}`}>
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.hint && !props.error && (
        <small id={`${props.id}-hint`} class="muted">
          {props.hint}
        </small>
      )}
      {props.error && (
        <small id={`${props.id}-error`} class="field-error">
          {t(props.error)}
        </small>
      )}
    </div>
  )
}

/** The aria attributes that tie an input to its Field's hint or error. */
export function described(id: string, error: unknown, hint = false) {
  return {
    id,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? `${id}-error` : hint ? `${id}-hint` : undefined,
  }
}
