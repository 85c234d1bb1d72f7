import type { AgentProfile, ConversationSummary } from '../../../../shared/protocol.ts'
import { contactName } from '../format.ts'
import type { MessageKey } from '../i18n.ts'
import type { CurrentConversation } from '../store.ts'
import { ActionCards } from './action-card.tsx'
import { Composer } from './composer.tsx'
import { useI18n } from './context.ts'
import { Details } from './details.tsx'
import { Transcript } from './transcript.tsx'

interface Props {
  current: CurrentConversation
  /** Null until the relay answered the open (or when it refused it). */
  summary: ConversationSummary | null
  agent: AgentProfile
  now: number
  onClaim(): void
  onResolve(): void
  onSend(text: string): void
  onRetry(clientId: string): void
  onDismiss(): void
  /** Approve or reject a pending bot action (action-card.tsx). */
  onDecide(actionId: string, approve: boolean, note: string): void
}

/** The right column: who, status and actions on top, the transcript, the reply box, the details. */
export function ConversationView(props: Props) {
  const { t, error: describe } = useI18n()
  const { current, summary: c, agent } = props

  if (!c) {
    return (
      <section class="conversation conversation--placeholder" aria-busy={current.loading}>
        <a class="back-link" href="#/">
          {t('conversation.back')}
        </a>
        <p class="placeholder-text">{current.error ? describe(current.error) : t('conversation.loading')}</p>
      </section>
    )
  }

  const name = contactName(t, c)
  const owned = c.status === 'assigned' && c.assignee?.id === agent.id
  const hint = owned
    ? null
    : c.status === 'resolved'
      ? t('conversation.hint.resolved')
      : c.status === 'assigned' && c.assignee
        ? t('conversation.hint.other', { name: c.assignee.name })
        : t('conversation.hint.nobody')

  return (
    <section class="conversation" aria-labelledby="conversation-title">
      <div class="conversation-main">
        <header class="conversation-head">
          <a class="back-link" href="#/">
            {t('conversation.back')}
          </a>
          <div class="conversation-who">
            <h2 id="conversation-title">{name}</h2>
            <div class="conversation-sub">
              <span class={`status status--${c.status}`} data-testid="conversation-status">
                {t(`status.${c.status}` as MessageKey)}
              </span>
              <span class="muted">{t(`channel.${c.channel}` as MessageKey)}</span>
            </div>
          </div>
          <div class="conversation-actions">
            {!owned && (
              <button
                type="button"
                class="btn btn--primary"
                disabled={current.busy !== null}
                aria-busy={current.busy === 'claim'}
                onClick={props.onClaim}
              >
                {t('conversation.takeOver')}
              </button>
            )}
            <button
              type="button"
              class="btn"
              disabled={current.busy !== null || c.status === 'resolved'}
              aria-busy={current.busy === 'resolve'}
              onClick={props.onResolve}
            >
              {t('conversation.resolve')}
            </button>
          </div>
        </header>
        {current.notice && (
          <div class="notice">
            <p role="alert">{describe(current.notice)}</p>
            <button type="button" class="link-button" onClick={props.onDismiss}>
              {t('notice.dismiss')}
            </button>
          </div>
        )}
        <ActionCards
          actions={current.actions}
          deciding={current.deciding}
          error={current.decideError}
          now={props.now}
          onDecide={props.onDecide}
        />
        <Transcript
          messages={current.messages}
          drafts={current.drafts}
          outbox={current.outbox}
          contactName={name}
          agentName={agent.name}
          now={props.now}
          onRetry={props.onRetry}
          review={{ siteId: c.siteId, conversationId: c.id, events: current.events, agentName: agent.name }}
        />
        <Composer key={c.id} hint={hint} onSend={props.onSend} />
      </div>
      <Details conversation={c} events={current.events} agentId={agent.id} now={props.now} />
    </section>
  )
}
