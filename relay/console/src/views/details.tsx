import type { AgentSummary, Team } from '../../../../shared/helpdesk.ts'
import type { ActionRequest, OrderFacts } from '../../../../shared/policy.ts'
import type { AuditEvent, ConversationSummary } from '../../../../shared/protocol.ts'
import { formatMoney } from '../actions.ts'
import { customerHash } from '../customers/customer-page.tsx'
import { contactName, fullTime, initials, reasonLabel, relativeTime } from '../format.ts'
import type { MessageKey } from '../i18n.ts'
import { PresenceDot } from './assign-menu.tsx'
import { useI18n } from './context.ts'

interface Props {
  conversation: ConversationSummary
  events: readonly AuditEvent[]
  actions: readonly ActionRequest[]
  /** The contact's other conversations; null while loading. */
  history: readonly ConversationSummary[] | null
  agents: readonly AgentSummary[]
  teams: readonly Team[]
  agentId: string | null
  now: number
}

/** The orders the bot looked at in this conversation, once each (the newest facts win). */
function ordersOf(actions: readonly ActionRequest[]): OrderFacts[] {
  const byNumber = new Map<string, OrderFacts>()
  for (const a of actions) {
    const order = a.facts?.order
    if (order && !byNumber.has(order.number)) byNumber.set(order.number, order)
  }
  return [...byNumber.values()]
}

/** The customer sidebar: who the contact is, why the bot handed off, their orders and other conversations. */
export function Details(props: Props) {
  const { t, locale } = useI18n()
  const { conversation: c, events, now } = props
  const dash = t('details.none')
  const name = contactName(t, c)
  const assignee = c.assignee ? props.agents.find((a) => a.id === c.assignee?.id) : undefined
  const team = c.teamId ? (props.teams.find((x) => x.id === c.teamId)?.name ?? c.teamId) : null
  const orders = ordersOf(props.actions)
  const sla = c.sla
  return (
    <aside class="details" aria-labelledby="details-title">
      <h3 id="details-title" class="visually-hidden">
        {t('details.title')}
      </h3>
      <section class="contact-card" aria-label={t('details.contact')}>
        <span class="avatar avatar--large" aria-hidden="true">
          {initials(name)}
        </span>
        <div class="contact-main">
          <p class="contact-name">{name}</p>
          {c.contact.email ? (
            <a class="details-email" href={`mailto:${c.contact.email}`}>
              {c.contact.email}
            </a>
          ) : (
            <p class="details-email">{t('details.noEmail')}</p>
          )}
          <p class="muted contact-meta">
            {t(`channel.${c.channel}` as MessageKey)}
            {c.language && ` · ${c.language}`}
          </p>
          <a class="details-customer" href={customerHash(c.contact.id)}>
            {t('details.viewCustomer')}
          </a>
        </div>
      </section>

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
            {assignee && <PresenceDot presence={assignee.presence} />}
            {c.assignee ? c.assignee.name : t('inbox.unassigned')}
            {c.assignee && c.assignee.id === props.agentId && <span class="muted"> ({t('inbox.you')})</span>}
          </dd>
        </div>
        {team && (
          <div>
            <dt>{t('details.team')}</dt>
            <dd>{team}</dd>
          </div>
        )}
        <div>
          <dt>{t('details.priority')}</dt>
          <dd>
            <span class={`priority priority--${c.priority}`}>
              {t(`priority.${c.priority}` as MessageKey)}
            </span>
          </dd>
        </div>
        {sla?.firstResponseDue && (
          <div>
            <dt>{t('details.firstResponse')}</dt>
            <dd>
              {sla.firstResponseAt ? (
                <>
                  {t('details.respondedAt')}{' '}
                  <time dateTime={sla.firstResponseAt}>{fullTime(locale, sla.firstResponseAt)}</time>
                </>
              ) : (
                <>
                  {t('details.dueAt')}{' '}
                  <time dateTime={sla.firstResponseDue}>{fullTime(locale, sla.firstResponseDue)}</time>
                </>
              )}
            </dd>
          </div>
        )}
        {sla?.resolutionDue && (
          <div>
            <dt>{t('details.resolution')}</dt>
            <dd>
              {t('details.dueAt')}{' '}
              <time dateTime={sla.resolutionDue}>{fullTime(locale, sla.resolutionDue)}</time>
            </dd>
          </div>
        )}
        {c.resolution?.csat && (
          <div>
            <dt>{t('details.csat')}</dt>
            <dd class="details-csat">
              {t('details.outOf5', { score: c.resolution.csat.score })}
              {c.resolution.csat.comment && <q class="csat-comment">{c.resolution.csat.comment}</q>}
            </dd>
          </div>
        )}
        {c.resolution?.effort && (
          <div>
            <dt>{t('details.effort')}</dt>
            <dd>{t('details.outOf5', { score: c.resolution.effort.score })}</dd>
          </div>
        )}
      </dl>

      {orders.length > 0 && (
        <section class="orders">
          <h4>{t('details.orders')}</h4>
          <ul>
            {orders.map((o) => (
              <li key={o.number} class="order">
                <span class="order-number">{o.number}</span>
                <span class="order-status">{o.status}</span>
                <span class="order-total">{formatMoney(locale, o.total, o.currency)}</span>
                {o.deliveredAt && (
                  <span class="muted order-delivered">
                    {t('details.delivered')}{' '}
                    <time dateTime={o.deliveredAt}>{fullTime(locale, o.deliveredAt)}</time>
                  </span>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}

      <section class="history">
        <h4>{t('details.history')}</h4>
        {props.history === null ? (
          <p class="muted">{t('details.historyLoading')}</p>
        ) : props.history.length === 0 ? (
          <p class="muted">{t('details.historyNone')}</p>
        ) : (
          <ul>
            {props.history.map((h) => (
              <li key={h.id}>
                <a href={`#/c/${h.id}`} class="history-link">
                  <span class="history-top">
                    <span class={`status status--${h.status}`}>{t(`status.${h.status}` as MessageKey)}</span>
                    <span class="history-channel">{t(`channel.${h.channel}` as MessageKey)}</span>
                    <time dateTime={h.createdAt} title={fullTime(locale, h.createdAt)}>
                      {relativeTime(t, locale, h.createdAt, now)}
                    </time>
                  </span>
                  <span class="history-preview">{h.preview || dash}</span>
                </a>
              </li>
            ))}
          </ul>
        )}
      </section>

      {events.length > 0 && (
        <section class="activity">
          <h4>{t('details.activity')}</h4>
          <ol>
            {events.map((e) => (
              <li key={e.id}>
                <span>
                  {t(eventLabel(e))}
                  {e.type === 'handoff' &&
                    typeof e.data.reason === 'string' &&
                    ` · ${reasonLabel(t, e.data.reason)}`}
                  {(e.type === 'csat' || e.type === 'agent_effort') &&
                    typeof e.data.score === 'number' &&
                    ` · ${t('details.outOf5', { score: e.data.score })}`}
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

/** The activity line of one audit event; an assignment says whether it was a take-over or automatic. */
function eventLabel(e: { type: string; data: Record<string, unknown> }): MessageKey {
  if (e.type === 'assigned' && e.data.takeOver === true) return 'event.taken_over'
  if (e.type === 'assigned' && e.data.auto === true) return 'event.assigned_auto'
  return `event.${e.type}` as MessageKey
}
