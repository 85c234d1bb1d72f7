/**
 * The panel's state and the pure functions that change it. No I/O, no DOM, no timers: the
 * transport feeds it server events, the chat controller feeds it outbox progress, views read it.
 */
import type { Availability } from '../../shared/helpdesk.ts'
import type {
  Message,
  MessageDelta,
  ResumeResult,
  SessionReady,
  WidgetConversation,
} from '../../shared/protocol.ts'

/** `connecting` until the first `session:ready`; `refused` when the relay will not take us. */
export type Connection = 'connecting' | 'online' | 'reconnecting' | 'refused'
export type PendingState = 'sending' | 'retrying' | 'failed'
/** The email a shopper leaves when nobody can answer now. */
export type EmailState = 'idle' | 'sending' | 'saved' | 'failed'
/** The "How did we do?" rating of the current resolution, as far as this tab sent it. */
export type CsatState = 'idle' | 'sending' | 'saved' | 'failed'

/** A message of the shopper's that the relay has not acknowledged yet. */
export interface Pending {
  clientId: string
  text: string
  createdAt: string
  state: PendingState
}

/** A bot reply still being written (`message:delta`), shown until its final message arrives. */
export interface Draft {
  draftId: string
  conversationId: string
  text: string
}

export interface ChatState {
  contactId: string | null
  greeting: string | null
  botName: string | null
  connection: Connection
  /** The relay's refusal code (`unknown_site`, `origin_not_allowed`, …) while `refused`. */
  refusal: string | null
  /** The browser says there is no network. */
  offline: boolean
  conversation: WidgetConversation | null
  /** Messages with seq at or below this are deliberately not held (the cache keeps a tail). */
  floor: number
  /** Seq order, each seq once. */
  messages: Message[]
  drafts: Draft[]
  pending: Pending[]
  open: boolean
  /** Bot and agent messages that arrived while closed. */
  unread: number
  /** Whether a person is around (null: the relay did not say, so we assume so). */
  availability: Availability | null
  email: { state: EmailState; address: string | null }
  csat: CsatState
}

/** What the chat restores from storage before connecting. */
export interface Restored {
  contactId: string | null
  conversation: WidgetConversation | null
  floor: number
  messages: Message[]
  pending: Pending[]
}

export function initialState(open = false): ChatState {
  return {
    contactId: null,
    greeting: null,
    botName: null,
    connection: 'connecting',
    refusal: null,
    offline: false,
    conversation: null,
    floor: 0,
    messages: [],
    drafts: [],
    pending: [],
    open,
    unread: 0,
    availability: null,
    email: { state: 'idle', address: null },
    csat: 'idle',
  }
}

// ---------------------------------------------------------------------------------------------
// Selectors
// ---------------------------------------------------------------------------------------------

/** Highest seq up to which every message above `floor` is held: the `afterSeq` of a resume. */
export function cursor(state: Pick<ChatState, 'floor' | 'messages'>): number {
  let seq = state.floor
  for (const m of state.messages) {
    if (m.seq === seq + 1) seq = m.seq
    else if (m.seq > seq + 1) break
  }
  return seq
}

/** True when the relay has messages we lack: a gap, or a lastSeq beyond what we hold. */
export function needsResume(state: ChatState): boolean {
  if (!state.conversation) return false
  const at = cursor(state)
  const last = state.messages[state.messages.length - 1]
  return state.conversation.lastSeq > at || (last !== undefined && last.seq > at)
}

/** Waiting for a person who is not there (closed, or nobody online): offer to take an email address. */
export function awayShown(state: Pick<ChatState, 'availability' | 'conversation'>): boolean {
  const a = state.availability
  return a !== null && (!a.open || !a.agentsOnline) && state.conversation?.status === 'queued'
}

/** Resolved and not rated yet (or just rated here, for the thanks): the "How did we do?" prompt. */
export function csatShown(state: Pick<ChatState, 'conversation' | 'csat'>): boolean {
  const c = state.conversation
  return c?.status === 'resolved' && (c.rated !== true || state.csat === 'saved')
}

/** The greeting stands in for seq 1 until the relay's stored copy of it is here. */
export function showGreeting(state: ChatState): boolean {
  return state.greeting !== null && state.floor === 0 && state.messages[0]?.seq !== 1
}

// ---------------------------------------------------------------------------------------------
// Pure helpers
// ---------------------------------------------------------------------------------------------

/** `list` plus the new seqs of `incoming` above `floor`, in seq order; `list` itself if nothing is new. */
export function mergeBySeq(list: Message[], incoming: readonly Message[], floor = 0): Message[] {
  const bySeq = new Map(list.map((m) => [m.seq, m]))
  let changed = false
  for (const m of incoming) {
    if (m.seq > floor && !bySeq.has(m.seq)) {
      bySeq.set(m.seq, m)
      changed = true
    }
  }
  return changed ? [...bySeq.values()].sort((a, b) => a.seq - b.seq) : list
}

/** Switches to conversation `id` (the newest one the relay tells us about), dropping another's messages. */
function adopt(state: ChatState, id: string): ChatState {
  if (state.conversation?.id === id) return state
  return {
    ...state,
    conversation: { id, status: 'bot', assigneeName: null, lastSeq: 0 },
    floor: 0,
    messages: [],
    drafts: state.drafts.filter((d) => d.conversationId === id),
  }
}

function withLastSeq(conversation: WidgetConversation, lastSeq: number): WidgetConversation {
  return lastSeq > conversation.lastSeq ? { ...conversation, lastSeq } : conversation
}

/** Merges messages of the current conversation; `live` ones count as unread while closed. */
function absorb(state: ChatState, incoming: readonly Message[], live: boolean): ChatState {
  const conversation = state.conversation
  if (!conversation) return state
  const own = incoming.filter((m) => m.conversationId === conversation.id)
  const messages = mergeBySeq(state.messages, own, state.floor)
  if (messages === state.messages) return state
  const known = new Set(state.messages.map((m) => m.seq))
  const added = messages.filter((m) => !known.has(m.seq))
  const clientIds = new Set(added.map((m) => m.clientId))
  // Each final bot message replaces the oldest draft of its conversation.
  let finals = added.filter((m) => m.author === 'bot').length
  const drafts = state.drafts.filter((d) => d.conversationId !== conversation.id || finals-- <= 0)
  const last = messages[messages.length - 1]
  return {
    ...state,
    conversation: withLastSeq(conversation, last ? last.seq : 0),
    messages,
    drafts,
    pending: state.pending.filter((p) => !clientIds.has(p.clientId)),
    // Seq 1 is the disclosure the shopper saw as the greeting: not news.
    unread:
      state.unread +
      (live && !state.open ? added.filter((m) => m.author !== 'contact' && m.seq > 1).length : 0),
  }
}

// ---------------------------------------------------------------------------------------------
// Reducers: (state, payload) → next state; the same state when nothing changed
// ---------------------------------------------------------------------------------------------

export const reducers = {
  restored(state: ChatState, r: Restored): ChatState {
    return { ...state, ...r }
  },

  sessionReady(state: ChatState, p: SessionReady): ChatState {
    // A new token means a new contact: the cached conversation is not theirs.
    const stranger = state.contactId !== null && state.contactId !== p.contactId
    const base = stranger ? { ...state, conversation: null, floor: 0, messages: [], drafts: [] } : state
    return {
      ...base,
      contactId: p.contactId,
      greeting: p.greeting,
      botName: p.botName,
      connection: 'online',
      refusal: null,
      availability: p.availability ?? null,
    }
  },

  availabilityChanged(state: ChatState, availability: Availability): ChatState {
    return { ...state, availability }
  },

  emailChanged(state: ChatState, email: ChatState['email']): ChatState {
    return { ...state, email }
  },

  csatChanged(state: ChatState, csat: CsatState): ChatState {
    return csat === state.csat ? state : { ...state, csat }
  },

  connectionChanged(state: ChatState, change: { connection: Connection; code?: string }): ChatState {
    const connection =
      change.connection === 'reconnecting' && state.connection === 'connecting'
        ? 'connecting'
        : change.connection
    const refusal = connection === 'refused' ? (change.code ?? 'internal_error') : null
    if (connection === state.connection && refusal === state.refusal) return state
    return { ...state, connection, refusal }
  },

  networkChanged(state: ChatState, offline: boolean): ChatState {
    return offline === state.offline ? state : { ...state, offline }
  },

  /** A pushed `message:new`; a message of another conversation means the shopper moved on to it. */
  messageReceived(state: ChatState, message: Message): ChatState {
    return absorb(adopt(state, message.conversationId), [message], true)
  },

  /** The ack of `conversation:resume`; `asked` is the conversation id the request named. */
  resumed(
    state: ChatState,
    { asked, result }: { asked: string | undefined; result: ResumeResult },
  ): ChatState {
    if (!result.conversation) {
      // Only forget what we asked about: a conversation created meanwhile stays.
      if (state.conversation?.id !== asked) return state
      return { ...state, conversation: null, floor: 0, messages: [], drafts: [] }
    }
    const next = adopt(state, result.conversation.id)
    const conversation = withLastSeq(result.conversation, next.conversation?.lastSeq ?? 0)
    return absorb({ ...next, conversation }, result.messages, false)
  },

  /** The relay no longer knows the conversation as ours: start over without it. */
  conversationLost(state: ChatState, id: string): ChatState {
    if (state.conversation?.id !== id) return state
    return { ...state, conversation: null, floor: 0, messages: [], drafts: [] }
  },

  conversationUpdated(state: ChatState, conversation: WidgetConversation): ChatState {
    if (state.conversation && state.conversation.id !== conversation.id) return state
    // Out of the bot's hands, an unfinished bot reply will not be stored: drop its draft.
    const drafts =
      conversation.status === 'bot'
        ? state.drafts
        : state.drafts.filter((d) => d.conversationId !== conversation.id)
    // Reopened: the next resolution is rated afresh.
    const csat = conversation.status === 'resolved' ? state.csat : 'idle'
    return {
      ...state,
      conversation: withLastSeq(conversation, state.conversation?.lastSeq ?? 0),
      drafts,
      csat,
    }
  },

  deltaReceived(state: ChatState, delta: MessageDelta): ChatState {
    if (state.conversation && state.conversation.id !== delta.conversationId) return state
    const existing = state.drafts.find((d) => d.draftId === delta.draftId)
    const drafts = existing
      ? state.drafts.map((d) => (d === existing ? { ...d, text: d.text + delta.text } : d))
      : [...state.drafts, { draftId: delta.draftId, conversationId: delta.conversationId, text: delta.text }]
    return { ...state, drafts }
  },

  /** The ack of `message:send`: the stored message replaces its pending copy. */
  sent(state: ChatState, ack: { message: Message; conversation: WidgetConversation }): ChatState {
    const next = adopt(state, ack.conversation.id)
    const conversation = withLastSeq(ack.conversation, next.conversation?.lastSeq ?? 0)
    const merged = absorb({ ...next, conversation }, [ack.message], false)
    const pending = merged.pending.filter((p) => p.clientId !== ack.message.clientId)
    return pending.length === merged.pending.length ? merged : { ...merged, pending }
  },

  queued(state: ChatState, pending: Pending): ChatState {
    return { ...state, pending: [...state.pending, pending] }
  },

  pendingChanged(state: ChatState, change: { clientId: string; state: PendingState }): ChatState {
    const target = state.pending.find((p) => p.clientId === change.clientId)
    if (!target || target.state === change.state) return state
    return {
      ...state,
      pending: state.pending.map((p) => (p === target ? { ...p, state: change.state } : p)),
    }
  },

  discarded(state: ChatState, clientId: string): ChatState {
    return { ...state, pending: state.pending.filter((p) => p.clientId !== clientId) }
  },

  opened(state: ChatState): ChatState {
    return state.open && state.unread === 0 ? state : { ...state, open: true, unread: 0 }
  },

  closed(state: ChatState): ChatState {
    return state.open ? { ...state, open: false } : state
  },
}

type Reducers = typeof reducers
/** One function per reducer, bound to the store. */
export type Actions = {
  [K in keyof Reducers]: Parameters<Reducers[K]> extends [ChatState, infer P]
    ? (payload: P) => void
    : () => void
}

export interface ChatStore extends Actions {
  getState(): ChatState
  /** Called after every change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void
}

export function createStore(initial: ChatState = initialState()): ChatStore {
  let state = initial
  const listeners = new Set<() => void>()
  const actions = {} as Record<string, (payload?: unknown) => void>
  for (const [name, reduce] of Object.entries(reducers)) {
    const fn = reduce as (state: ChatState, payload?: unknown) => ChatState
    actions[name] = (payload) => {
      const next = fn(state, payload)
      if (next === state) return
      state = next
      for (const listener of listeners) listener()
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
