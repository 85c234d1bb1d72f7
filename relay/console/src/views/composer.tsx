import { useEffect, useRef, useState } from 'preact/hooks'
import { MAX_REPLY_LENGTH } from '../format.ts'
import { useI18n } from './context.ts'

interface Props {
  /** Why the agent cannot reply right now, or null when they can. */
  hint: string | null
  onSend(text: string): void
}

/** The reply box: Enter sends, Shift+Enter adds a line; disabled with a hint unless the agent owns it. */
export function Composer({ hint, onSend }: Props) {
  const { t } = useI18n()
  const [text, setText] = useState('')
  const box = useRef<HTMLTextAreaElement>(null)
  const enabled = hint === null
  const wasEnabled = useRef(enabled)

  // Taking over moves the agent straight to the reply box.
  useEffect(() => {
    if (enabled && !wasEnabled.current) box.current?.focus()
    wasEnabled.current = enabled
  }, [enabled])

  const submit = () => {
    if (!enabled || text.trim() === '') return
    onSend(text)
    setText('')
  }

  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault()
        submit()
      }}
    >
      {hint && (
        <p id="reply-hint" class="composer-hint">
          {hint}
        </p>
      )}
      <div class="composer-row">
        <textarea
          ref={box}
          aria-label={t('conversation.reply')}
          aria-describedby={hint ? 'reply-hint' : undefined}
          placeholder={enabled ? t('conversation.replyPlaceholder') : ''}
          rows={3}
          maxLength={MAX_REPLY_LENGTH}
          disabled={!enabled}
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && !e.altKey && !e.ctrlKey && !e.metaKey) {
              e.preventDefault()
              submit()
            }
          }}
        />
        <button class="btn btn--primary" type="submit" disabled={!enabled || text.trim() === ''}>
          {t('conversation.send')}
        </button>
      </div>
    </form>
  )
}
