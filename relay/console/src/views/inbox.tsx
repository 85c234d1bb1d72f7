import { useRef } from 'preact/hooks'
import type { ConversationSummary } from '../../../../shared/protocol.ts'
import { contactName, fullTime, initials, reasonLabel, relativeTime } from '../format.ts'
import type { MessageKey } from '../i18n.ts'
import { INBOX_TABS, type InboxTab } from '../inbox.ts'
import type { UiError } from '../store.ts'
import { useI18n } from './context.ts'

interface Props {
  tab: InboxTab
  conversations: readonly ConversationSummary[]
  queuedCount: number
  loading: boolean
  loaded: boolean
  error: UiError | null
  selectedId: string | null
  agentId: string | null
  now: number
  onTab(tab: InboxTab): void
}

/** The left column: filter tabs and the conversation list, newest first. */
export function Inbox(props: Props) {
  const { t, error: describe } = useI18n()
  const { tab, conversations } = props
  const tabRefs = useRef<Partial<Record<InboxTab, HTMLButtonElement | null>>>({})

  // Arrow keys move between tabs (the WAI-ARIA tabs pattern); selection follows focus.
  const onTabKey = (e: KeyboardEvent) => {
    const i = INBOX_TABS.indexOf(tab)
    const last = INBOX_TABS.length - 1
    const next =
      e.key === 'ArrowRight'
        ? i === last
          ? 0
          : i + 1
        : e.key === 'ArrowLeft'
          ? i === 0
            ? last
            : i - 1
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? last
              : -1
    const target = INBOX_TABS[next]
    if (!target) return
    e.preventDefault()
    props.onTab(target)
    tabRefs.current[target]?.focus()
  }

  return (
    <nav class="inbox" aria-labelledby="inbox-title">
      <div class="inbox-head">
        <h2 id="inbox-title">{t('inbox.title')}</h2>
        {props.queuedCount > 0 && (
          <span class="queued-count">{t('inbox.queuedCount', { count: props.queuedCount })}</span>
        )}
      </div>
      <div class="tabs" role="tablist" aria-label={t('inbox.filters')} onKeyDown={onTabKey}>
        {INBOX_TABS.map((name) => (
          <button
            key={name}
            ref={(el) => {
              tabRefs.current[name] = el
            }}
            type="button"
            role="tab"
            id={`tab-${name}`}
            class="tab"
            aria-selected={name === tab}
            aria-controls="inbox-list"
            tabIndex={name === tab ? 0 : -1}
            onClick={() => props.onTab(name)}
          >
            {t(`tab.${name}` as MessageKey)}
            {name === 'queued' && props.queuedCount > 0 && (
              <span class="tab-count" aria-hidden="true">
                {props.queuedCount}
              </span>
            )}
          </button>
        ))}
      </div>
      <div
        id="inbox-list"
        class="inbox-list"
        role="tabpanel"
        aria-labelledby={`tab-${tab}`}
        aria-busy={props.loading}
      >
        {props.error && <p class="inbox-note inbox-note--error">{describe(props.error)}</p>}
        {conversations.length === 0 ? (
          <p class="inbox-note">{t(props.loaded ? (`empty.${tab}` as MessageKey) : 'inbox.loading')}</p>
        ) : (
          <ul class="rows">
            {conversations.map((c) => (
              <li key={c.id}>
                <InboxRow
                  conversation={c}
                  selected={c.id === props.selectedId}
                  mine={c.assignee?.id === props.agentId}
                  now={props.now}
                />
              </li>
            ))}
          </ul>
        )}
      </div>
    </nav>
  )
}

function InboxRow({
  conversation: c,
  selected,
  mine,
  now,
}: {
  conversation: ConversationSummary
  selected: boolean
  mine: boolean
  now: number
}) {
  const { t, locale } = useI18n()
  const name = contactName(t, c)
  const classes = ['row', `row--${c.status}`, selected ? 'row--selected' : '', `row--${c.priority}`]
  return (
    <a class={classes.join(' ')} href={`#/c/${c.id}`} aria-current={selected ? 'page' : undefined}>
      <span class="avatar" aria-hidden="true">
        {initials(name)}
      </span>
      <span class="row-main">
        <span class="row-top">
          <span class="row-name">{name}</span>
          <time class="row-time" dateTime={c.updatedAt} title={fullTime(locale, c.updatedAt)}>
            {relativeTime(t, locale, c.updatedAt, now)}
          </time>
        </span>
        <span class="row-preview">{c.preview}</span>
        <span class="row-meta">
          <span class={`status status--${c.status}`}>{t(`status.${c.status}` as MessageKey)}</span>
          {c.status === 'queued' && c.handoffReason && (
            <span class="reason">{reasonLabel(t, c.handoffReason)}</span>
          )}
          {(c.priority === 'urgent' || c.priority === 'high') && (
            <span class={`priority priority--${c.priority}`}>
              {t(`priority.${c.priority}` as MessageKey)}
            </span>
          )}
          {c.assignee && <span class={mine ? 'assignee assignee--mine' : 'assignee'}>{c.assignee.name}</span>}
        </span>
      </span>
    </a>
  )
}
