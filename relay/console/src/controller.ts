/**
 * What the agent can do, and what happens around the connection: each intent calls the transport
 * and records the outcome in the store. The views call these; the transport never decides anything.
 * The helpdesk's intents (assignment, notes, collision, presence, alerts) are in helpdesk/intents.ts.
 */

import type { ConversationSummary } from '../../../shared/protocol.ts'
import { alertFromNotification } from './helpdesk/alerts.ts'
import { type AlertSink, createHelpdeskIntents, type HelpdeskIntents } from './helpdesk/intents.ts'
import type { MacroActions } from './helpdesk/macros.ts'
import {
  comparatorFor,
  type InboxFilters,
  type InboxView,
  isQueueView,
  legacyFilter,
  matchesFilters,
  matchesView,
  queryFor,
  queryKey,
} from './inbox.ts'
import type { Store } from './store.ts'
import type {
  AuthApi,
  Reply,
  RequestPayload,
  RequestResult,
  SocketTransport,
  TransportSink,
} from './transport.ts'

export interface ControllerDeps {
  store: Store
  auth: AuthApi
  /** Creates (but does not connect) the socket transport feeding `sink`. */
  openSocket: (sink: TransportSink) => SocketTransport
  newClientId?: () => string
  now?: () => string
  /** Milliseconds since the epoch (typing notices, alerts). */
  clock?: () => number
  /** Where alerts ring (desktop notification and sound); none in tests unless given. */
  alerts?: AlertSink
  /** Remembers the alerts setting (localStorage, the agent record). */
  saveAlerts?: (on: boolean, agentId: string) => void
  /** Whether the agent is looking at the page (a message in the open conversation then rings nothing). */
  pageVisible?: () => boolean
  /** How long a push waits before the queue order is asked again (pushes come in bursts). */
  requeryDelayMs?: number
}

export interface SendOptions {
  /** An internal note (`note:add`) instead of a reply to the customer. */
  internal?: boolean
  /** A macro's actions, applied once the message went through. */
  actions?: MacroActions | null
}

export interface Controller extends HelpdeskIntents {
  /** Checks for an existing session and connects when there is one. */
  start(routeId: string | null): Promise<void>
  signIn(email: string, password: string): Promise<void>
  signOut(): Promise<void>
  selectView(view: InboxView): Promise<void>
  setFilters(filters: InboxFilters): Promise<void>
  /** Follows the `#/c/ID` route (null: no conversation open). */
  route(conversationId: string | null): Promise<void>
  claim(): Promise<void>
  resolve(): Promise<void>
  /** The resolving agent's one-click "How much effort was this?" (1 low – 5 high) on the open conversation. */
  rateEffort(score: number): Promise<void>
  /** Sends a reply (or a note) to the open conversation; false when there was nothing to send. */
  send(text: string, options?: SendOptions): Promise<boolean>
  retry(clientId: string): Promise<void>
  dismissNotice(): void
  /** Approves or rejects a pending bot action of the open conversation (the note goes to the shopper). */
  decide(actionId: string, approve: boolean, note?: string): Promise<void>
  /** The customer page's requests; the page keeps what they return (nothing here is global state). */
  customer<E extends CustomerRequest>(event: E, payload: RequestPayload<E>): Promise<Reply<RequestResult<E>>>
}

export type CustomerRequest = 'customer:get' | 'customer:search' | 'customer:merge' | 'customer:unmerge'

/** 16 random bytes as hex behind a letter: within the protocol's 8–64 `[A-Za-z0-9_-]` client id. */
export function randomClientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  return `c${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`
}

/** A relay that predates a helpdesk event never acks it: ask, but do not wait the full timeout. */
const NEW_EVENT_TIMEOUT_MS = 6000

export function createController(deps: ControllerDeps): Controller {
  const { store, auth } = deps
  const newClientId = deps.newClientId ?? randomClientId
  const now = deps.now ?? (() => new Date().toISOString())
  const clock = deps.clock ?? (() => Date.now())
  const requeryDelayMs = deps.requeryDelayMs ?? 400
  let socket: SocketTransport | null = null
  /** The relay answered `inbox:query` with a timeout once: use `inbox:list` for this connection. */
  let legacyInbox = false
  let requeryTimer: ReturnType<typeof setTimeout> | null = null

  const online = (): SocketTransport | null =>
    store.getState().connection.status === 'connected' ? socket : null

  /** The current view with its filters, in the relay's order, and the live counts. */
  async function listInbox(): Promise<void> {
    const s = online()
    if (!s) return
    const { view, filters } = store.getState().inbox
    const key = queryKey(view, filters)
    const since = store.getState().inbox.clock
    store.inboxRequested()
    if (!legacyInbox) {
      const ack = await s.request('inbox:query', queryFor(view, filters), { timeoutMs: NEW_EVENT_TIMEOUT_MS })
      if (ack.ok) {
        store.inboxQueried(key, ack.data.conversations, ack.data.counts, since)
        return
      }
      if (ack.error.code !== 'timeout') {
        store.inboxFailed(ack.error)
        return
      }
      legacyInbox = true
    }
    const ack = await s.request('inbox:list', { filter: legacyFilter(view) })
    if (!ack.ok) {
      store.inboxFailed(ack.error)
      return
    }
    const agentId = store.getState().auth.agent?.id ?? null
    const listed = ack.data.conversations
      .filter((c) => matchesView(c, view, agentId) && matchesFilters(c, filters))
      .sort(comparatorFor(view))
    store.inboxQueried(key, listed, null, since)
  }

  /** A push may move a conversation in a queue view: ask the relay for the order again, once per burst. */
  function requeryFor(c: ConversationSummary): void {
    const { inbox, auth: a } = store.getState()
    if (!isQueueView(inbox.view)) return
    const affected =
      inbox.order.includes(c.id) ||
      (matchesView(c, inbox.view, a.agent?.id ?? null) && matchesFilters(c, inbox.filters))
    if (!affected) return
    if (requeryTimer) clearTimeout(requeryTimer)
    requeryTimer = setTimeout(() => {
      requeryTimer = null
      void listInbox()
    }, requeryDelayMs)
  }

  async function openConversation(id: string): Promise<void> {
    const s = online()
    if (!s) return
    const ack = await s.request('conversation:open', { conversationId: id })
    if (ack.ok) store.conversationOpened(ack.data)
    else store.conversationFailed(id, ack.error)
  }

  const helpdesk = createHelpdeskIntents({
    store,
    online,
    clock,
    newEventTimeoutMs: NEW_EVENT_TIMEOUT_MS,
    isLegacyInbox: () => legacyInbox,
    ...(deps.alerts && { alerts: deps.alerts }),
    ...(deps.saveAlerts && { saveAlerts: deps.saveAlerts }),
  })

  /** Opens a conversation with everything around it: transcript, who else is there, the contact's history. */
  async function enter(id: string): Promise<void> {
    await openConversation(id)
    if (store.getState().current?.id !== id) return
    await Promise.all([helpdesk.announceViewing(id, true), helpdesk.loadHistory(id)])
  }

  /** After every (re)connect: the server forgot this socket's subscriptions and we missed pushes. */
  async function resync(): Promise<void> {
    legacyInbox = false
    const { current } = store.getState()
    const work = [listInbox(), helpdesk.loadDirectory()]
    if (current) work.push(enter(current.id))
    await Promise.all(work)
  }

  function endSession(error: Parameters<Store['signedOut']>[0]): void {
    socket?.disconnect()
    socket = null
    store.signedOut(error)
  }

  async function recheckSession(): Promise<void> {
    const me = await auth.me()
    if (!me.ok && me.error.code === 'unauthorized') endSession(me.error)
    else socket?.connect()
  }

  const sink: TransportSink = {
    connected() {
      store.connected()
      void resync()
    },
    disconnected(reason) {
      store.disconnected()
      // socket.io retries network drops itself; a server-side close may mean the session ended.
      if (reason === 'server') void recheckSession()
    },
    connectFailed(error, retrying) {
      if (!retrying && error.code === 'unauthorized') endSession(error)
      else store.disconnected(error)
    },
    sessionReady: (agent) => store.sessionReady(agent),
    conversationUpserted(c) {
      const held = store.getState().inbox.byId[c.id]
      store.conversationUpserted(c)
      // The shopper just rated the open conversation: re-open for the csat event in its activity.
      if (c.resolution?.csat && !held?.resolution?.csat && store.getState().current?.id === c.id)
        void openConversation(c.id)
      helpdesk.onSummaryPushed(held, c, deps.pageVisible?.() ?? true)
      requeryFor(c)
    },
    messageReceived(m) {
      store.messageReceived(m)
      helpdesk.onMessagePushed(m, deps.pageVisible?.() ?? true)
    },
    messageDelta: (d) => store.messageDelta(d),
    actionUpserted: (a) => store.actionUpserted(a),
    deliveryReceived: (d) => store.deliveryReceived(d),
    countsReceived: (c) => store.countsReceived(c),
    viewersReceived: (v) => store.viewersReceived(v),
    typingReceived: (n) => store.typingReceived(n, clock()),
    agentPresence: (a) => store.agentPresence(a),
    notification: (n) => helpdesk.ring(alertFromNotification(n)),
  }

  function connect(): void {
    socket?.disconnect()
    socket = deps.openSocket(sink)
    store.connecting()
    socket.connect()
  }

  function applied(ack: Reply<{ conversation: ConversationSummary }>, id: string): boolean {
    if (!ack.ok) {
      store.actionFailed(id, ack.error)
      return false
    }
    store.actionSucceeded(ack.data.conversation)
    return true
  }

  async function act(action: 'claim' | 'resolve'): Promise<void> {
    const id = store.getState().current?.id
    if (!id || !socket) return
    store.actionStarted(id, action)
    const event = action === 'claim' ? 'conversation:claim' : 'conversation:resolve'
    if (!applied(await socket.request(event, { conversationId: id }), id)) return
    // The answer carries the summary only; re-open for the new audit events (messages merge by seq).
    await openConversation(id)
  }

  async function deliver(
    conversationId: string,
    clientId: string,
    text: string,
    internal: boolean,
  ): Promise<boolean> {
    if (!socket) return false
    const payload = { conversationId, clientId, text }
    const ack = internal
      ? await socket.request('note:add', payload)
      : await socket.request('message:send', payload)
    if (ack.ok) store.sendSucceeded(ack.data.message)
    else store.sendFailed(conversationId, clientId, ack.error)
    return ack.ok
  }

  return {
    ...helpdesk,

    async customer(event, payload) {
      const s = online()
      if (!s) return { ok: false, error: { code: 'network_error', message: 'not connected' } }
      return s.request(event, payload)
    },

    async start(routeId) {
      store.conversationSelected(routeId)
      store.authChecking()
      const me = await auth.me()
      if (me.ok) {
        store.signedIn(me.data.agent)
        connect()
      } else {
        store.signedOut(me.error.code === 'unauthorized' ? null : me.error)
      }
    },

    async signIn(email, password) {
      if (email.trim() === '' || password === '') {
        store.signInFailed({ code: 'invalid_payload', message: 'email and password are required' })
        return
      }
      store.signInStarted()
      const ack = await auth.login({ email: email.trim(), password })
      if (ack.ok) {
        store.signedIn(ack.data.agent)
        connect()
      } else {
        store.signInFailed(ack.error)
      }
    },

    async signOut() {
      socket?.disconnect()
      socket = null
      const ack = await auth.logout()
      store.signedOut(ack.ok ? null : ack.error)
    },

    async selectView(view) {
      store.viewSelected(view)
      await listInbox()
    },

    async setFilters(filters) {
      store.filtersChanged(filters)
      await listInbox()
    },

    async route(conversationId) {
      const previous = store.getState().current?.id ?? null
      if (previous === conversationId) return
      const s = online()
      if (previous && s) {
        void helpdesk.announceViewing(previous, false)
        void s.request('conversation:close', { conversationId: previous })
      }
      store.conversationSelected(conversationId)
      if (conversationId) await enter(conversationId)
    },

    claim: () => act('claim'),
    resolve: () => act('resolve'),

    async rateEffort(score) {
      const id = store.getState().current?.id
      if (!id || !socket) return
      store.actionStarted(id, 'effort')
      if (!applied(await socket.request('effort:rate', { conversationId: id, score }), id)) return
      await openConversation(id)
    },

    async send(text, options = {}) {
      const id = store.getState().current?.id
      const body = text.trim()
      if (!id || body.length === 0) return false
      const clientId = newClientId()
      const internal = options.internal ?? false
      store.sendStarted(id, { clientId, text: body, createdAt: now(), internal })
      const ok = await deliver(id, clientId, body, internal)
      if (ok && options.actions) await helpdesk.applyMacroActions(id, options.actions, () => act('resolve'))
      return true
    },

    async retry(clientId) {
      const current = store.getState().current
      const pending = current?.outbox.find((p) => p.clientId === clientId)
      if (!current || !pending) return
      store.sendStarted(current.id, {
        clientId,
        text: pending.text,
        createdAt: pending.createdAt,
        internal: pending.internal,
      })
      await deliver(current.id, clientId, pending.text, pending.internal)
    },

    dismissNotice() {
      const id = store.getState().current?.id
      if (id) store.noticeDismissed(id)
    },

    async decide(actionId, approve, note) {
      const id = store.getState().current?.id
      if (!id || !socket) return
      store.decideStarted(id, actionId)
      const text = note?.trim()
      const ack = await socket.request('action:decide', {
        actionId,
        approve,
        ...(text ? { note: text } : {}),
      })
      if (ack.ok) store.decideSucceeded(ack.data.action)
      else store.decideFailed(id, ack.error)
    },
  }
}
