/**
 * The console's only I/O: the auth HTTP routes and the `/console` socket.io namespace. Each server
 * event is handed to one sink function; requests resolve to the ack envelope. No decisions here.
 */
import { io, type Socket } from 'socket.io-client'
import type {
  AgentNotification,
  AgentSummary,
  InboxCounts,
  TypingNotice,
  Viewers,
} from '../../../shared/helpdesk.ts'
import type { ActionRequest } from '../../../shared/policy.ts'
import type {
  Ack,
  AckFn,
  AgentProfile,
  ConsoleClientToServer,
  ConsoleServerToClient,
  ConversationSummary,
  DeliveryStatus,
  Message,
  MessageDelta,
} from '../../../shared/protocol.ts'
import type { UiError } from './store.ts'

type Requests = ConsoleClientToServer
export type RequestName = keyof Requests
export type RequestPayload<E extends RequestName> = Parameters<Requests[E]>[0]
export type RequestResult<E extends RequestName> =
  Parameters<Requests[E]>[1] extends AckFn<infer T> ? T : never

/** Where the socket's events go; the controller binds these to store actions. */
export interface TransportSink {
  connected(): void
  /** `server`: the relay closed the connection and socket.io will not retry by itself. */
  disconnected(reason: 'server' | 'network'): void
  /** The handshake failed; `retrying` is false when the relay refused it (e.g. `unauthorized`). */
  connectFailed(error: UiError, retrying: boolean): void
  sessionReady(agent: AgentProfile): void
  conversationUpserted(conversation: ConversationSummary): void
  messageReceived(message: Message): void
  messageDelta(delta: MessageDelta): void
  /** A bot action request of the agent's sites was created or decided. */
  actionUpserted(action: ActionRequest): void
  /** A channel's news of a reply in an open conversation (WhatsApp: delivered, read, failed). */
  deliveryReceived(status: DeliveryStatus): void
  countsReceived(counts: InboxCounts): void
  viewersReceived(viewers: Viewers): void
  typingReceived(notice: TypingNotice): void
  agentPresence(agent: AgentSummary): void
  notification(notification: AgentNotification): void
}

/** The ack envelope as the console sees it: a wire error, or one raised here (network, timeout). */
export type Reply<T> = { ok: true; data: T } | { ok: false; error: UiError }

export interface SocketTransport {
  connect(): void
  disconnect(): void
  /** `timeoutMs` shortens the wait for requests a relay may not know yet (then: `timeout`). */
  request<E extends RequestName>(
    event: E,
    payload: RequestPayload<E>,
    options?: { timeoutMs?: number },
  ): Promise<Reply<RequestResult<E>>>
}

export interface AuthApi {
  me(): Promise<Reply<{ agent: AgentProfile }>>
  login(credentials: { email: string; password: string }): Promise<Reply<{ agent: AgentProfile }>>
  logout(): Promise<Reply<unknown>>
}

const REQUEST_TIMEOUT_MS = 15_000

function fail(code: UiError['code'], message: string): { ok: false; error: UiError } {
  return { ok: false, error: { code, message } }
}

function isAck(value: unknown): value is Ack<unknown> {
  if (typeof value !== 'object' || value === null || !('ok' in value)) return false
  const v = value as { ok: unknown; data?: unknown; error?: unknown }
  if (v.ok === true) return 'data' in v
  return v.ok === false && typeof v.error === 'object' && v.error !== null && 'code' in v.error
}

/** Opens the `/console` namespace on the page's origin with the session cookie. */
export function createSocketTransport(sink: TransportSink, url = '/console'): SocketTransport {
  const socket: Socket<ConsoleServerToClient, ConsoleClientToServer> = io(url, {
    autoConnect: false,
    withCredentials: true,
  })
  socket.on('connect', () => sink.connected())
  socket.on('disconnect', (reason) =>
    sink.disconnected(reason === 'io server disconnect' ? 'server' : 'network'),
  )
  socket.on('connect_error', (err) => {
    const code = err.message === 'unauthorized' || err.message === 'forbidden' ? err.message : 'network_error'
    sink.connectFailed({ code, message: err.message }, socket.active)
  })
  socket.on('session:ready', (payload) => sink.sessionReady(payload.agent))
  socket.on('conversation:upserted', (c) => sink.conversationUpserted(c))
  socket.on('message:new', (m) => sink.messageReceived(m))
  socket.on('message:delta', (d) => sink.messageDelta(d))
  socket.on('action:upserted', (a) => sink.actionUpserted(a))
  socket.on('message:delivery', (d) => sink.deliveryReceived(d))
  socket.on('inbox:counts', (c) => sink.countsReceived(c))
  socket.on('conversation:viewers', (v) => sink.viewersReceived(v))
  socket.on('conversation:typing', (n) => sink.typingReceived(n))
  socket.on('agent:presence', (a) => sink.agentPresence(a))
  socket.on('notification', (n) => sink.notification(n))

  // The typed `emit` cannot take a generic event name; the envelope is checked on arrival instead.
  const timedEmit = (
    event: string,
    payload: unknown,
    timeoutMs: number,
    ack: (err: Error | null, response: unknown) => void,
  ) => {
    const timed = socket.timeout(timeoutMs) as unknown as {
      emit(event: string, ...args: unknown[]): void
    }
    timed.emit(event, payload, ack)
  }

  return {
    connect: () => {
      socket.connect()
    },
    disconnect: () => {
      socket.disconnect()
    },
    request(event, payload, options) {
      return new Promise((resolve) => {
        timedEmit(event, payload, options?.timeoutMs ?? REQUEST_TIMEOUT_MS, (err, response) => {
          if (err) resolve(fail('timeout', `${event} timed out`))
          else if (isAck(response)) resolve(response as Reply<never>)
          else resolve(fail('internal_error', `${event}: malformed ack`))
        })
      })
    },
  }
}

const STATUS_CODES: Record<number, UiError['code']> = {
  400: 'invalid_payload',
  401: 'unauthorized',
  403: 'forbidden',
  429: 'rate_limited',
}

async function call<T>(fetchImpl: typeof fetch, path: string, body?: unknown): Promise<Reply<T>> {
  let res: Response
  try {
    res = await fetchImpl(path, {
      method: body === undefined ? 'GET' : 'POST',
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  } catch {
    return fail('network_error', `${path}: network error`)
  }
  const parsed: unknown = await res.json().catch(() => null)
  if (isAck(parsed)) return parsed as Reply<T>
  // Not an envelope (a proxy page, a rate limiter's own body): classify by status.
  if (res.ok) return { ok: true, data: parsed as T }
  return fail(STATUS_CODES[res.status] ?? 'internal_error', `${path}: HTTP ${res.status}`)
}

/** The auth routes, same origin; the session lives in an httpOnly cookie the page never sees. */
export function createAuthApi(fetchImpl: typeof fetch = (...args) => fetch(...args)): AuthApi {
  return {
    me: () => call(fetchImpl, '/api/auth/me'),
    login: (credentials) => call(fetchImpl, '/api/auth/login', credentials),
    logout: () => call(fetchImpl, '/api/auth/logout', {}),
  }
}
