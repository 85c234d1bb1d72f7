import { useLayoutEffect, useMemo, useRef } from 'preact/hooks'
import type { EmailOriginal } from '../../../../shared/email.ts'
import type { BotAnswerReviewState } from '../../../../shared/kb.ts'
import type { AuditEvent, DeliveryStatus, Message } from '../../../../shared/protocol.ts'
import { EmailExtras } from '../email/email-original.tsx'
import { fullTime, relativeTime, safeHref } from '../format.ts'
import type { MessageKey } from '../i18n.ts'
import { kbApi } from '../kb/api.ts'
import { isReviewableMessage, latestReviews, ReviewControl } from '../kb/review-control.tsx'
import type { PendingMessage } from '../store.ts'
import { useI18n } from './context.ts'

interface Props {
  messages: readonly Message[]
  drafts: Readonly<Record<string, string>>
  outbox: readonly PendingMessage[]
  contactName: string
  agentName: string
  now: number
  onRetry(clientId: string): void
  /** What the channel reported of each reply, by message id (WhatsApp). */
  deliveries?: Readonly<Record<string, DeliveryStatus>>
  /** Email originals by message id (attachments, "View original"). */
  emails?: { conversationId: string; byMessage: Readonly<Record<string, EmailOriginal>> }
  /** QA of bot answers: a Correct / Wrong control on each bot answer. */
  review?: { siteId: string; conversationId: string; events: readonly AuditEvent[]; agentName: string }
}

type ReviewProps = NonNullable<Props['review']> & { reviews: Map<string, BotAnswerReviewState> }

/** The whole conversation, oldest first. Every text is rendered as text, never as HTML. */
export function Transcript(props: Props) {
  const { t } = useI18n()
  const scroller = useRef<HTMLDivElement>(null)
  const pinned = useRef(true)
  const drafts = Object.entries(props.drafts)
  const events = props.review?.events
  const reviews = useMemo(() => latestReviews(events ?? []), [events])
  const review = props.review ? { ...props.review, reviews } : undefined

  // Follow new messages while the reader is at the bottom; leave them be when they scrolled up.
  useLayoutEffect(() => {
    const el = scroller.current
    if (el && pinned.current) el.scrollTop = el.scrollHeight
  })

  return (
    <div
      class="transcript-scroll"
      ref={scroller}
      onScroll={(e) => {
        const el = e.currentTarget
        pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 48
      }}
    >
      {props.messages.length === 0 && drafts.length === 0 && props.outbox.length === 0 ? (
        <p class="transcript-empty">{t('conversation.emptyTranscript')}</p>
      ) : (
        <ol class="transcript" aria-label={t('conversation.transcript')}>
          {props.messages.map((m) => (
            <MessageItem
              key={m.id}
              message={m}
              contactName={props.contactName}
              now={props.now}
              review={review}
              emails={props.emails}
              delivery={props.deliveries?.[m.id]}
            />
          ))}
          {drafts.map(([draftId, text]) => (
            <li key={draftId} class="msg msg--bot msg--draft" data-author="bot" aria-busy="true">
              <div class="msg-meta">
                <span class="badge badge--bot">{t('message.bot')}</span>
                <span class="msg-time">{t('message.writing')}</span>
              </div>
              <div class="msg-bubble">
                <p class="msg-text">{text}</p>
              </div>
            </li>
          ))}
          {props.outbox.map((p) => (
            <li
              key={p.clientId}
              class={p.internal ? 'msg msg--agent msg--note msg--pending' : 'msg msg--agent msg--pending'}
              data-author="agent"
              data-internal={p.internal ? 'true' : undefined}
              data-pending={p.state}
            >
              <div class="msg-meta">
                {p.internal && <span class="badge badge--note">{t('message.note')}</span>}
                <span class="msg-author">{props.agentName}</span>
                {p.state === 'sending' ? (
                  <span class="msg-time">{t('message.sending')}</span>
                ) : (
                  <span class="msg-failed">
                    {t('message.failed')}{' '}
                    <button type="button" class="link-button" onClick={() => props.onRetry(p.clientId)}>
                      {t('message.retry')}
                    </button>
                  </span>
                )}
              </div>
              <div class="msg-bubble">
                <p class="msg-text">{p.text}</p>
              </div>
            </li>
          ))}
        </ol>
      )}
    </div>
  )
}

function MessageItem({
  message: m,
  contactName,
  now,
  review,
  emails,
  delivery,
}: {
  message: Message
  contactName: string
  now: number
  review?: ReviewProps | undefined
  emails?: Props['emails']
  delivery?: DeliveryStatus | undefined
}) {
  const email = emails?.byMessage[m.id]
  const { t, locale } = useI18n()
  const author =
    m.author === 'contact'
      ? contactName
      : m.author === 'bot'
        ? (m.authorName ?? t('message.bot'))
        : m.author === 'agent'
          ? (m.authorName ?? t('message.agentFallback'))
          : t('message.system')
  const time = (
    <time class="msg-time" dateTime={m.createdAt} title={fullTime(locale, m.createdAt)}>
      {relativeTime(t, locale, m.createdAt, now)}
    </time>
  )

  if (m.author === 'system') {
    return (
      <li class="msg msg--system" data-author="system" data-seq={m.seq}>
        <p class="msg-text">{m.text}</p>
        {time}
      </li>
    )
  }

  return (
    <li
      class={m.internal ? `msg msg--${m.author} msg--note` : `msg msg--${m.author}`}
      data-author={m.author}
      data-internal={m.internal ? 'true' : undefined}
      data-seq={m.seq}
    >
      <div class="msg-meta">
        {m.internal && <span class="badge badge--note">{t('message.note')}</span>}
        <span class="msg-author">{author}</span>
        {m.author === 'bot' && <span class="badge badge--bot">{t('message.bot')}</span>}
        {time}
        {delivery && (
          <span
            class={`msg-delivery msg-delivery--${delivery.status}`}
            title={delivery.error ?? fullTime(locale, delivery.at)}
          >
            {t(`delivery.${delivery.status}` as MessageKey)}
          </span>
        )}
      </div>
      <div class="msg-bubble">
        <p class="msg-text">{m.text}</p>
        {m.sources.length > 0 && (
          <div class="sources">
            <span class="sources-label">{t('message.sources')}</span>
            <ul>
              {m.sources.map((s) => {
                const href = safeHref(s.url)
                return (
                  <li key={s.slug}>
                    {href ? (
                      <a href={href} target="_blank" rel="noopener noreferrer">
                        {s.title}
                      </a>
                    ) : (
                      <span>{s.title}</span>
                    )}
                  </li>
                )
              })}
            </ul>
          </div>
        )}
      </div>
      {email && emails && <EmailExtras conversationId={emails.conversationId} email={email} />}
      {review && isReviewableMessage(m) && (
        <ReviewControl
          compact
          api={kbApi()}
          siteId={review.siteId}
          conversationId={review.conversationId}
          messageId={m.id}
          initial={review.reviews.get(m.id) ?? null}
          agentName={review.agentName}
        />
      )}
    </li>
  )
}
