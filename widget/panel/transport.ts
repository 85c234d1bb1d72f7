/**
 * The socket.io side of the panel: one connection to the relay's `/widget` namespace. Each
 * server event becomes one call on the sink; requests become promises of a reply. No decisions
 * about what to do next live here (that is the chat controller's job).
 */
import { io, type Socket } from 'socket.io-client'
import type { Availability } from '../../shared/helpdesk.ts'
import type {
  Ack,
  CsatRate,
  KbArticle,
  KbSearchResult,
  Message,
  MessageDelta,
  PROTOCOL_VERSION,
  ResumeResult,
  SessionReady,
  WIDGET_NAMESPACE,
  WidgetAuth,
  WidgetClientToServer,
  WidgetConversation,
  WidgetResume,
  WidgetSend,
  WidgetServerToClient,
} from '../../shared/protocol.ts'
import type { Connection } from './store.ts'

// Values restated so that zod (the runtime of protocol.ts) stays out of the bundle; the types
// make the compiler check them against the protocol.
const NAMESPACE: typeof WIDGET_NAMESPACE = '/widget'
export const PROTOCOL: typeof PROTOCOL_VERSION = 1
/** How long a request waits for its ack before it counts as unanswered. */
export const ACK_TIMEOUT_MS = 10_000

/** A request's outcome: the relay's ack, or `timeout` (no answer) / `offline` (not sent). */
export type Reply<T> = Ack<T> | { ok: false; error: { code: 'timeout' | 'offline'; message: string } }

export interface TransportSink {
  sessionReady(payload: SessionReady): void
  messageReceived(message: Message): void
  deltaReceived(delta: MessageDelta): void
  conversationUpdated(conversation: WidgetConversation): void
  availabilityChanged(availability: Availability): void
  connectionChanged(change: { connection: Connection; code?: string }): void
}

export interface Transport {
  resume(payload: WidgetResume): Promise<Reply<ResumeResult>>
  send(payload: WidgetSend): Promise<Reply<{ message: Message; conversation: WidgetConversation }>>
  /** Self-service: verified help articles. */
  kbSearch(query: string): Promise<Reply<{ results: KbSearchResult[] }>>
  kbArticle(slug: string): Promise<Reply<{ article: KbArticle }>>
  kbFeedback(slug: string, helpful: boolean): Promise<Reply<{ counted: boolean }>>
  /** Leaves an email address for the reply when nobody is around. */
  leaveEmail(email: string): Promise<Reply<{ email: string }>>
  /** "How did we do?": rates the resolved conversation once. */
  rate(payload: CsatRate): Promise<Reply<{ conversation: WidgetConversation }>>
  /** Connects again after a refusal the caller has dealt with (e.g. a dropped token). */
  reconnect(): void
  /** Drops the connection (it may be stale after a network change); socket.io then reconnects. */
  restart(): void
  close(): void
}

export interface TransportOptions {
  /** The relay's base URL (with a trailing slash); socket.io lives at `<base>socket.io`. */
  relayUrl: string
  /** Read at every (re)connection, so a new token is used from then on. */
  auth(): WidgetAuth
}

type WidgetSocket = Socket<WidgetServerToClient, WidgetClientToServer>

export function createSocketTransport(options: TransportOptions, sink: TransportSink): Transport {
  const base = new URL(options.relayUrl)
  const socket: WidgetSocket = io(base.origin + NAMESPACE, {
    path: new URL('socket.io', base).pathname,
    auth: (cb) => cb(options.auth()),
  })
  let closed = false

  socket.on('session:ready', (payload) => sink.sessionReady(payload))
  socket.on('message:new', (message) => sink.messageReceived(message))
  socket.on('message:delta', (delta) => sink.deltaReceived(delta))
  socket.on('conversation:updated', (conversation) => sink.conversationUpdated(conversation))
  socket.on('availability:changed', (availability) => sink.availabilityChanged(availability))
  // `active` is false when the relay refused us (middleware error): socket.io will not retry then.
  socket.on('connect_error', (error) =>
    sink.connectionChanged(
      socket.active ? { connection: 'reconnecting' } : { connection: 'refused', code: error.message },
    ),
  )
  socket.on('disconnect', () => {
    sink.connectionChanged({ connection: 'reconnecting' })
    // The relay dropped us on purpose (e.g. a restart or a revoked token): come back after a pause.
    if (!socket.active && !closed) setTimeout(() => closed || socket.connect(), 2000)
  })

  function request<T>(emit: (socket: WidgetSocket, done: (err: Error | null, ack: Ack<T>) => void) => void) {
    return new Promise<Reply<T>>((resolve) => {
      // Emitting while disconnected would be buffered and replayed by socket.io behind our back.
      if (!socket.connected) {
        resolve({ ok: false, error: { code: 'offline', message: 'not connected' } })
        return
      }
      emit(socket, (err, ack) =>
        resolve(err ? { ok: false, error: { code: 'timeout', message: err.message } } : ack),
      )
    })
  }

  return {
    resume: (payload) =>
      request<ResumeResult>((s, done) =>
        s.timeout(ACK_TIMEOUT_MS).emit('conversation:resume', payload, (err, ack) => done(err, ack)),
      ),
    send: (payload) =>
      request((s, done) =>
        s.timeout(ACK_TIMEOUT_MS).emit('message:send', payload, (err, ack) => done(err, ack)),
      ),
    kbSearch: (query) =>
      request((s, done) =>
        s.timeout(ACK_TIMEOUT_MS).emit('kb:search', { query }, (err, ack) => done(err, ack)),
      ),
    kbArticle: (slug) =>
      request((s, done) =>
        s.timeout(ACK_TIMEOUT_MS).emit('kb:article', { slug }, (err, ack) => done(err, ack)),
      ),
    kbFeedback: (slug, helpful) =>
      request((s, done) =>
        s.timeout(ACK_TIMEOUT_MS).emit('kb:feedback', { slug, helpful }, (err, ack) => done(err, ack)),
      ),
    leaveEmail: (email) =>
      request((s, done) =>
        s.timeout(ACK_TIMEOUT_MS).emit('contact:email', { email }, (err, ack) => done(err, ack)),
      ),
    rate: (payload) =>
      request((s, done) =>
        s.timeout(ACK_TIMEOUT_MS).emit('csat:rate', payload, (err, ack) => done(err, ack)),
      ),
    reconnect: () => {
      if (!closed && !socket.connected) socket.connect()
    },
    restart: () => {
      if (!closed && socket.connected) socket.io.engine.close()
    },
    close: () => {
      closed = true
      socket.disconnect()
    },
  }
}
