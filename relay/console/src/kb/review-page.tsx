/** QA of bot answers: the question, the answer, its sources and confidence; Correct / Wrong. */
import { useEffect, useState } from 'preact/hooks'
import type { BotAnswerReview } from '../../../../shared/kb.ts'
import type { AgentProfile } from '../../../../shared/protocol.ts'
import { relativeTime, safeHref } from '../format.ts'
import { useI18n, useNow } from '../views/context.ts'
import type { KbApi } from './api.ts'
import { ReviewControl } from './review-control.tsx'

type Filter = 'unreviewed' | 'all' | 'reviewed'

export function ReviewPage({ api, siteId, agent }: { api: KbApi; siteId: string; agent: AgentProfile }) {
  const { t, locale, error: describe } = useI18n()
  const now = useNow()
  const [filter, setFilter] = useState<Filter>('unreviewed')
  const [reviews, setReviews] = useState<BotAnswerReview[] | null>(null)
  const [failure, setFailure] = useState<string | null>(null)

  useEffect(() => {
    setReviews(null)
    void api.reviews(siteId, filter).then((reply) => {
      if (reply.ok) setReviews(reply.data.reviews)
      else setFailure(describe(reply.error))
    })
  }, [api, siteId, filter, describe])

  return (
    <section class="kb-section" aria-labelledby="review-title">
      <header class="kb-head">
        <div>
          <h2 id="review-title">{t('review.title')}</h2>
          <p class="muted">{t('review.intro')}</p>
        </div>
        <label class="site-picker">
          <span>{t('review.show')}</span>
          <select value={filter} onChange={(e) => setFilter(e.currentTarget.value as Filter)}>
            <option value="unreviewed">{t('review.filter.unreviewed')}</option>
            <option value="all">{t('review.filter.all')}</option>
            <option value="reviewed">{t('review.filter.reviewed')}</option>
          </select>
        </label>
      </header>
      {failure && (
        <p role="alert" class="kb-error">
          {failure}
        </p>
      )}
      {!reviews && !failure && <p class="muted">{t('kb.loading')}</p>}
      {reviews && reviews.length === 0 && <p class="muted">{t('review.empty')}</p>}
      {reviews && reviews.length > 0 && (
        <ul class="review-list">
          {reviews.map((r) => (
            <li key={r.messageId} class="review-item" data-message-id={r.messageId}>
              <div class="review-meta muted">
                <span
                  class={`confidence${r.confidence !== null && r.confidence < 0.6 ? ' confidence--low' : ''}`}
                >
                  {r.confidence === null
                    ? t('review.confidenceUnknown')
                    : t('review.confidence', { pct: Math.round(r.confidence * 100) })}
                </span>
                <time dateTime={r.createdAt}>{relativeTime(t, locale, r.createdAt, now)}</time>
                <a href={`#/c/${r.conversationId}`}>{t('review.open')}</a>
              </div>
              <dl class="review-qa">
                <dt>{t('review.question')}</dt>
                <dd class="review-question">{r.question ?? t('review.noQuestion')}</dd>
                <dt>{t('review.answer')}</dt>
                <dd class="review-answer">{r.answer}</dd>
                {r.sources.length > 0 && (
                  <>
                    <dt>{t('message.sources')}</dt>
                    <dd>
                      <ul class="review-sources">
                        {r.sources.map((s) => {
                          const href = safeHref(s.url)
                          return (
                            <li key={s.slug}>
                              {href ? (
                                <a href={href} target="_blank" rel="noopener noreferrer">
                                  {s.title}
                                </a>
                              ) : (
                                s.title
                              )}
                            </li>
                          )
                        })}
                      </ul>
                    </dd>
                  </>
                )}
              </dl>
              <ReviewControl
                api={api}
                siteId={siteId}
                conversationId={r.conversationId}
                messageId={r.messageId}
                initial={r.review}
                agentName={agent.name}
              />
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
