import type { ComponentChildren } from 'preact'
import { useEffect, useRef, useState } from 'preact/hooks'
import type { Team } from '../../../../shared/helpdesk.ts'
import type { ConversationSummary } from '../../../../shared/protocol.ts'
import { contactName, fullTime, initials, reasonLabel, relativeTime } from '../format.ts'
import { slaView } from '../helpdesk/sla.ts'
import type { MessageKey } from '../i18n.ts'
import {
  CHANNELS,
  INBOX_VIEWS,
  type InboxCounts,
  type InboxFilters,
  type InboxView,
  PRIORITIES,
} from '../inbox.ts'
import type { UiError } from '../store.ts'
import { useI18n } from './context.ts'
import { SlaBadge } from './sla-badge.tsx'

interface Props {
  view: InboxView
  filters: InboxFilters
  conversations: readonly ConversationSummary[]
  counts: InboxCounts
  tags: readonly string[]
  teams: readonly Team[]
  loading: boolean
  loaded: boolean
  error: UiError | null
  selectedId: string | null
  agentId: string | null
  now: number
  onView(view: InboxView): void
  onFilters(filters: InboxFilters): void
}

/** The left column: the views with live counts, the filters, and the conversation list. */
export function Inbox(props: Props) {
  const { t, error: describe } = useI18n()
  const { view, conversations, filters } = props
  const tabRefs = useRef<Partial<Record<InboxView, HTMLButtonElement | null>>>({})
  const active = Object.values(filters).filter(Boolean).length
  const [showFilters, setShowFilters] = useState(active > 0)
  const list = useRef<HTMLDivElement>(null)

  // j / k move the selection: keep the selected row in sight.
  useEffect(() => {
    if (!props.selectedId) return
    const row = list.current?.querySelector(`[data-conversation="${CSS.escape(props.selectedId)}"]`)
    row?.scrollIntoView({ block: 'nearest' })
  }, [props.selectedId])

  // Arrow keys move between views (the WAI-ARIA tabs pattern); selection follows focus.
  const onTabKey = (e: KeyboardEvent) => {
    const i = INBOX_VIEWS.indexOf(view)
    const last = INBOX_VIEWS.length - 1
    const moves: Record<string, number> = {
      ArrowRight: i === last ? 0 : i + 1,
      ArrowLeft: i === 0 ? last : i - 1,
      Home: 0,
      End: last,
    }
    const target = INBOX_VIEWS[moves[e.key] ?? -1]
    if (!target) return
    e.preventDefault()
    props.onView(target)
    tabRefs.current[target]?.focus()
  }

  const setFilter = <K extends keyof InboxFilters>(key: K, value: string) => {
    const next: InboxFilters = { ...filters }
    if (value === '') delete next[key]
    else next[key] = value as InboxFilters[K]
    props.onFilters(next)
  }

  return (
    <nav class="inbox" aria-labelledby="inbox-title">
      <div class="inbox-head">
        <h2 id="inbox-title">{t('inbox.title')}</h2>
        <button
          type="button"
          class={active > 0 ? 'btn btn--small btn--active' : 'btn btn--small btn--ghost'}
          aria-expanded={showFilters}
          aria-controls="inbox-filters"
          onClick={() => setShowFilters(!showFilters)}
        >
          {active > 0 ? t('filters.buttonActive', { count: active }) : t('filters.button')}
        </button>
      </div>
      <div class="tabs" role="tablist" aria-label={t('inbox.views')} onKeyDown={onTabKey}>
        {INBOX_VIEWS.map((name) => (
          <button
            key={name}
            ref={(el) => {
              tabRefs.current[name] = el
            }}
            type="button"
            role="tab"
            id={`tab-${name}`}
            class="tab"
            aria-selected={name === view}
            aria-controls="inbox-list"
            tabIndex={name === view ? 0 : -1}
            onClick={() => props.onView(name)}
          >
            {t(`view.${name}` as MessageKey)}
            <span
              class={
                name === 'unassigned' && props.counts[name] > 0 ? 'tab-count tab-count--hot' : 'tab-count'
              }
            >
              {props.counts[name]}
            </span>
          </button>
        ))}
      </div>
      {showFilters && (
        <fieldset id="inbox-filters" class="filters">
          <legend class="visually-hidden">{t('filters.legend')}</legend>
          <FilterSelect
            label={t('filters.channel')}
            value={filters.channel}
            onChange={(v) => setFilter('channel', v)}
          >
            {CHANNELS.map((c) => (
              <option key={c} value={c}>
                {t(`channel.${c}` as MessageKey)}
              </option>
            ))}
          </FilterSelect>
          <FilterSelect
            label={t('filters.priority')}
            value={filters.priority}
            onChange={(v) => setFilter('priority', v)}
          >
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {t(`priority.${p}` as MessageKey)}
              </option>
            ))}
          </FilterSelect>
          <FilterSelect label={t('filters.tag')} value={filters.tag} onChange={(v) => setFilter('tag', v)}>
            {[...new Set([...(filters.tag ? [filters.tag] : []), ...props.tags])].map((tag) => (
              <option key={tag} value={tag}>
                {tag}
              </option>
            ))}
          </FilterSelect>
          <FilterSelect
            label={t('filters.team')}
            value={filters.teamId}
            onChange={(v) => setFilter('teamId', v)}
          >
            {props.teams.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </FilterSelect>
          {active > 0 && (
            <button type="button" class="link-button filters-clear" onClick={() => props.onFilters({})}>
              {t('filters.clear')}
            </button>
          )}
        </fieldset>
      )}
      <div
        ref={list}
        id="inbox-list"
        class="inbox-list"
        role="tabpanel"
        aria-labelledby={`tab-${view}`}
        aria-busy={props.loading}
      >
        {props.error && <p class="inbox-note inbox-note--error">{describe(props.error)}</p>}
        {conversations.length === 0 ? (
          <p class="inbox-note">
            {!props.loaded
              ? t('inbox.loading')
              : active > 0
                ? t('empty.filtered')
                : t(`empty.${view}` as MessageKey)}
          </p>
        ) : (
          <ul class="rows">
            {conversations.map((c) => (
              <li key={c.id}>
                <InboxRow
                  conversation={c}
                  selected={c.id === props.selectedId}
                  mine={c.assignee?.id === props.agentId}
                  teams={props.teams}
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

function FilterSelect(props: {
  label: string
  value: string | undefined
  onChange(value: string): void
  children: ComponentChildren
}) {
  const { t } = useI18n()
  return (
    <label class="filter">
      <span>{props.label}</span>
      <select value={props.value ?? ''} onChange={(e) => props.onChange(e.currentTarget.value)}>
        <option value="">{t('filters.any')}</option>
        {props.children}
      </select>
    </label>
  )
}

function InboxRow({
  conversation: c,
  selected,
  mine,
  teams,
  now,
}: {
  conversation: ConversationSummary
  selected: boolean
  mine: boolean
  teams: readonly Team[]
  now: number
}) {
  const { t, locale } = useI18n()
  const name = contactName(t, c)
  const sla = slaView(c.sla, now)
  const team = c.teamId ? (teams.find((x) => x.id === c.teamId)?.name ?? null) : null
  const classes = [
    'row',
    `row--${c.status}`,
    `row--${c.priority}`,
    selected ? 'row--selected' : '',
    sla && (sla.state === 'near_breach' || sla.state === 'breached') ? `row--sla-${sla.state}` : '',
  ]
  return (
    <a
      class={classes.filter(Boolean).join(' ')}
      href={`#/c/${c.id}`}
      aria-current={selected ? 'page' : undefined}
      data-conversation={c.id}
    >
      <span class="avatar" aria-hidden="true">
        {initials(name)}
      </span>
      <span class="row-main">
        <span class="row-top">
          <span class="row-name">{name}</span>
          {c.status !== 'resolved' && c.status !== 'bot' && sla ? (
            <SlaBadge sla={c.sla} now={now} />
          ) : (
            <time class="row-time" dateTime={c.updatedAt} title={fullTime(locale, c.updatedAt)}>
              {relativeTime(t, locale, c.updatedAt, now)}
            </time>
          )}
        </span>
        <span class="row-preview">{c.preview}</span>
        <span class="row-meta">
          <span class={`status status--${c.status}`}>{t(`status.${c.status}` as MessageKey)}</span>
          <span class={`priority priority--${c.priority}`}>{t(`priority.${c.priority}` as MessageKey)}</span>
          <span class="channel">{t(`channel.${c.channel}` as MessageKey)}</span>
          {c.status === 'resolved' && sla && <SlaBadge sla={c.sla} now={now} />}
          {c.status === 'queued' && c.handoffReason && (
            <span class="reason">{reasonLabel(t, c.handoffReason)}</span>
          )}
          {c.assignee ? (
            <span class={mine ? 'assignee assignee--mine' : 'assignee'}>{c.assignee.name}</span>
          ) : (
            team && <span class="assignee">{team}</span>
          )}
          {(c.tags ?? []).slice(0, 2).map((tag) => (
            <span key={tag} class="tag-chip">
              {tag}
            </span>
          ))}
        </span>
      </span>
    </a>
  )
}
