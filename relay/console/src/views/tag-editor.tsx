import { useState } from 'preact/hooks'
import { useI18n } from './context.ts'

interface Props {
  tags: readonly string[]
  /** Tags seen elsewhere, offered as suggestions. */
  known: readonly string[]
  disabled: boolean
  onChange(tags: string[]): void
}

const TAG = /^[\p{L}\p{N} _-]{1,40}$/u

/** The conversation's tags: remove one with its ×, add one by typing and Enter. */
export function TagEditor({ tags, known, disabled, onChange }: Props) {
  const { t } = useI18n()
  const [draft, setDraft] = useState('')
  const [adding, setAdding] = useState(false)
  const add = () => {
    const tag = draft.trim().toLowerCase()
    setDraft('')
    if (!TAG.test(tag) || tags.includes(tag)) return
    onChange([...tags, tag])
  }
  return (
    <fieldset class="tags">
      <legend class="visually-hidden">{t('tags.label')}</legend>
      {tags.map((tag) => (
        <span key={tag} class="tag">
          {tag}
          <button
            type="button"
            class="tag-remove"
            aria-label={t('tags.remove', { tag })}
            disabled={disabled}
            onClick={() => onChange(tags.filter((x) => x !== tag))}
          >
            ×
          </button>
        </span>
      ))}
      {adding ? (
        <input
          class="tag-input"
          aria-label={t('tags.add')}
          list="known-tags"
          value={draft}
          maxLength={40}
          // biome-ignore lint/a11y/noAutofocus: opened by the agent's own click on "Add tag"
          autoFocus
          onInput={(e) => setDraft(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' || e.key === ',') {
              e.preventDefault()
              add()
            } else if (e.key === 'Escape') {
              e.stopPropagation()
              setDraft('')
              setAdding(false)
            }
          }}
          onBlur={() => {
            if (draft.trim()) add()
            setAdding(false)
          }}
        />
      ) : (
        <button type="button" class="tag-add" disabled={disabled} onClick={() => setAdding(true)}>
          {t('tags.addButton')}
        </button>
      )}
      <datalist id="known-tags">
        {known
          .filter((k) => !tags.includes(k))
          .map((k) => (
            <option key={k} value={k} />
          ))}
      </datalist>
    </fieldset>
  )
}
