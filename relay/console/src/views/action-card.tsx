import { useState } from 'preact/hooks'
import type { ActionRequest } from '../../../../shared/policy.ts'
import { actionAmount, formatMoney } from '../actions.ts'
import { fullTime, relativeTime } from '../format.ts'
import type { MessageKey } from '../i18n.ts'
import type { UiError } from '../store.ts'
import { useI18n } from './context.ts'
import './actions.css'

interface Props {
  actions: readonly ActionRequest[]
  /** The action whose decision is in flight. */
  deciding: string | null
  error: UiError | null
  now: number
  onDecide(actionId: string, approve: boolean, note: string): void
}

/** The bot's action requests in this conversation: pending ones with Approve / Reject, the rest as a record. */
export function ActionCards({ actions, deciding, error, now, onDecide }: Props) {
  const { t } = useI18n()
  if (actions.length === 0) return null
  return (
    <section class="action-cards" aria-label={t('action.section')}>
      {actions.map((a) => (
        <ActionCard
          key={a.id}
          action={a}
          busy={deciding === a.id}
          disabled={deciding !== null}
          error={deciding === null && error ? error : null}
          now={now}
          onDecide={onDecide}
        />
      ))}
    </section>
  )
}

const INPUT_KEYS = ['orderNumber', 'amount', 'email', 'reason', 'details'] as const

function inputValue(value: unknown): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return JSON.stringify(value)
}

function ActionCard(props: {
  action: ActionRequest
  busy: boolean
  disabled: boolean
  error: UiError | null
  now: number
  onDecide: Props['onDecide']
}) {
  const { t, locale, error: describe } = useI18n()
  const { action: a } = props
  const [note, setNote] = useState('')
  const money = actionAmount(a)
  const order = a.facts?.order?.number ?? inputValue(a.input.orderNumber ?? '')
  const pending = a.status === 'pending'
  const titleId = `action-${a.id}`
  return (
    <article
      class={`action-card action-card--${a.status}`}
      data-testid="action-card"
      data-status={a.status}
      aria-labelledby={titleId}
    >
      <header class="action-card-head">
        <h3 id={titleId}>
          {t(`action.type.${a.type}` as MessageKey)}
          {a.type === 'refund' && money && ` · ${formatMoney(locale, money.amount, money.currency)}`}
          {` · ${t('action.order', { number: order })}`}
        </h3>
        <span class={`action-status action-status--${a.status}`}>
          {t(`action.status.${a.status}` as MessageKey)}
        </span>
      </header>
      <dl class="action-inputs">
        {INPUT_KEYS.filter((k) => a.input[k] !== undefined).map((k) => (
          <div key={k}>
            <dt>{t(`action.input.${k}` as MessageKey)}</dt>
            <dd>{inputValue(a.input[k])}</dd>
          </div>
        ))}
      </dl>
      <p class="action-reason">
        <span class="action-reason-label">{t('action.policy')}</span> {a.reason}
      </p>
      {pending ? (
        <div class="action-decide">
          <label class="action-note">
            <span>{t('action.note')}</span>
            <input
              type="text"
              maxLength={500}
              value={note}
              disabled={props.disabled}
              onInput={(e) => setNote(e.currentTarget.value)}
            />
          </label>
          <div class="action-buttons">
            <button
              type="button"
              class="btn btn--primary"
              disabled={props.disabled}
              aria-busy={props.busy}
              onClick={() => props.onDecide(a.id, true, note)}
            >
              {t('action.approve')}
            </button>
            <button
              type="button"
              class="btn"
              disabled={props.disabled}
              aria-busy={props.busy}
              onClick={() => props.onDecide(a.id, false, note)}
            >
              {t('action.reject')}
            </button>
          </div>
          {props.error && <p role="alert">{describe(props.error)}</p>}
        </div>
      ) : (
        <p class="action-outcome" role="status">
          {a.decidedBy
            ? t(a.status === 'approved' ? 'action.approvedBy' : 'action.rejectedBy', {
                name: a.decidedBy.name,
              })
            : t(a.status === 'executed' ? 'action.doneByBot' : 'action.refusedByPolicy')}
          {a.note && `: ${a.note}`}
          {typeof a.result?.reference === 'string' &&
            ` · ${t('action.reference', { reference: a.result.reference })}`}
          {' · '}
          <time dateTime={a.updatedAt} title={fullTime(locale, a.updatedAt)}>
            {relativeTime(t, locale, a.updatedAt, props.now)}
          </time>
        </p>
      )}
    </article>
  )
}
