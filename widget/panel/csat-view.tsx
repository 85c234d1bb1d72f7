/**
 * "How did we do?" under a resolved conversation: 1–5 as text buttons (named "4 out of 5") and an
 * optional comment, sent together once (`csat:rate`). Styled as the away notice's sibling.
 */
import { useState } from 'preact/hooks'
import { format, type Strings } from './i18n.ts'
import type { ChatState } from './store.ts'

const SCORES = [1, 2, 3, 4, 5]
const MAX_COMMENT = 1000

interface CsatProps {
  state: ChatState
  t: Strings
  onRate(score: number, comment: string): Promise<void>
}

export function CsatPrompt({ state, t, onRate }: CsatProps) {
  const [score, setScore] = useState<number | null>(null)
  const [comment, setComment] = useState('')
  if (state.csat === 'saved') {
    return (
      <p class="away csat" role="status">
        {t.csatThanks}
      </p>
    )
  }
  const sending = state.csat === 'sending'
  return (
    <form
      class="away csat"
      aria-label={t.csatTitle}
      onSubmit={(e) => {
        e.preventDefault()
        if (score !== null && !sending) void onRate(score, comment)
      }}
    >
      <fieldset>
        <legend>{t.csatTitle}</legend>
        <div class="csat-scores">
          {SCORES.map((n) => (
            <button
              key={n}
              type="button"
              aria-pressed={score === n}
              aria-label={format(t.csatScore, { score: n })}
              onClick={() => setScore(n)}
            >
              {n}
            </button>
          ))}
        </div>
        <p class="csat-scale" aria-hidden="true">
          <span>{t.csatLow}</span>
          <span>{t.csatHigh}</span>
        </p>
      </fieldset>
      {score !== null && (
        <div class="away-row">
          <input
            type="text"
            aria-label={t.csatComment}
            placeholder={t.csatComment}
            maxLength={MAX_COMMENT}
            value={comment}
            onInput={(e) => setComment(e.currentTarget.value)}
          />
          <button type="submit" disabled={sending}>
            {t.csatSend}
          </button>
        </div>
      )}
      {state.csat === 'failed' && (
        <p class="away-error" role="alert">
          {t.csatFailed}
        </p>
      )}
    </form>
  )
}
