/** Test support for routing and SLA tests: a settable clock, agents online, shoppers handed off. */
import type { Conversation } from '../../relay/store/types.ts'
import type { Message, WidgetConversation } from '../../shared/protocol.ts'
import {
  type AgentInput,
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

/** A clock that moves only when told. */
export function fakeClock(startIso: string) {
  let t = Date.parse(startIso)
  return {
    now: () => new Date(t),
    advance(ms: number) {
      t += ms
    },
    set(iso: string) {
      t = Date.parse(iso)
    },
  }
}

export const PASSWORD = 'correct-horse-battery'

/** Adds an agent and opens a console for them (they are online once this resolves). */
export async function agentOnline(relay: TestRelay, input: AgentInput) {
  const agent = await relay.addAgent(input)
  const socket = await openConsole(relay, input.email)
  await relay.app.parley.helpdesk.routing?.settled()
  return { agent, socket }
}

/** Another console (tab) of an existing agent. */
export async function openConsole(relay: TestRelay, email: string): Promise<ConsoleClient> {
  return connectConsole(relay.url, await login(relay.url, email, PASSWORD))
}

export interface Waiting {
  shopper: WidgetClient
  conversationId: string
  contactId: string
}

/**
 * A shopper says hello, then asks for a person; the conversation's routing attributes (and the
 * contact's value) are set in between, as a channel or the store's data would. Resolves once routing
 * has decided.
 */
export async function shopperAsksForPerson(
  relay: TestRelay,
  attributes: Partial<Pick<Conversation, 'skills' | 'language' | 'teamId'>> = {},
  contact: { vip?: boolean; lifetimeValue?: number } = {},
): Promise<Waiting> {
  const { store } = relay.app.parley
  const shopper = await connectWidget(relay.url)
  const greeted = waitFor<Message>(shopper.socket, 'message:new', (m) => m.author === 'bot' && m.seq >= 3)
  const first = await call<{ conversation: WidgetConversation }>(shopper.socket, 'message:send', {
    clientId: clientId(),
    text: 'hello',
  })
  await greeted
  const conversationId = first.conversation.id
  await store.updateConversation(conversationId, (current) => ({
    ok: true,
    conversation: { ...current, ...attributes },
    event: null,
  }))
  if (Object.keys(contact).length > 0) {
    const stored = await store.getContact(shopper.contactId)
    if (!stored) throw new Error('the shopper has no contact yet')
    await store.putContact({ ...stored, ...contact })
  }
  const handedOff = waitFor<WidgetConversation>(
    shopper.socket,
    'conversation:updated',
    (c) => c.id === conversationId && c.status !== 'bot',
  )
  await call(shopper.socket, 'message:send', {
    clientId: clientId(),
    conversationId,
    text: 'I want to talk to a person',
  })
  await handedOff
  await relay.app.parley.helpdesk.routing?.settled()
  return { shopper: shopper.socket, conversationId, contactId: shopper.contactId }
}

/** The stored conversation (throws if missing). */
export async function stored(relay: TestRelay, id: string): Promise<Conversation> {
  const conversation = await relay.app.parley.store.getConversation(id)
  if (!conversation) throw new Error(`no conversation ${id}`)
  return conversation
}
