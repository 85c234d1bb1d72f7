/**
 * The chat controller: wires the transport to the store and the outbox, and decides what
 * follows an event (resume after `session:ready`, flush the outbox, fill a gap, retry later,
 * persist). Created explicitly and started by `start()`: nothing happens at construction.
 */
import type { WidgetAuth } from '../../shared/protocol.ts'
import type { ParleyIdentity } from '../../shared/widget-api.ts'
import { createFlusher, createOutbox, type SendOutcome } from './outbox.ts'
import { loadCache, loadToken, saveCache, saveToken, storageKey } from './persist.ts'
import { type ChatStore, createStore, cursor, initialState, mergeBySeq, needsResume } from './store.ts'
import { PROTOCOL, type Reply, type Transport, type TransportSink } from './transport.ts'

export interface ChatOptions {
  site: string
  storage: Storage
  open?: boolean
  /** Opens the connection; the real one is `createSocketTransport`. */
  connect(auth: () => WidgetAuth, sink: TransportSink): Transport
  /** Delay before retry number `attempt` (from 0) of an unanswered resume or send. */
  retryDelay?(attempt: number): number
}

export interface Chat {
  readonly store: ChatStore
  start(): void
  /** Queues a message in the outbox and sends it when possible; false when the text is empty. */
  send(text: string): boolean
  /** The browser went offline or came back. */
  networkChanged(offline: boolean): void
  /** Drops a message the relay refused for good. */
  discard(clientId: string): void
  /** Leaves an email address for the reply (nobody around); the store tracks the outcome. */
  leaveEmail(email: string): Promise<void>
  /** Rates the resolved conversation (1–5, optional comment); the store tracks the outcome. */
  rate(score: number, comment: string): Promise<void>
  /** Held for the relay; see the report in docs: the protocol has no identify event yet. */
  identify(identity: ParleyIdentity): void
  readonly identity: ParleyIdentity | null
  /** Self-service requests over the chat's connection (`offline` before it exists). */
  readonly kb: Pick<Transport, 'kbSearch' | 'kbArticle' | 'kbFeedback'>
  stop(): void
}

/** Reasons worth another attempt with the same client id; anything else is final. */
const RETRYABLE = new Set(['timeout', 'offline', 'rate_limited', 'internal_error', 'unauthorized'])
/** Handshake refusals that pass by themselves. */
const PASSING = new Set(['rate_limited', 'internal_error'])
/** The conversation we named is not (or no longer) the shopper's: forget it and start over. */
const LOST = new Set(['not_found', 'forbidden'])

const defaultDelay = (attempt: number): number => Math.min(30_000, 1000 * 2 ** attempt)

export function createChat(options: ChatOptions): Chat {
  const { site, storage } = options
  const store = createStore(initialState(options.open))
  const outbox = createOutbox(storage, storageKey(site, 'outbox'))
  const retryDelay = options.retryDelay ?? defaultDelay
  let token = loadToken(storage, site)
  let transport: Transport | null = null
  let identity: ParleyIdentity | null = null
  let resumeRun: Promise<void> | null = null
  let resumeAgain = false
  let retryTimer: ReturnType<typeof setTimeout> | undefined
  let retries = 0
  let unsubscribe = (): void => {}

  const online = (): boolean => {
    const state = store.getState()
    return state.connection === 'online' && !state.offline
  }

  const flusher = createFlusher(
    outbox,
    async (entry): Promise<SendOutcome> => {
      const conversationId = store.getState().conversation?.id
      const reply =
        transport && !store.getState().offline
          ? await transport.send({
              clientId: entry.clientId,
              text: entry.text,
              ...(conversationId && { conversationId }),
            })
          : ({ ok: false, error: { code: 'offline', message: 'not started' } } as const)
      if (reply.ok) return { ok: true, ...reply.data }
      const code = reply.error.code
      if (conversationId && LOST.has(code)) {
        store.conversationLost(conversationId)
        return { ok: false, retry: true, code }
      }
      return { ok: false, retry: RETRYABLE.has(code), code }
    },
    {
      attempt: (entry) => store.pendingChanged({ clientId: entry.clientId, state: 'sending' }),
      acked: (_entry, outcome) => {
        retries = 0
        store.sent(outcome)
        if (needsResume(store.getState())) void resume()
      },
      rejected: (entry) => store.pendingChanged({ clientId: entry.clientId, state: 'failed' }),
      stalled: (entry) => {
        store.pendingChanged({ clientId: entry.clientId, state: 'retrying' })
        scheduleRetry()
      },
    },
  )

  /** Fetches what we miss; single-flight, and runs once more if asked again meanwhile. */
  function resume(): Promise<void> {
    if (resumeRun) {
      resumeAgain = true
      return resumeRun
    }
    resumeRun = (async () => {
      do {
        resumeAgain = false
        if (!transport) return
        const state = store.getState()
        const asked = state.conversation?.id
        const reply = await transport.resume(
          asked ? { conversationId: asked, afterSeq: cursor(state) } : { afterSeq: 0 },
        )
        if (reply.ok) {
          store.resumed({ asked, result: reply.data })
          // Stored already (their acks were lost): they must not be sent again.
          for (const m of reply.data.messages) if (m.clientId) outbox.remove(m.clientId)
        } else if (asked && LOST.has(reply.error.code)) {
          store.conversationLost(asked)
          resumeAgain = true
        } else {
          scheduleRetry()
          return
        }
      } while (resumeAgain)
    })().finally(() => {
      resumeRun = null
    })
    return resumeRun
  }

  /** After (re)connecting: catch up first, so sends name the right conversation, then flush. */
  async function sync(): Promise<void> {
    await resume()
    if (online()) await flusher.flush()
  }

  function scheduleRetry(): void {
    if (retryTimer !== undefined || !online()) return
    retryTimer = setTimeout(() => {
      retryTimer = undefined
      if (online()) void sync()
    }, retryDelay(retries++))
  }

  const sink: TransportSink = {
    sessionReady(payload) {
      if (payload.token !== token) {
        token = payload.token
        saveToken(storage, site, token)
      }
      store.sessionReady(payload)
      clearTimeout(retryTimer)
      retryTimer = undefined
      retries = 0
      void sync()
    },
    messageReceived(message) {
      store.messageReceived(message)
      // The relay stored a pending message (its ack may be lost): it must not be sent again.
      if (message.clientId) outbox.remove(message.clientId)
      if (needsResume(store.getState()) && online()) void resume()
    },
    deltaReceived: (delta) => store.deltaReceived(delta),
    availabilityChanged: (availability) => store.availabilityChanged(availability),
    conversationUpdated(conversation) {
      store.conversationUpdated(conversation)
      if (needsResume(store.getState()) && online()) void resume()
    },
    connectionChanged(change) {
      if (change.connection === 'refused' && change.code === 'unauthorized' && token) {
        // A token the relay no longer honours: connect without it and receive a new one.
        token = undefined
        storage.removeItem(storageKey(site, 'token'))
        transport?.reconnect()
        return
      }
      if (change.connection === 'refused' && change.code && PASSING.has(change.code)) {
        // Busy or broken for a moment: come back later instead of giving up.
        store.connectionChanged({ connection: 'reconnecting' })
        setTimeout(() => transport?.reconnect(), retryDelay(Math.min(retries++, 5)) * 5)
        return
      }
      store.connectionChanged(change)
    },
  }

  const notConnected = async (): Promise<Reply<never>> => ({
    ok: false,
    error: { code: 'offline', message: 'not started' },
  })

  return {
    store,
    kb: {
      kbSearch: (query) => transport?.kbSearch(query) ?? notConnected(),
      kbArticle: (slug) => transport?.kbArticle(slug) ?? notConnected(),
      kbFeedback: (slug, helpful) => transport?.kbFeedback(slug, helpful) ?? notConnected(),
    },
    get identity() {
      return identity
    },
    start() {
      const cache = loadCache(storage, site)
      store.restored({
        contactId: cache?.contactId ?? null,
        conversation: cache?.conversation ?? null,
        floor: cache?.floor ?? 0,
        messages: cache ? mergeBySeq([], cache.messages, cache.floor) : [],
        pending: outbox.entries().map((e) => ({ ...e, state: 'sending' })),
      })
      let saved = store.getState()
      unsubscribe = store.subscribe(() => {
        const s = store.getState()
        if (
          s.conversation !== saved.conversation ||
          s.messages !== saved.messages ||
          s.floor !== saved.floor ||
          s.contactId !== saved.contactId
        ) {
          saveCache(storage, site, s)
        }
        saved = s
      })
      transport = options.connect(
        () => ({
          site,
          protocol: PROTOCOL,
          ...(token !== undefined && { token }),
          ...(identity && { identity: wireIdentity(identity) }),
        }),
        sink,
      )
    },
    send(text) {
      if (!text.trim()) return false
      const entry = outbox.add(text)
      store.queued({ ...entry, state: online() ? 'sending' : 'retrying' })
      if (online()) void flusher.flush()
      return true
    },
    networkChanged(offline) {
      store.networkChanged(offline)
      // Back online, the old connection may be dead without knowing it: a fresh one resumes and flushes.
      if (!offline) transport?.restart()
    },
    discard(clientId) {
      outbox.remove(clientId)
      store.discarded(clientId)
    },
    async leaveEmail(email) {
      store.emailChanged({ state: 'sending', address: email })
      const reply = transport
        ? await transport.leaveEmail(email)
        : ({ ok: false, error: { code: 'offline', message: 'not started' } } as const)
      store.emailChanged(
        reply.ok ? { state: 'saved', address: reply.data.email } : { state: 'failed', address: email },
      )
    },
    async rate(score, comment) {
      const conversation = store.getState().conversation
      if (conversation?.status !== 'resolved') return
      store.csatChanged('sending')
      const text = comment.trim()
      const reply = transport
        ? await transport.rate({ conversationId: conversation.id, score, ...(text && { comment: text }) })
        : ({ ok: false, error: { code: 'offline', message: 'not started' } } as const)
      // Rated before (another tab): the relay refuses a different rating; the prompt goes either way.
      if (reply.ok) store.conversationUpdated(reply.data.conversation)
      store.csatChanged(reply.ok ? 'saved' : 'failed')
    },
    identify(next) {
      const changed = JSON.stringify(next) !== JSON.stringify(identity)
      identity = next
      // The relay links the chat to a verified contact at the handshake: reconnect with it.
      if (changed) transport?.restart()
    },
    stop() {
      clearTimeout(retryTimer)
      unsubscribe()
      transport?.close()
      transport = null
    },
  }
}

/** The handshake's identity: the store's `userHash` (or `hash`), email or user id, name. */
function wireIdentity(identity: ParleyIdentity): NonNullable<WidgetAuth['identity']> {
  return {
    userHash: (identity.userHash ?? identity.hash ?? '').toLowerCase(),
    ...(identity.email && { email: identity.email }),
    ...(identity.userId && { userId: identity.userId }),
    ...(identity.name && { name: identity.name }),
  }
}
