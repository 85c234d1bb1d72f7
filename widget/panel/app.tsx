/** The panel's views: presentational, reading the store's state and calling the chat's actions. */
import { useEffect, useReducer, useRef, useState } from 'preact/hooks'
import type { MAX_MESSAGE_LENGTH } from '../../shared/protocol.ts'
import type { Chat } from './chat.ts'
import { CsatPrompt } from './csat-view.tsx'
import type { Help } from './help.ts'
import type { HelpState } from './help-store.ts'
import { HelpPane, SearchField } from './help-view.tsx'
import { format, type Strings } from './i18n.ts'
import { MessageList } from './messages.tsx'
import { awayShown, type ChatState, type ChatStore, csatShown } from './store.ts'

const MAX_LENGTH: typeof MAX_MESSAGE_LENGTH = 4000

interface AppProps {
  chat: Chat
  help: Help
  t: Strings
  relayUrl: string
  /** The shopper's language, for dates (`back at …`). */
  locale?: string | undefined
  onClose(): void
}

function useChatState(store: ChatStore): ChatState {
  const [, rerender] = useReducer((n: number) => n + 1, 0)
  useEffect(() => {
    const unsubscribe = store.subscribe(() => rerender(0))
    rerender(0)
    return unsubscribe
  }, [store])
  return store.getState()
}

function useHelpState(help: Help): HelpState {
  const [, rerender] = useReducer((n: number) => n + 1, 0)
  useEffect(() => help.store.subscribe(() => rerender(0)), [help])
  return help.store.getState()
}

export function App({ chat, help, t, relayUrl, locale, onClose }: AppProps) {
  const state = useChatState(chat.store)
  const helpState = useHelpState(help)
  const chatShown = helpState.view === 'chat'
  return (
    <section
      class="panel"
      role="dialog"
      aria-label={t.dialogLabel}
      hidden={!state.open}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault()
          onClose()
        }
      }}
    >
      <header class="head">
        <div class="avatar">
          <svg viewBox="0 0 24 24" aria-hidden="true">
            <path d="M21 12a8 8 0 0 1-11.6 7.1L4 20.5l1.4-4.9A8 8 0 1 1 21 12Z" />
          </svg>
        </div>
        <div class="titles">
          <h2>{t.title}</h2>
          <p>{t.subtitle}</p>
        </div>
        <button type="button" class="close" aria-label={t.close} onClick={onClose}>
          <svg viewBox="0 0 24 24" aria-hidden="true">
            <path d="M6 6l12 12M18 6 6 18" />
          </svg>
        </button>
      </header>
      <SearchField help={help} state={helpState} t={t} />
      {!chatShown && <HelpPane help={help} state={helpState} t={t} relayUrl={relayUrl} />}
      {/* Hidden, not unmounted, while help articles show: the draft and the scroll position stay. */}
      <div class="chat" hidden={!chatShown}>
        <div class="banner" role="status">
          {banner(state, t)}
        </div>
        <MessageList state={state} t={t} relayUrl={relayUrl} onDiscard={chat.discard} />
        {awayShown(state) && <AwayNotice state={state} t={t} locale={locale} onLeave={chat.leaveEmail} />}
        {csatShown(state) && (
          <CsatPrompt key={state.conversation?.id} state={state} t={t} onRate={chat.rate} />
        )}
        <p class="status" role="status">
          {statusLine(state, t)}
        </p>
        <Composer
          t={t}
          disabled={state.connection === 'refused'}
          onSend={chat.send}
          open={state.open && chatShown}
        />
      </div>
    </section>
  )
}

function banner(state: ChatState, t: Strings): string {
  if (state.connection === 'refused') {
    const key = `refused_${state.refusal}` as keyof Strings
    return key in t ? t[key] : t.refused
  }
  if (state.offline) return t.offline
  if (state.connection === 'reconnecting') return t.reconnecting
  if (state.connection === 'connecting') return t.connecting
  return ''
}

function statusLine(state: ChatState, t: Strings): string {
  const c = state.conversation
  if (c?.status === 'queued') return t.queued
  if (c?.status === 'assigned')
    return c.assigneeName ? format(t.assigned, { name: c.assigneeName }) : t.assignedUnknown
  if (c?.status === 'resolved') return t.resolved
  return ''
}

/** When a person will be back, in the shopper's language and time zone. */
function backAt(iso: string, locale: string | undefined): string {
  const options: Intl.DateTimeFormatOptions = { weekday: 'long', hour: 'numeric', minute: '2-digit' }
  try {
    return new Date(iso).toLocaleString(locale, options)
  } catch {
    // An unusable locale tag: the browser's own.
    return new Date(iso).toLocaleString(undefined, options)
  }
}

interface AwayProps {
  state: ChatState
  t: Strings
  locale: string | undefined
  onLeave(email: string): Promise<void>
}

/** Nobody can answer now: when they will, and an email address for the reply. */
function AwayNotice({ state, t, locale, onLeave }: AwayProps) {
  const [email, setEmail] = useState('')
  const { availability, email: left } = state
  const back = availability?.backAt
  const text = back ? format(t.awayBack, { time: backAt(back, locale) }) : t.away
  if (left.state === 'saved' && left.address) {
    return (
      <div class="away" role="status">
        {format(t.emailSaved, { email: left.address })}
      </div>
    )
  }
  return (
    <form
      class="away"
      aria-label={t.leaveEmail}
      onSubmit={(e) => {
        e.preventDefault()
        if (email.trim() && left.state !== 'sending') void onLeave(email.trim())
      }}
    >
      <p>{text}</p>
      <div class="away-row">
        <input
          type="email"
          aria-label={t.email}
          placeholder={t.emailPlaceholder}
          autocomplete="email"
          required
          value={email}
          onInput={(e) => setEmail(e.currentTarget.value)}
        />
        <button type="submit" disabled={left.state === 'sending'}>
          {t.saveEmail}
        </button>
      </div>
      {left.state === 'failed' && (
        <p class="away-error" role="alert">
          {t.emailFailed}
        </p>
      )}
    </form>
  )
}

interface ComposerProps {
  t: Strings
  disabled: boolean
  onSend(text: string): boolean
  /** Focus moves to the textbox whenever the panel opens. */
  open: boolean
}

function Composer({ t, disabled, onSend, open }: ComposerProps) {
  const [text, setText] = useState('')
  const input = useRef<HTMLTextAreaElement>(null)
  const canSend = !disabled && text.trim().length > 0

  useEffect(() => {
    if (open) input.current?.focus()
  }, [open])

  useEffect(() => {
    if (!text && input.current) input.current.style.height = ''
  }, [text])

  const submit = (event?: Event): void => {
    event?.preventDefault()
    if (canSend && onSend(text.trim())) setText('')
  }

  return (
    <form class="composer" onSubmit={submit}>
      <textarea
        ref={input}
        aria-label={t.message}
        placeholder={t.placeholder}
        rows={1}
        maxLength={MAX_LENGTH}
        value={text}
        disabled={disabled}
        onInput={(e) => {
          const el = e.currentTarget
          setText(el.value)
          // Grow with the text up to the CSS max-height, then scroll.
          el.style.height = 'auto'
          el.style.height = `${el.scrollHeight}px`
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault()
            submit()
          }
        }}
      />
      <button type="submit" class="send" aria-label={t.send} disabled={!canSend}>
        <svg viewBox="0 0 24 24" aria-hidden="true">
          <path d="M4 12 20 4l-6 16-2.5-6.5L4 12Z" />
        </svg>
      </button>
    </form>
  )
}
