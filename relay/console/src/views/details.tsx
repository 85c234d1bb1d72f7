import type { AuditEvent, ConversationSummary } from '../../../../shared/protocol.ts'
import { fullTime, reasonLabel, relativeTime } from '../format.ts'
import type { MessageKey } from '../i18n.ts'
import { useI18n } from './context.ts'

interface Props {
  conversation: ConversationSummary
  events: readonly AuditEvent[]
  agentId: string | null
  now: number
}

/** The right-hand panel: why the bot handed off, who owns it, who the contact is, what happened. */
export function Details({ conversation: c, events, agentId, now }: Props) {
  const { t, locale } = useI18n()
  const dash = t('details.none')
  return (
    <aside class="details" aria-labelledby="details-title">
      <h3 id="details-title" class="visually-hidden">
        {t('details.title')}
      </h3>
      {c.handoffReason && (
        <section class="handoff">
          <h4>{t('details.handoffReason')}</h4>
          <p class="handoff-reason">{reasonLabel(t, c.handoffReason)}</p>
          {c.handoffSummary && (
            <>
              <h4>{t('details.summary')}</h4>
              <p class="handoff-summary">{c.handoffSummary}</p>
            </>
          )}
        </section>
      )}
      <dl class="facts">
        <div>
          <dt>{t('details.assignee')}</dt>
          <dd class="details-assignee">
            {c.assignee ? c.assignee.name : t('inbox.unassigned')}
            {c.assignee && c.assignee.id === agentId && <span class="muted"> ({t('inbox.you')})</span>}
          </dd>
        </div>
        <div>
          <dt>{t('details.priority')}</dt>
          <dd>
            <span class={`priority priority--${c.priority}`}>
              {t(`priority.${c.priority}` as MessageKey)}
            </span>
          </dd>
        </div>
        <div>
          <dt>{t('details.channel')}</dt>
          <dd>{t(`channel.${c.channel}` as MessageKey)}</dd>
        </div>
        <div>
          <dt>{t('details.contact')}</dt>
          <dd>
            {c.contact.name ?? t('contact.visitor')}
            {c.contact.email && <span class="details-email">{c.contact.email}</span>}
          </dd>
        </div>
      </dl>
      {events.length > 0 && (
        <section class="activity">
          <h4>{t('details.activity')}</h4>
          <ol>
            {events.map((e) => (
              <li key={e.id}>
                <span>
                  {t(`event.${e.type}` as MessageKey)}
                  {e.type === 'handoff' &&
                    typeof e.data.reason === 'string' &&
                    ` · ${reasonLabel(t, e.data.reason)}`}
                </span>
                <time dateTime={e.at} title={fullTime(locale, e.at)}>
                  {relativeTime(t, locale, e.at, now) || dash}
                </time>
              </li>
            ))}
          </ol>
        </section>
      )}
    </aside>
  )
}
