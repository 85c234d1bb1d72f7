/** Test support: a real relay on port 0 with lowdb files in a temp dir, and real socket.io clients. */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import { io as connect, type Socket } from 'socket.io-client'
import { type BuildOptions, buildApp } from '../../relay/app.ts'
import { hashPassword } from '../../relay/auth/passwords.ts'
import { loadConfig } from '../../relay/config.ts'
import { ensureDemoSite } from '../../relay/seed.ts'
import type { Agent } from '../../relay/store/types.ts'
import { newId } from '../../shared/ids.ts'
import {
  type Ack,
  CONSOLE_NAMESPACE,
  type ConsoleClientToServer,
  type ConsoleServerToClient,
  PROTOCOL_VERSION,
  type SessionReady,
  WIDGET_NAMESPACE,
  type WidgetClientToServer,
  type WidgetConversation,
  type WidgetServerToClient,
} from '../../shared/protocol.ts'

export type WidgetClient = Socket<WidgetServerToClient, WidgetClientToServer>
export type ConsoleClient = Socket<ConsoleServerToClient, ConsoleClientToServer>

export interface TestRelay {
  app: FastifyInstance
  url: string
  dataDir: string
  /** Routing attributes and role are optional (the record then has none, as older ones). */
  addAgent(input: AgentInput): Promise<Agent>
  close(): Promise<void>
}

export type AgentInput = { email: string; name: string; password?: string; siteIds?: string[] } & Partial<
  Pick<Agent, 'role' | 'skills' | 'languages' | 'teamId' | 'capacity'>
>

/** Starts a relay with the demo site seeded; `close()` stops it and deletes its data. */
export async function startRelay(
  env: Record<string, string> = {},
  /** A fake clock, a shorter helpdesk tick or offline grace, shorter waits between send retries. */
  options: Pick<BuildOptions, 'now' | 'helpdesk' | 'retryDelaysMs'> = {},
): Promise<TestRelay> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'parley-test-'))
  const config = loadConfig({ PARLEY_DATA_DIR: dataDir, PORT: '0', ...env })
  const app = await buildApp({ config, logger: false, ...options })
  await ensureDemoSite(app.parley.store, config, new Date())
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  if (!address || typeof address !== 'object') throw new Error('relay did not listen')
  const url = `http://127.0.0.1:${address.port}`
  let closed = false
  return {
    app,
    url,
    dataDir,
    async addAgent({ email, name, password = 'correct-horse-battery', siteIds = ['demo'], ...routing }) {
      const agent: Agent = {
        id: newId('agt_'),
        email,
        name,
        role: 'agent',
        passwordHash: await hashPassword(password),
        siteIds,
        createdAt: new Date().toISOString(),
        ...routing,
      }
      await app.parley.store.putAgent(agent)
      return agent
    },
    async close() {
      if (closed) return
      closed = true
      await app.close()
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}

/** A shopper's widget connection; resolves once `session:ready` arrived. */
export async function connectWidget(
  url: string,
  auth: { site?: string; token?: string; identity?: Record<string, string> } = {},
  options: { origin?: string } = {},
): Promise<{
  socket: WidgetClient
  token: string
  contactId: string
  greeting: string
  ready: SessionReady
}> {
  const socket: WidgetClient = connect(`${url}${WIDGET_NAMESPACE}`, {
    auth: {
      site: auth.site ?? 'demo',
      token: auth.token,
      protocol: PROTOCOL_VERSION,
      identity: auth.identity,
    },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    extraHeaders: options.origin ? { origin: options.origin } : {},
  })
  return new Promise((resolve, reject) => {
    socket.once('session:ready', (ready) =>
      resolve({ socket, token: ready.token, contactId: ready.contactId, greeting: ready.greeting, ready }),
    )
    socket.once('connect_error', (error) => {
      socket.close()
      reject(error)
    })
  })
}

/** Signs in over HTTP and returns the session cookie (`name=value`). */
export async function login(url: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  })
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${await response.text()}`)
  const cookie = response.headers.get('set-cookie')
  if (!cookie) throw new Error('no session cookie')
  return cookie.split(';')[0] ?? ''
}

/** An agent's console connection with the session cookie. */
export async function connectConsole(
  url: string,
  cookie: string,
  options: { origin?: string } = {},
): Promise<ConsoleClient> {
  const headers: Record<string, string> = { cookie }
  if (options.origin) headers.origin = options.origin
  const socket: ConsoleClient = connect(`${url}${CONSOLE_NAMESPACE}`, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    extraHeaders: headers,
  })
  return new Promise((resolve, reject) => {
    socket.once('session:ready', () => resolve(socket))
    socket.once('connect_error', (error) => {
      socket.close()
      reject(error)
    })
  })
}

/** Emits an event and resolves with its ack (the envelope, unopened). */
export function request<T>(socket: Socket, event: string, payload: unknown): Promise<Ack<T>> {
  return socket.timeout(5000).emitWithAck(event, payload) as Promise<Ack<T>>
}

/** Like `request`, but throws unless the ack is ok, and returns its data. */
export async function call<T>(socket: Socket, event: string, payload: unknown): Promise<T> {
  const ack = await request<T>(socket, event, payload)
  if (!ack.ok) throw new Error(`${event} refused: ${ack.error.code} ${ack.error.message}`)
  return ack.data
}

/** Resolves with the first event payload matching `predicate`, or rejects after `ms`. */
export function waitFor<T>(
  socket: Socket,
  event: string,
  predicate: (payload: T) => boolean,
  ms = 5000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener)
      reject(new Error(`timed out waiting for ${event}`))
    }, ms)
    const listener = (payload: T) => {
      if (!predicate(payload)) return
      clearTimeout(timer)
      socket.off(event, listener)
      resolve(payload)
    }
    socket.on(event, listener)
  })
}

/** Collects every payload of an event from now on. */
export function record<T>(socket: Socket, event: string): T[] {
  const seen: T[] = []
  socket.on(event, (payload: T) => seen.push(payload))
  return seen
}

export const clientId = () => newId('c_')

/** An agent of the demo site, signed in, with an open console socket. */
export async function signedInAgent(
  relay: TestRelay,
  email: string,
  name: string,
  siteIds: string[] = ['demo'],
): Promise<ConsoleClient> {
  await relay.addAgent({ email, name, siteIds })
  return connectConsole(relay.url, await login(relay.url, email, 'correct-horse-battery'))
}

/** A shopper whose first message asked for a person; resolves once the conversation is queued. */
export async function queuedConversation(
  url: string,
  text = 'I want to talk to a person',
): Promise<{ socket: WidgetClient; token: string; contactId: string; conversationId: string }> {
  const shopper = await connectWidget(url)
  const queued = waitFor<WidgetConversation>(
    shopper.socket,
    'conversation:updated',
    (c) => c.status === 'queued',
  )
  const sent = await call<{ conversation: WidgetConversation }>(shopper.socket, 'message:send', {
    clientId: clientId(),
    text,
  })
  await queued
  return {
    socket: shopper.socket,
    token: shopper.token,
    contactId: shopper.contactId,
    conversationId: sent.conversation.id,
  }
}
