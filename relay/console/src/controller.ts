/**
 * What the agent can do, and what happens around the connection: each intent calls the transport
 * and records the outcome in the store. The views call these; the transport never decides anything.
 */

import type { InboxFilter } from '../../../shared/protocol.ts'
import { type InboxTab, serverFilter } from './inbox.ts'
import type { Store } from './store.ts'
import type { AuthApi, SocketTransport, TransportSink } from './transport.ts'

export interface ControllerDeps {
  store: Store
  auth: AuthApi
  /** Creates (but does not connect) the socket transport feeding `sink`. */
  openSocket: (sink: TransportSink) => SocketTransport
  newClientId?: () => string
  now?: () => string
}

export interface Controller {
  /** Checks for an existing session and connects when there is one. */
  start(routeId: string | null): Promise<void>
  signIn(email: string, password: string): Promise<void>
  signOut(): Promise<void>
  selectTab(tab: InboxTab): Promise<void>
  /** Follows the `#/c/ID` route (null: no conversation open). */
  route(conversationId: string | null): Promise<void>
  claim(): Promise<void>
  resolve(): Promise<void>
  /** Sends a reply to the open conversation; false when there was nothing to send. */
  send(text: string): Promise<boolean>
  retry(clientId: string): Promise<void>
  dismissNotice(): void
  /** Approves or rejects a pending bot action of the open conversation (the note goes to the shopper). */
  decide(actionId: string, approve: boolean, note?: string): Promise<void>
}

/** 16 random bytes as hex behind a letter: within the protocol's 8–64 `[A-Za-z0-9_-]` client id. */
export function randomClientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  return `c${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`
}

export function createController(deps: ControllerDeps): Controller {
  const { store, auth } = deps
  const newClientId = deps.newClientId ?? randomClientId
  const now = deps.now ?? (() => new Date().toISOString())
  let socket: SocketTransport | null = null

  const online = (): SocketTransport | null =>
    store.getState().connection.status === 'connected' ? socket : null

  async function listInbox(filter: InboxFilter): Promise<void> {
    const s = online()
    if (!s) return
    const since = store.getState().inbox.clock
    store.inboxRequested()
    const ack = await s.request('inbox:list', { filter })
    if (ack.ok) store.inboxListed(filter, ack.data.conversations, since)
    else store.inboxFailed(ack.error)
  }

  async function openConversation(id: string): Promise<void> {
    const s = online()
    if (!s) return
    const ack = await s.request('conversation:open', { conversationId: id })
    if (ack.ok) store.conversationOpened(ack.data)
    else store.conversationFailed(id, ack.error)
  }

  /** After every (re)connect: the server forgot this socket's subscriptions and we missed pushes. */
  async function resync(): Promise<void> {
    const { inbox, current } = store.getState()
    const filter = serverFilter(inbox.tab)
    const lists = [listInbox(filter)]
    // The Open list also keeps the queued count right while another tab is shown.
    if (filter !== 'open' && filter !== 'all') lists.push(listInbox('open'))
    if (current) lists.push(openConversation(current.id))
    await Promise.all(lists)
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
    conversationUpserted: (c) => store.conversationUpserted(c),
    messageReceived: (m) => store.messageReceived(m),
    messageDelta: (d) => store.messageDelta(d),
    actionUpserted: (a) => store.actionUpserted(a),
  }

  function connect(): void {
    socket?.disconnect()
    socket = deps.openSocket(sink)
    store.connecting()
    socket.connect()
  }

  async function act(action: 'claim' | 'resolve'): Promise<void> {
    const id = store.getState().current?.id
    if (!id || !socket) return
    store.actionStarted(id, action)
    const event = action === 'claim' ? 'conversation:claim' : 'conversation:resolve'
    const ack = await socket.request(event, { conversationId: id })
    if (!ack.ok) {
      store.actionFailed(id, ack.error)
      return
    }
    store.actionSucceeded(ack.data.conversation)
    // The answer carries the summary only; re-open for the new audit events (messages merge by seq).
    await openConversation(id)
  }

  async function deliver(conversationId: string, clientId: string, text: string): Promise<void> {
    if (!socket) return
    const ack = await socket.request('message:send', { conversationId, clientId, text })
    if (ack.ok) store.sendSucceeded(ack.data.message)
    else store.sendFailed(conversationId, clientId, ack.error)
  }

  return {
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

    async selectTab(tab) {
      store.tabSelected(tab)
      await listInbox(serverFilter(tab))
    },

    async route(conversationId) {
      const previous = store.getState().current?.id ?? null
      if (previous === conversationId) return
      const s = online()
      if (previous && s) void s.request('conversation:close', { conversationId: previous })
      store.conversationSelected(conversationId)
      if (conversationId) await openConversation(conversationId)
    },

    claim: () => act('claim'),
    resolve: () => act('resolve'),

    async send(text) {
      const id = store.getState().current?.id
      const body = text.trim()
      if (!id || body.length === 0) return false
      const clientId = newClientId()
      store.sendStarted(id, { clientId, text: body, createdAt: now() })
      await deliver(id, clientId, body)
      return true
    },

    async retry(clientId) {
      const current = store.getState().current
      const pending = current?.outbox.find((p) => p.clientId === clientId)
      if (!current || !pending) return
      store.sendStarted(current.id, { clientId, text: pending.text, createdAt: pending.createdAt })
      await deliver(current.id, clientId, pending.text)
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
