/**
 * Test support for the console's helpdesk events (tests/integration/helpdesk-*.test.ts): signed-in
 * agents with roles and sockets, queued conversations, and waiting for silence.
 */
import type { Socket } from 'socket.io-client'
import type { Agent } from '../../relay/store/types.ts'
import type { WidgetConversation } from '../../shared/protocol.ts'
import {
  type ConsoleClient,
  call,
  clientId,
  connectConsole,
  connectWidget,
  login,
  type TestRelay,
  type WidgetClient,
  waitFor,
} from './relay.ts'

const PASSWORD = 'correct-horse-battery'

/**
 * Turns auto-assignment off on the demo site (and sets its teams), so a test decides who owns what:
 * agents signed in here are online and could otherwise receive queued conversations.
 */
export async function manualAssignment(
  relay: TestRelay,
  teams: { id: string; name: string }[] = [],
): Promise<void> {
  const store = relay.app.parley.store
  const demo = await store.getSite('demo')
  if (!demo) throw new Error('no demo site')
  await store.putSite({ ...demo, helpdesk: { ...demo.helpdesk, autoAssign: false, teams } })
}

export interface SignedIn {
  agent: Agent
  cookie: string
  socket: ConsoleClient
}

/** Adds an agent (an admin with `role: 'admin'`), signs them in and opens their console socket. */
export async function signIn(
  relay: TestRelay,
  name: string,
  options: { role?: 'admin' | 'agent'; siteIds?: string[] } = {},
): Promise<SignedIn> {
  const email = `${name.toLowerCase()}@example.com`
  let agent = await relay.addAgent({ email, name, password: PASSWORD, siteIds: options.siteIds ?? ['demo'] })
  if (options.role === 'admin') {
    agent = { ...agent, role: 'admin' }
    await relay.app.parley.store.putAgent(agent)
  }
  const cookie = await login(relay.url, email, PASSWORD)
  const socket = await connectConsole(relay.url, cookie)
  return { agent, cookie, socket }
}

/** A shopper who asked for a person: their socket and the queued conversation's id. */
export async function queuedConversation(
  relay: TestRelay,
  text = 'talk to a human',
): Promise<{ shopper: WidgetClient; conversationId: string; token: string }> {
  const { socket, token } = await connectWidget(relay.url)
  const queued = waitFor<WidgetConversation>(socket, 'conversation:updated', (c) => c.status === 'queued')
  const sent = await call<{ conversation: WidgetConversation }>(socket, 'message:send', {
    clientId: clientId(),
    text,
  })
  await queued
  return { shopper: socket, conversationId: sent.conversation.id, token }
}

/** Every `event` that arrives on `socket` within `ms` (for things that must not be sent). */
export function silence(socket: Socket, event: string, ms = 300): Promise<unknown[]> {
  const seen: unknown[] = []
  const listener = (payload: unknown) => seen.push(payload)
  socket.on(event, listener)
  return new Promise((resolve) =>
    setTimeout(() => {
      socket.off(event, listener)
      resolve(seen)
    }, ms),
  )
}
