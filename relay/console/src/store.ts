/**
 * The console's state and every way it changes. Reducers are pure `(state, ...args) => state`
 * functions; `createStore` binds them to one mutable reference and notifies subscribers. No I/O,
 * no DOM, nothing runs at import time.
 */
import type { ActionRequest } from '../../../shared/policy.ts'
import type {
  AgentProfile,
  AuditEvent,
  ConversationDetail,
  ConversationSummary,
  ErrorCode,
  InboxFilter,
  Message,
  MessageDelta,
} from '../../../shared/protocol.ts'
import { mergeActions } from './actions.ts'
import { type InboxTab, isStale, matchesTab } from './inbox.ts'
import { mergeMessages } from './messages.ts'

/** A wire error, or one the console raises itself when the relay cannot be reached. */
export interface UiError {
  code: ErrorCode | 'network_error' | 'timeout'
  message: string
  details?: Record<string, unknown>
}

export type AuthStatus = 'checking' | 'signed_out' | 'signing_in' | 'signed_in'
export type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'disconnected'
export type ConversationAction = 'claim' | 'resolve'

/** A reply the agent sent that the relay has not acknowledged yet. */
export interface PendingMessage {
  clientId: string
  text: string
  createdAt: string
  state: 'sending' | 'failed'
  error: UiError | null
}

export interface CurrentConversation {
  id: string
  loading: boolean
  /** Why the conversation could not be opened. */
  error: UiError | null
  messages: readonly Message[]
  events: readonly AuditEvent[]
  /** Bot replies still being generated, by draft id. */
  drafts: Readonly<Record<string, string>>
  outbox: readonly PendingMessage[]
  /** A refused action (take over, resolve, send), shown until dismissed or the next action. */
  notice: UiError | null
  busy: ConversationAction | null
  /** The bot's action requests in this conversation, newest first (actions.ts). */
  actions: readonly ActionRequest[]
  /** The action an approve / reject is in flight for, and a refused decision. */
  deciding: string | null
  decideError: UiError | null
}

/** Where a sign-in page error came from: a refused sign-in, or a session that ended. */
export type AuthErrorSource = 'signIn' | 'session'

export interface ConsoleState {
  auth: {
    status: AuthStatus
    agent: AgentProfile | null
    error: UiError | null
    errorSource: AuthErrorSource | null
  }
  connection: { status: ConnectionStatus; error: UiError | null; everConnected: boolean }
  inbox: {
    tab: InboxTab
    byId: Readonly<Record<string, ConversationSummary>>
    /** Logical clock of the last change to each summary; protects fresh pushes from a slower list. */
    touched: Readonly<Record<string, number>>
    clock: number
    loading: boolean
    loaded: boolean
    error: UiError | null
  }
  current: CurrentConversation | null
}

export function initialState(): ConsoleState {
  return {
    auth: { status: 'checking', agent: null, error: null, errorSource: null },
    connection: { status: 'idle', error: null, everConnected: false },
    inbox: { tab: 'open', byId: {}, touched: {}, clock: 0, loading: false, loaded: false, error: null },
    current: null,
  }
}

function emptyCurrent(id: string): CurrentConversation {
  return {
    id,
    loading: true,
    error: null,
    messages: [],
    events: [],
    drafts: {},
    outbox: [],
    notice: null,
    busy: null,
    actions: [],
    deciding: null,
    decideError: null,
  }
}

type Inbox = ConsoleState['inbox']

function upsertInto(inbox: Inbox, incoming: readonly ConversationSummary[]): Inbox {
  const fresh = incoming.filter((c) => !isStale(c, inbox.byId[c.id]))
  if (fresh.length === 0) return inbox
  const byId = { ...inbox.byId }
  const touched = { ...inbox.touched }
  let clock = inbox.clock
  for (const c of fresh) {
    clock += 1
    byId[c.id] = c
    touched[c.id] = clock
  }
  return { ...inbox, byId, touched, clock }
}

/** Applies `fn` to the open conversation when it is `id`; otherwise leaves state alone. */
function onCurrent(
  s: ConsoleState,
  id: string,
  fn: (c: CurrentConversation) => CurrentConversation,
): ConsoleState {
  if (!s.current || s.current.id !== id) return s
  return { ...s, current: fn(s.current) }
}

function withoutPending(
  outbox: readonly PendingMessage[],
  clientId: string | null,
): readonly PendingMessage[] {
  if (clientId === null || !outbox.some((p) => p.clientId === clientId)) return outbox
  return outbox.filter((p) => p.clientId !== clientId)
}

function receive(c: CurrentConversation, messages: readonly Message[]): CurrentConversation {
  let outbox = c.outbox
  for (const m of messages) outbox = withoutPending(outbox, m.clientId)
  // A finished bot message supersedes whatever was streaming for it.
  const drafts = messages.some((m) => m.author === 'bot') ? {} : c.drafts
  return { ...c, messages: mergeMessages(c.messages, messages), outbox, drafts }
}

export const reducers = {
  authChecking: (s: ConsoleState): ConsoleState => ({
    ...s,
    auth: { ...s.auth, status: 'checking', error: null, errorSource: null },
  }),

  signInStarted: (s: ConsoleState): ConsoleState => ({
    ...s,
    auth: { ...s.auth, status: 'signing_in', error: null, errorSource: null },
  }),

  signedIn: (s: ConsoleState, agent: AgentProfile): ConsoleState => ({
    ...s,
    auth: { status: 'signed_in', agent, error: null, errorSource: null },
  }),

  signInFailed: (s: ConsoleState, error: UiError): ConsoleState => ({
    ...s,
    auth: { status: 'signed_out', agent: null, error, errorSource: 'signIn' },
  }),

  /** Back to the sign-in form; everything of the session is dropped except the routed conversation. */
  signedOut: (s: ConsoleState, error: UiError | null = null): ConsoleState => ({
    ...initialState(),
    auth: { status: 'signed_out', agent: null, error, errorSource: error ? 'session' : null },
    current: s.current ? emptyCurrent(s.current.id) : null,
  }),

  connecting: (s: ConsoleState): ConsoleState => ({
    ...s,
    connection: { ...s.connection, status: 'connecting' },
  }),

  connected: (s: ConsoleState): ConsoleState => ({
    ...s,
    connection: { status: 'connected', error: null, everConnected: true },
  }),

  disconnected: (s: ConsoleState, error: UiError | null = null): ConsoleState => ({
    ...s,
    connection: { ...s.connection, status: 'disconnected', error },
  }),

  sessionReady: (s: ConsoleState, agent: AgentProfile): ConsoleState => ({
    ...s,
    auth: { ...s.auth, agent },
  }),

  tabSelected: (s: ConsoleState, tab: InboxTab): ConsoleState => ({ ...s, inbox: { ...s.inbox, tab } }),

  inboxRequested: (s: ConsoleState): ConsoleState => ({
    ...s,
    inbox: { ...s.inbox, loading: true, error: null },
  }),

  /**
   * A list answer for one server filter. Held conversations that match the filter but are missing
   * from the answer are gone (they changed while we were away), unless a push touched them after
   * the request was sent (`since`, the clock when it was sent).
   */
  inboxListed: (
    s: ConsoleState,
    filter: InboxFilter,
    conversations: readonly ConversationSummary[],
    since: number,
  ): ConsoleState => {
    const listed = new Set(conversations.map((c) => c.id))
    const byId: Record<string, ConversationSummary> = {}
    const touched: Record<string, number> = {}
    for (const [id, c] of Object.entries(s.inbox.byId)) {
      const t = s.inbox.touched[id] ?? 0
      if (!listed.has(id) && matchesTab(c, filter, null) && t <= since) continue
      byId[id] = c
      touched[id] = t
    }
    const inbox = upsertInto({ ...s.inbox, byId, touched }, conversations)
    return { ...s, inbox: { ...inbox, loading: false, loaded: true, error: null } }
  },

  inboxFailed: (s: ConsoleState, error: UiError): ConsoleState => ({
    ...s,
    inbox: { ...s.inbox, loading: false, error },
  }),

  conversationUpserted: (s: ConsoleState, conversation: ConversationSummary): ConsoleState => {
    const inbox = upsertInto(s.inbox, [conversation])
    return inbox === s.inbox ? s : { ...s, inbox }
  },

  /** The route points at a conversation (or at none). Keeps what is held when it is the same one. */
  conversationSelected: (s: ConsoleState, id: string | null): ConsoleState => {
    if (id === null) return s.current ? { ...s, current: null } : s
    if (s.current?.id === id) return s
    return { ...s, current: emptyCurrent(id) }
  },

  /** The open answer: the summary joins the inbox, the transcript is merged by seq. */
  conversationOpened: (s: ConsoleState, detail: ConversationDetail): ConsoleState => {
    const inbox = upsertInto(s.inbox, [detail.conversation])
    const next = inbox === s.inbox ? s : { ...s, inbox }
    return onCurrent(next, detail.conversation.id, (c) => ({
      ...receive(c, detail.messages),
      events: detail.events,
      actions: detail.actions ? mergeActions(c.actions, detail.actions) : c.actions,
      loading: false,
      error: null,
    }))
  },

  /** A pushed action request: kept when it belongs to the open conversation. */
  actionUpserted: (s: ConsoleState, action: ActionRequest): ConsoleState =>
    onCurrent(s, action.conversationId, (c) => ({ ...c, actions: mergeActions(c.actions, [action]) })),

  decideStarted: (s: ConsoleState, conversationId: string, actionId: string): ConsoleState =>
    onCurrent(s, conversationId, (c) => ({ ...c, deciding: actionId, decideError: null })),

  decideSucceeded: (s: ConsoleState, action: ActionRequest): ConsoleState =>
    onCurrent(s, action.conversationId, (c) => ({
      ...c,
      actions: mergeActions(c.actions, [action]),
      deciding: null,
      decideError: null,
    })),

  decideFailed: (s: ConsoleState, conversationId: string, error: UiError): ConsoleState =>
    onCurrent(s, conversationId, (c) => ({ ...c, deciding: null, decideError: error })),

  conversationFailed: (s: ConsoleState, id: string, error: UiError): ConsoleState =>
    onCurrent(s, id, (c) => ({ ...c, loading: false, error })),

  messageReceived: (s: ConsoleState, message: Message): ConsoleState =>
    onCurrent(s, message.conversationId, (c) => receive(c, [message])),

  /** Deltas are increments of one streaming bot reply. */
  messageDelta: (s: ConsoleState, delta: MessageDelta): ConsoleState =>
    onCurrent(s, delta.conversationId, (c) => ({
      ...c,
      drafts: { ...c.drafts, [delta.draftId]: (c.drafts[delta.draftId] ?? '') + delta.text },
    })),

  actionStarted: (s: ConsoleState, id: string, action: ConversationAction): ConsoleState =>
    onCurrent(s, id, (c) => ({ ...c, busy: action, notice: null })),

  /** Take over or resolve went through; the answer carries the changed summary. */
  actionSucceeded: (s: ConsoleState, conversation: ConversationSummary): ConsoleState => {
    const inbox = upsertInto(s.inbox, [conversation])
    const next = inbox === s.inbox ? s : { ...s, inbox }
    return onCurrent(next, conversation.id, (c) => ({ ...c, busy: null, notice: null }))
  },

  actionFailed: (s: ConsoleState, id: string, error: UiError): ConsoleState =>
    onCurrent(s, id, (c) => ({ ...c, busy: null, notice: error })),

  noticeDismissed: (s: ConsoleState, id: string): ConsoleState =>
    onCurrent(s, id, (c) => ({ ...c, notice: null })),

  sendStarted: (
    s: ConsoleState,
    id: string,
    pending: { clientId: string; text: string; createdAt: string },
  ) =>
    onCurrent(s, id, (c) => ({
      ...c,
      notice: null,
      outbox: [
        ...withoutPending(c.outbox, pending.clientId),
        { ...pending, state: 'sending' as const, error: null },
      ],
    })),

  sendSucceeded: (s: ConsoleState, message: Message): ConsoleState =>
    onCurrent(s, message.conversationId, (c) => receive(c, [message])),

  sendFailed: (s: ConsoleState, id: string, clientId: string, error: UiError): ConsoleState =>
    onCurrent(s, id, (c) => ({
      ...c,
      notice: error,
      outbox: c.outbox.map((p) => (p.clientId === clientId ? { ...p, state: 'failed' as const, error } : p)),
    })),
}

type Reducers = typeof reducers
type Rest<F> = F extends (s: ConsoleState, ...args: infer A) => ConsoleState ? A : never
export type Actions = { [K in keyof Reducers]: (...args: Rest<Reducers[K]>) => void }

export interface Store extends Actions {
  getState(): ConsoleState
  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: (state: ConsoleState) => void): () => void
}

/** Creates a store holding `initial` (a fresh state by default). */
export function createStore(initial: ConsoleState = initialState()): Store {
  let state = initial
  const listeners = new Set<(state: ConsoleState) => void>()
  const actions = {} as Record<string, (...args: unknown[]) => void>
  for (const [name, reducer] of Object.entries(reducers)) {
    const apply = reducer as (s: ConsoleState, ...args: unknown[]) => ConsoleState
    actions[name] = (...args) => {
      const next = apply(state, ...args)
      if (next === state) return
      state = next
      for (const l of listeners) l(state)
    }
  }
  return {
    ...(actions as unknown as Actions),
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
