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
  DeliveryStatus,
  ErrorCode,
  Message,
  MessageDelta,
} from '../../../shared/protocol.ts'
import { mergeActions } from './actions.ts'
import { stopTyping } from './helpdesk/collision.ts'
import { type HelpdeskState, helpdeskReducers, initialHelpdesk } from './helpdesk/state.ts'
import { type InboxCounts, type InboxFilters, type InboxView, isStale, mergeCounts } from './inbox.ts'
import { mergeMessages } from './messages.ts'

/** A wire error, or one the console raises itself when the relay cannot be reached. */
export interface UiError {
  code: ErrorCode | 'network_error' | 'timeout'
  message: string
  details?: Record<string, unknown>
}

export type AuthStatus = 'checking' | 'signed_out' | 'signing_in' | 'signed_in'
export type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'disconnected'
export type ConversationAction = 'claim' | 'resolve' | 'assign' | 'update' | 'effort'

/** A reply the agent sent that the relay has not acknowledged yet. */
export interface PendingMessage {
  clientId: string
  text: string
  createdAt: string
  /** An internal note (`note:add`) rather than a reply to the customer. */
  internal: boolean
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
  /** The contact's other conversations (newest first); null until loaded. */
  history: readonly ConversationSummary[] | null
  /** What the channel reported of each reply (WhatsApp: sent, delivered, read, failed), by message id. */
  deliveries: Readonly<Record<string, DeliveryStatus>>
}

const DELIVERY_RANK: Record<DeliveryStatus['status'], number> = { sent: 0, delivered: 1, read: 2, failed: 3 }

/** Statuses only move forward (sent → delivered → read; failed is final), whatever order they arrive in. */
function withDeliveries(
  held: Readonly<Record<string, DeliveryStatus>>,
  incoming: readonly DeliveryStatus[],
): Readonly<Record<string, DeliveryStatus>> {
  let next: Record<string, DeliveryStatus> | null = null
  for (const d of incoming) {
    const current = (next ?? held)[d.messageId]
    if (current && (DELIVERY_RANK[current.status] >= DELIVERY_RANK[d.status] || current.status === 'failed'))
      continue
    next ??= { ...held }
    next[d.messageId] = d
  }
  return next ?? held
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
    view: InboxView
    filters: InboxFilters
    byId: Readonly<Record<string, ConversationSummary>>
    /** Logical clock of the last change to each summary; protects fresh pushes from a slower list. */
    touched: Readonly<Record<string, number>>
    clock: number
    /** The relay's answer for `orderKey` (inbox.ts `queryKey`), in its order. */
    order: readonly string[]
    orderKey: string | null
    /** The clock when that answer was asked for. */
    listedAt: number
    /** Live counts per view, from the relay; null until it sent some. */
    counts: InboxCounts | null
    loading: boolean
    loaded: boolean
    error: UiError | null
  }
  current: CurrentConversation | null
  helpdesk: HelpdeskState
}

export function initialState(options: { alerts?: boolean } = {}): ConsoleState {
  return {
    auth: { status: 'checking', agent: null, error: null, errorSource: null },
    connection: { status: 'idle', error: null, everConnected: false },
    inbox: {
      view: 'open',
      filters: {},
      byId: {},
      touched: {},
      clock: 0,
      order: [],
      orderKey: null,
      listedAt: 0,
      counts: null,
      loading: false,
      loaded: false,
      error: null,
    },
    current: null,
    helpdesk: initialHelpdesk(options.alerts ?? true),
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
    history: null,
    deliveries: {},
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
    helpdesk: { ...initialHelpdesk(), alerts: s.helpdesk.alerts },
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

  viewSelected: (s: ConsoleState, view: InboxView): ConsoleState =>
    s.inbox.view === view ? s : { ...s, inbox: { ...s.inbox, view } },

  filtersChanged: (s: ConsoleState, filters: InboxFilters): ConsoleState => ({
    ...s,
    inbox: { ...s.inbox, filters },
  }),

  inboxRequested: (s: ConsoleState): ConsoleState => ({
    ...s,
    inbox: { ...s.inbox, loading: true, error: null },
  }),

  /**
   * The relay's answer for one query (`key`): its order becomes the view's order, its summaries
   * join what is held (fresher pushes win), its counts replace the held ones. `since` is the clock
   * when the request was sent: anything pushed after that is placed by the local rules instead.
   */
  inboxQueried: (
    s: ConsoleState,
    key: string,
    conversations: readonly ConversationSummary[],
    counts: InboxCounts | null,
    since: number,
  ): ConsoleState => {
    const byId = { ...s.inbox.byId }
    const touched = { ...s.inbox.touched }
    for (const c of conversations) {
      // A push since the request is at least as fresh as the answer: keep it, and keep it marked fresh.
      if ((touched[c.id] ?? 0) > since || isStale(c, byId[c.id])) continue
      byId[c.id] = c
      touched[c.id] = Math.min(touched[c.id] ?? since, since)
    }
    return {
      ...s,
      inbox: {
        ...s.inbox,
        byId,
        touched,
        order: conversations.map((c) => c.id),
        orderKey: key,
        listedAt: since,
        counts: counts ? mergeCounts(s.inbox.counts, counts) : s.inbox.counts,
        loading: false,
        loaded: true,
        error: null,
      },
    }
  },

  /** `inbox:counts`: the live count of every view. */
  countsReceived: (s: ConsoleState, counts: InboxCounts): ConsoleState => {
    const next = mergeCounts(s.inbox.counts, counts)
    return next === s.inbox.counts ? s : { ...s, inbox: { ...s.inbox, counts: next } }
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
      deliveries: withDeliveries(c.deliveries, detail.deliveries ?? []),
      loading: false,
      error: null,
    }))
  },

  /** A pushed delivery status: kept when it belongs to the open conversation. */
  deliveryReceived: (s: ConsoleState, status: DeliveryStatus): ConsoleState =>
    onCurrent(s, status.conversationId, (c) => {
      const deliveries = withDeliveries(c.deliveries, [status])
      return deliveries === c.deliveries ? c : { ...c, deliveries }
    }),

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

  /** A live message; an agent's message also ends their typing notice there. */
  messageReceived: (s: ConsoleState, message: Message): ConsoleState => {
    const typing =
      message.author === 'agent' && message.authorId
        ? stopTyping(s.helpdesk.typing, message.conversationId, message.authorId)
        : s.helpdesk.typing
    const next = typing === s.helpdesk.typing ? s : { ...s, helpdesk: { ...s.helpdesk, typing } }
    return onCurrent(next, message.conversationId, (c) => receive(c, [message]))
  },

  /** Deltas are increments of one streaming bot reply. */
  messageDelta: (s: ConsoleState, delta: MessageDelta): ConsoleState =>
    onCurrent(s, delta.conversationId, (c) => ({
      ...c,
      drafts: { ...c.drafts, [delta.draftId]: (c.drafts[delta.draftId] ?? '') + delta.text },
    })),

  actionStarted: (s: ConsoleState, id: string, action: ConversationAction): ConsoleState =>
    onCurrent(s, id, (c) => ({ ...c, busy: action, notice: null })),

  /** Take over, resolve, assign or update went through; the answer carries the changed summary. */
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
    pending: { clientId: string; text: string; createdAt: string; internal: boolean },
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

  /** The contact's other conversations, for the customer sidebar. */
  historyLoaded: (s: ConsoleState, id: string, conversations: readonly ConversationSummary[]) =>
    onCurrent(s, id, (c) => {
      const contactId = s.inbox.byId[id]?.contact.id
      const history = conversations
        .filter((h) => h.id !== id && (contactId === undefined || h.contact.id === contactId))
        .sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0))
      return { ...c, history }
    }),

  ...helpdeskReducers,
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
