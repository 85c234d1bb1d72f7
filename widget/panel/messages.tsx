/** The conversation log: greeting, stored messages, bot drafts and the shopper's pending messages. */
import type { ComponentChildren } from 'preact'
import { useLayoutEffect, useRef } from 'preact/hooks'
import type { Author, Message, Source } from '../../shared/protocol.ts'
import type { Strings } from './i18n.ts'
import { type ChatState, type Draft, type Pending, showGreeting } from './store.ts'

interface ListProps {
  state: ChatState
  t: Strings
  /** Base for relative source links. */
  relayUrl: string
  onDiscard(clientId: string): void
}

export function MessageList({ state, t, relayUrl, onDiscard }: ListProps) {
  const log = useRef<HTMLDivElement>(null)
  const stick = useRef(true)
  const { messages, drafts, pending, botName } = state
  const lastDraft = drafts[drafts.length - 1]

  // Follow new messages unless the shopper scrolled up to read.
  useLayoutEffect(() => {
    const el = log.current
    if (el && (stick.current || pending.length > 0)) el.scrollTop = el.scrollHeight
  }, [messages.length, pending.length, drafts.length, lastDraft?.text, state.open])

  const onScroll = (): void => {
    const el = log.current
    if (el) stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 48
  }

  return (
    <div
      class="log"
      role="log"
      aria-live="polite"
      aria-label={t.messages}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
      tabIndex={0}
      ref={log}
      onScroll={onScroll}
    >
      {showGreeting(state) && state.greeting !== null && (
        <Item author="bot" name={botName} t={t} showMeta>
          <div class="bubble">{state.greeting}</div>
        </Item>
      )}
      {messages.map((m, i) => (
        <StoredMessage
          key={m.id}
          message={m}
          previous={messages[i - 1]}
          botName={botName}
          t={t}
          base={relayUrl}
        />
      ))}
      {drafts.map((d) => (
        <DraftMessage key={d.draftId} draft={d} botName={botName} t={t} />
      ))}
      {pending.map((p) => (
        <PendingMessage key={p.clientId} pending={p} t={t} onDiscard={onDiscard} />
      ))}
    </div>
  )
}

interface ItemProps {
  author: Author
  name: string | null
  t: Strings
  showMeta: boolean
  class?: string
  busy?: boolean
  title?: string
  children: ComponentChildren
}

/** One message element: `data-author` always, a visible author line for bot and agent. */
function Item({ author, name, t, showMeta, class: extra, busy, title, children }: ItemProps) {
  return (
    <div
      class={`msg ${author}${showMeta ? ' first' : ''}${extra ? ` ${extra}` : ''}`}
      data-author={author}
      aria-busy={busy ? 'true' : undefined}
      title={title}
    >
      {author === 'bot' ? (
        <div class={showMeta ? 'meta' : 'meta sr'}>
          <span class="who">{name ?? t.agent}</span>
          <span class="tag">{t.automated}</span>
        </div>
      ) : author === 'agent' ? (
        <div class={showMeta ? 'meta' : 'meta sr'}>
          <span class="who">{name ?? t.agent}</span>
        </div>
      ) : author === 'contact' ? (
        <span class="sr">{t.you}: </span>
      ) : null}
      {children}
    </div>
  )
}

function StoredMessage(props: {
  message: Message
  previous: Message | undefined
  botName: string | null
  t: Strings
  base: string
}) {
  const { message: m, previous: p, t } = props
  const name = m.authorName ?? (m.author === 'bot' ? props.botName : null)
  const showMeta = !p || p.author !== m.author || p.authorName !== m.authorName
  const at = new Date(m.createdAt)
  return (
    <Item
      author={m.author}
      name={name}
      t={t}
      showMeta={showMeta}
      title={Number.isNaN(at.getTime()) ? undefined : at.toLocaleString()}
    >
      <div class="bubble">{m.text}</div>
      {m.sources.length > 0 && <Sources sources={m.sources} t={t} base={props.base} />}
    </Item>
  )
}

function Sources({ sources, t, base }: { sources: Source[]; t: Strings; base: string }) {
  return (
    <div class="sources">
      <span class="label">{t.sources}</span>
      <ul>
        {sources.map((s) => {
          const href = safeUrl(s.url, base)
          return (
            <li key={s.slug}>
              {href ? (
                <a href={href} target="_blank" rel="noopener">
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
  )
}

function DraftMessage({ draft, botName, t }: { draft: Draft; botName: string | null; t: Strings }) {
  return (
    <Item author="bot" name={botName} t={t} showMeta class="draft" busy>
      <div class="bubble">
        {draft.text || (
          <span class="dots" role="img" aria-label={t.writing}>
            <i />
            <i />
            <i />
          </span>
        )}
      </div>
    </Item>
  )
}

function PendingMessage({
  pending: p,
  t,
  onDiscard,
}: {
  pending: Pending
  t: Strings
  onDiscard(id: string): void
}) {
  const hint = p.state === 'sending' ? t.sending : p.state === 'retrying' ? t.willRetry : t.failed
  return (
    <Item author="contact" name={null} t={t} showMeta={false} class={`pending ${p.state}`}>
      <div class="bubble">{p.text}</div>
      <div class="hint">
        {hint}
        {p.state === 'failed' && (
          <button type="button" class="link" onClick={() => onDiscard(p.clientId)}>
            {t.discard}
          </button>
        )}
      </div>
    </Item>
  )
}

/** Only http(s) links leave the widget; anything else (e.g. `javascript:`) is shown as text. */
export function safeUrl(url: string | null, base: string): string | null {
  if (!url) return null
  try {
    const parsed = new URL(url, base)
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null
  } catch {
    return null
  }
}
