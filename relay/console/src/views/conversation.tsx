import { useState } from 'preact/hooks'
import type { AgentSummary, Macro, Team } from '../../../../shared/helpdesk.ts'
import type { AgentProfile, ConversationSummary, Priority } from '../../../../shared/protocol.ts'
import { useEmailThread } from '../email/use-email-thread.ts'
import { contactName } from '../format.ts'
import type { Person, TypingEntry } from '../helpdesk/collision.ts'
import type { AssignTarget } from '../helpdesk/intents.ts'
import { type MacroActions, macroContext } from '../helpdesk/macros.ts'
import type { MessageKey } from '../i18n.ts'
import { PRIORITIES } from '../inbox.ts'
import type { CurrentConversation } from '../store.ts'
import { ActionCards } from './action-card.tsx'
import { AssignMenu } from './assign-menu.tsx'
import { CollisionBar } from './collision-bar.tsx'
import { Composer, type ComposerCommand } from './composer.tsx'
import { useI18n } from './context.ts'
import { Details } from './details.tsx'
import { EffortPrompt, effortAsked } from './effort-prompt.tsx'
import { MenuButton } from './menu.tsx'
import { SlaBadge } from './sla-badge.tsx'
import { TagEditor } from './tag-editor.tsx'
import { Transcript } from './transcript.tsx'
import { TransferDialog } from './transfer-dialog.tsx'

/** What the helpdesk around a conversation knows: people, teams, macros, who else is here. */
export interface ConversationContext {
  agents: readonly AgentSummary[]
  teams: readonly Team[]
  macros: readonly Macro[]
  macrosLoaded: boolean
  viewers: readonly Person[]
  typing: readonly TypingEntry[]
  knownTags: readonly string[]
}

export interface ConversationIntents {
  onClaim(): void
  onResolve(): void
  /** The resolving agent's effort rating (1 low – 5 high). */
  onRateEffort(score: number): void
  onSend(text: string, internal: boolean, actions: MacroActions | null): void
  onRetry(clientId: string): void
  onDismiss(): void
  /** Approve or reject a pending bot action (action-card.tsx). */
  onDecide(actionId: string, approve: boolean, note: string): void
  onAssign(target: AssignTarget): Promise<boolean>
  onUnassign(): void
  onUpdate(patch: { priority?: Priority; tags?: string[] }): void
  onTyping(internal: boolean): void
  onExpireTyping(): void
}

interface Props extends ConversationIntents {
  current: CurrentConversation
  /** Null until the relay answered the open (or when it refused it). */
  summary: ConversationSummary | null
  agent: AgentProfile
  context: ConversationContext
  composerCommand: ComposerCommand | null
  now: number
}

/** The right column: who, status and actions on top, the transcript, the composer, the customer sidebar. */
export function ConversationView(props: Props) {
  const { t, error: describe } = useI18n()
  const { current, summary: c, agent, context } = props
  const [transferring, setTransferring] = useState(false)
  const emails = useEmailThread(
    current.id,
    c !== null && (c.channel === 'email' || (c.channel === 'web' && c.contact.email !== null)),
    c?.lastSeq ?? 0,
  )

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
  const busy = current.busy !== null
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
              <span class="channel">{t(`channel.${c.channel}` as MessageKey)}</span>
              <MenuButton
                class="priority-menu"
                label={t('priority.label', { priority: t(`priority.${c.priority}` as MessageKey) })}
                disabled={busy}
                align="start"
                groups={[
                  {
                    label: t('details.priority'),
                    items: PRIORITIES.map((p) => ({
                      id: p,
                      checked: p === c.priority,
                      label: (
                        <span class={`priority priority--${p}`}>{t(`priority.${p}` as MessageKey)}</span>
                      ),
                      name: t(`priority.${p}` as MessageKey),
                      onSelect: () => p !== c.priority && props.onUpdate({ priority: p }),
                    })),
                  },
                ]}
              >
                <span class={`priority priority--${c.priority}`} data-testid="conversation-priority">
                  {t(`priority.${c.priority}` as MessageKey)}
                </span>
              </MenuButton>
              <SlaBadge sla={c.sla} now={props.now} long />
            </div>
          </div>
          <div class="conversation-actions">
            <AssignMenu
              conversation={c}
              agents={context.agents}
              teams={context.teams}
              selfId={agent.id}
              disabled={busy}
              onAgent={(agentId) => void props.onAssign({ agentId })}
              onTeam={(teamId) => void props.onAssign({ teamId })}
              onUnassign={props.onUnassign}
            />
            <button type="button" class="btn" disabled={busy} onClick={() => setTransferring(true)}>
              {t('transfer.button')}
            </button>
            {!owned && (
              <button
                type="button"
                class="btn btn--primary"
                disabled={busy}
                aria-busy={current.busy === 'claim'}
                onClick={props.onClaim}
              >
                {t('conversation.takeOver')}
              </button>
            )}
            <button
              type="button"
              class="btn"
              disabled={busy || c.status === 'resolved'}
              aria-busy={current.busy === 'resolve'}
              onClick={props.onResolve}
            >
              {t('conversation.resolve')}
            </button>
          </div>
        </header>
        <div class="conversation-strip">
          <TagEditor
            tags={c.tags ?? []}
            known={context.knownTags}
            disabled={busy}
            onChange={(tags) => props.onUpdate({ tags })}
          />
          <CollisionBar viewers={context.viewers} typing={context.typing} onExpire={props.onExpireTyping} />
        </div>
        {effortAsked(c, agent.id) && <EffortPrompt busy={busy} onRate={props.onRateEffort} />}
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
          emails={{ conversationId: c.id, byMessage: emails }}
          deliveries={current.deliveries}
          review={{ siteId: c.siteId, conversationId: c.id, events: current.events, agentName: agent.name }}
        />
        {c.replyWindowEndsAt && Date.parse(c.replyWindowEndsAt) <= props.now && (
          <p class="window-closed" role="status">
            {t(
              c.channel === 'messenger' ? 'conversation.windowClosedMessenger' : 'conversation.windowClosed',
            )}
          </p>
        )}
        <Composer
          key={c.id}
          canReply={owned}
          hint={hint}
          {...(c.channel !== 'web' && {
            replyPlaceholder:
              c.channel === 'email' && c.contact.email
                ? t('composer.replyByEmail', { address: c.contact.email })
                : t(`composer.replyOn.${c.channel}` as MessageKey),
          })}
          macros={context.macros.filter((m) => m.siteId === c.siteId)}
          macrosLoaded={context.macrosLoaded}
          macroContext={macroContext(c, current.actions, agent.name)}
          command={props.composerCommand}
          onSend={props.onSend}
          onTyping={props.onTyping}
        />
      </div>
      <Details
        conversation={c}
        events={current.events}
        actions={current.actions}
        history={current.history}
        agents={context.agents}
        teams={context.teams}
        agentId={agent.id}
        now={props.now}
      />
      {transferring && (
        <TransferDialog
          agents={context.agents}
          teams={context.teams}
          selfId={agent.id}
          busy={current.busy === 'assign'}
          error={current.notice && current.busy === null ? describe(current.notice) : null}
          onClose={() => setTransferring(false)}
          onTransfer={(target) =>
            void props.onAssign(target).then((ok) => {
              if (ok) setTransferring(false)
            })
          }
        />
      )}
    </section>
  )
}
