import type { ConversationSummary } from '../../../../shared/protocol.ts'
import { useI18n } from './context.ts'

const SCORES = [1, 2, 3, 4, 5] as const

/** Whether `agentId` is asked for the effort of this resolution: theirs, and not rated yet. */
export function effortAsked(c: ConversationSummary, agentId: string): boolean {
  const r = c.resolution
  if (c.status !== 'resolved' || !r || r.effort) return false
  return (r.agentId ?? c.assignee?.id) === agentId
}

interface Props {
  busy: boolean
  onRate(score: number): void
}

/** After resolving: one click, "How much effort was this?" from 1 (low) to 5 (high). */
export function EffortPrompt({ busy, onRate }: Props) {
  const { t } = useI18n()
  return (
    <fieldset class="effort-prompt">
      <legend>{t('effort.question')}</legend>
      {SCORES.map((n) => (
        <button
          key={n}
          type="button"
          class="btn"
          disabled={busy}
          aria-label={t('effort.score', { score: n })}
          onClick={() => onRate(n)}
        >
          {n}
        </button>
      ))}
      <span class="muted">{t('effort.scale')}</span>
    </fieldset>
  )
}
