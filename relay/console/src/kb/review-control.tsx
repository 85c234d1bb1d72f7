/** "Correct" / "Wrong (with a note)" on one bot answer: in the Review page and on bot messages. */
import { useState } from 'preact/hooks'
import type { BotAnswerReviewState, ReviewVerdict } from '../../../../shared/kb.ts'
import type { AuditEvent } from '../../../../shared/protocol.ts'
import { useI18n } from '../views/context.ts'
import type { KbApi } from './api.ts'

/** The latest verdict per bot message id in a conversation's audit events. */
export function latestReviews(events: readonly AuditEvent[]): Map<string, BotAnswerReviewState> {
  const out = new Map<string, BotAnswerReviewState>()
  for (const e of events) {
    const { messageId, verdict, note, agentName } = e.data
    if (e.type !== 'bot_reviewed' || typeof messageId !== 'string') continue
    if (verdict !== 'correct' && verdict !== 'wrong') continue
    out.set(messageId, {
      verdict,
      note: typeof note === 'string' && note !== '' ? note : null,
      agentId: e.actor.id,
      agentName: typeof agentName === 'string' ? agentName : null,
      at: e.at,
    })
  }
  return out
}

interface Props {
  api: KbApi
  siteId: string
  conversationId: string
  messageId: string
  initial: BotAnswerReviewState | null
  agentName: string
  /** Smaller, for the transcript. */
  compact?: boolean
  onReviewed?(verdict: ReviewVerdict, flagged: string[]): void
}

export function ReviewControl(props: Props) {
  const { t, error: describe } = useI18n()
  const [review, setReview] = useState(props.initial)
  const [editing, setEditing] = useState(props.initial === null)
  const [noting, setNoting] = useState(false)
  const [note, setNote] = useState('')
  const [busy, setBusy] = useState(false)
  const [failure, setFailure] = useState<string | null>(null)
  const [flagged, setFlagged] = useState<string[]>([])

  async function submit(verdict: ReviewVerdict): Promise<void> {
    setBusy(true)
    setFailure(null)
    const reply = await props.api.review(props.siteId, {
      conversationId: props.conversationId,
      messageId: props.messageId,
      verdict,
      ...(verdict === 'wrong' && note.trim() && { note: note.trim() }),
    })
    setBusy(false)
    if (!reply.ok) {
      setFailure(describe(reply.error))
      return
    }
    setReview({
      verdict,
      note: verdict === 'wrong' && note.trim() ? note.trim() : null,
      agentId: null,
      agentName: props.agentName,
      at: reply.data.event.at,
    })
    setFlagged(reply.data.flagged)
    setEditing(false)
    setNoting(false)
    props.onReviewed?.(verdict, reply.data.flagged)
  }

  const cls = `review-control${props.compact ? ' review-control--compact' : ''}`
  if (!editing && review) {
    return (
      <div class={cls}>
        <span class={`verdict verdict--${review.verdict}`} role="status">
          {review.verdict === 'correct' ? t('review.markedCorrect') : t('review.markedWrong')}
          {review.agentName && ` ${t('review.by', { name: review.agentName })}`}
        </span>
        {review.note && <span class="muted review-note">“{review.note}”</span>}
        {flagged.length > 0 && (
          <span class="muted">{t('review.flagged', { slugs: flagged.join(', ') })}</span>
        )}
        <button type="button" class="link-button" onClick={() => setEditing(true)}>
          {t('review.change')}
        </button>
      </div>
    )
  }
  return (
    <fieldset class={cls} disabled={busy} aria-busy={busy}>
      <legend class="visually-hidden">{t('review.label')}</legend>
      {!noting ? (
        <>
          <button type="button" class="btn btn--small" onClick={() => void submit('correct')}>
            {t('review.correct')}
          </button>
          <button type="button" class="btn btn--small" onClick={() => setNoting(true)}>
            {t('review.wrong')}
          </button>
        </>
      ) : (
        <div class="review-wrong">
          <textarea
            aria-label={t('review.note')}
            placeholder={t('review.note')}
            rows={2}
            maxLength={1000}
            value={note}
            onInput={(e) => setNote(e.currentTarget.value)}
          />
          <div class="review-actions">
            <button type="button" class="btn btn--small btn--danger" onClick={() => void submit('wrong')}>
              {t('review.submitWrong')}
            </button>
            <button type="button" class="btn btn--small btn--ghost" onClick={() => setNoting(false)}>
              {t('editor.cancel')}
            </button>
          </div>
        </div>
      )}
      {failure && (
        <p role="alert" class="form-error">
          {failure}
        </p>
      )}
    </fieldset>
  )
}

/** A bot message worth a verdict: an answer or a tool reply (not the greeting or a handoff notice). */
export function isReviewableMessage(m: {
  author: string
  sources: readonly unknown[]
  bot?: { outcome: string }
}): boolean {
  if (m.author !== 'bot') return false
  if (m.bot) return m.bot.outcome === 'answer' || m.bot.outcome === 'tool'
  return m.sources.length > 0
}
