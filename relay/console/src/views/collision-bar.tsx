import { useEffect } from 'preact/hooks'
import type { Person, TypingEntry } from '../helpdesk/collision.ts'
import { useI18n, useNow } from './context.ts'

interface Props {
  viewers: readonly Person[]
  typing: readonly TypingEntry[]
  onExpire(): void
}

/** Who else is here: "NAME is viewing", "NAME is typing…" (typing notices expire on their own). */
export function CollisionBar({ viewers, typing, onExpire }: Props) {
  const { t } = useI18n()
  const now = useNow(1000)
  const live = typing.filter((e) => e.until > now)
  useEffect(() => {
    if (live.length !== typing.length) onExpire()
  }, [live.length, typing.length, onExpire])
  const watching = viewers
  return (
    <div
      class={watching.length + live.length > 0 ? 'collision' : 'collision collision--empty'}
      role="status"
      aria-live="polite"
    >
      {live.map((e) => (
        <span
          key={`typing-${e.id}`}
          class={e.internal ? 'collision-item collision-item--note' : 'collision-item collision-item--typing'}
        >
          <span class="typing-dots" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          {t('collision.typing', { name: e.name })}
          {e.internal && <span class="collision-sub">{t('collision.inNote')}</span>}
        </span>
      ))}
      {watching.map((v) => (
        <span key={`viewing-${v.id}`} class="collision-item">
          <span class="eye" aria-hidden="true" />
          {t('collision.viewing', { name: v.name })}
        </span>
      ))}
    </div>
  )
}
