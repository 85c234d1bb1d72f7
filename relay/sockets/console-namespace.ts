/** The agent side: handshake by session cookie (same origin only) and the console's events. */
import type { Namespace, Server } from 'socket.io'
import { z } from 'zod'
import type { Presence } from '../../shared/helpdesk.ts'
import {
  CONSOLE_NAMESPACE,
  type ConsoleClientToServer,
  ConsoleSendSchema,
  type ConsoleServerToClient,
  ConversationRefSchema,
  type ConversationStatus,
  type ConversationSummary,
  type DeliveryStatus,
  EffortRateSchema,
  type InboxFilter,
  InboxFilterSchema,
  PROTOCOL_VERSION,
  SESSION_COOKIE,
} from '../../shared/protocol.ts'
import type { ActionService } from '../actions/service.ts'
import { agentForToken } from '../auth/sessions.ts'
import type { ContactCache } from '../conversations/contact-cache.ts'
import type { ConversationService, Logger } from '../conversations/service.ts'
import { toSummary } from '../conversations/views.ts'
import type { AgentPresence } from '../routing/presence.ts'
import type { Agent, Conversation, Store } from '../store/types.ts'
import { rooms } from './broadcaster.ts'
import { registerActionHandlers } from './console-actions.ts'
import { registerCustomerHandlers } from './console-customers.ts'
import { createHelpdesk, registerHelpdeskHandlers } from './console-helpdesk.ts'
import { registerPresenceHandlers } from './console-presence.ts'
import { handle } from './handler.ts'
import { ownOrigins } from './origin.ts'

type ConsoleNamespace = Namespace<
  ConsoleClientToServer,
  ConsoleServerToClient,
  Record<string, never>,
  ConsoleSocketData
>

interface ConsoleSocketData {
  agent: Agent
  sessionId: string
}

export interface ConsoleNamespaceDeps {
  store: Store
  service: ConversationService
  /** The bot's action requests: list and decide (console-actions.ts). */
  actions: ActionService
  contacts: ContactCache
  parseCookie: (header: string) => Record<string, string | undefined>
  publicUrl: string | null
  secureCookies: boolean
  now: () => Date
  log: Logger
  /** Presence of agents (relay/routing/presence.ts): console sockets count agents in and out. */
  presence: AgentPresence
  /** For the helpdesk handlers: an agent's presence now. */
  presenceOf?: (agentId: string) => Presence
  /** How agents see a conversation, SLA included (relay/routing/runtime.ts); default without SLA. */
  summarize?: (conversation: Conversation) => Promise<ConversationSummary>
  /** The latest delivery status of a conversation's replies, for channels that report them (WhatsApp). */
  deliveries?: (conversation: Conversation) => Promise<DeliveryStatus[]>
}

const FILTERS: Record<InboxFilter, ConversationStatus[] | undefined> = {
  open: ['bot', 'queued', 'assigned'],
  bot: ['bot'],
  queued: ['queued'],
  assigned: ['assigned'],
  resolved: ['resolved'],
  all: undefined,
}

function refusal(code: string): Error & { data: { code: string } } {
  return Object.assign(new Error(code), { data: { code } })
}

export function registerConsoleNamespace(io: Server, deps: ConsoleNamespaceDeps): void {
  const nsp =
    // The server is untyped (it carries two namespaces); each namespace gets its own event maps.
    io.of(CONSOLE_NAMESPACE) as unknown as ConsoleNamespace
  const helpdesk = createHelpdesk(nsp, deps)

  nsp.use((socket, next) => {
    // The session rides on a cookie, so a page of another origin must not open this socket (CSWSH).
    const origin = socket.handshake.headers.origin
    if (
      origin &&
      !ownOrigins(socket.handshake.headers, deps.publicUrl, deps.secureCookies).includes(origin)
    ) {
      return next(refusal('origin_not_allowed'))
    }
    const token = deps.parseCookie(socket.handshake.headers.cookie ?? '')[SESSION_COOKIE]
    agentForToken(deps.store, token, deps.now()).then(
      (found) => {
        if (!found) return next(refusal('unauthorized'))
        // Without the password hash: with the Redis adapter, socket data travels to the other
        // nodes (`fetchSockets`), and nothing a socket does needs it.
        socket.data = { agent: { ...found.agent, passwordHash: '' }, sessionId: found.sessionId }
        next()
      },
      (error: unknown) => {
        deps.log.error({ err: error }, 'console handshake failed')
        next(refusal('internal_error'))
      },
    )
  })

  nsp.on('connection', (socket) => {
    const { agent, sessionId } = socket.data
    void socket.join([rooms.session(sessionId), ...agent.siteIds.map(rooms.site)])
    socket.emit('session:ready', {
      agent: { id: agent.id, email: agent.email, name: agent.name, role: agent.role },
      protocol: PROTOCOL_VERSION,
    })
    const summary =
      deps.summarize ??
      (async (conversation: Conversation) =>
        toSummary(conversation, await deps.contacts.get(conversation.contactId)))

    socket.on(
      'inbox:list',
      handle(
        'inbox:list',
        z.object({ filter: InboxFilterSchema.default('open') }),
        deps.log,
        async ({ filter }) => {
          const list = await deps.store.listConversations({
            siteIds: agent.siteIds,
            statuses: FILTERS[filter],
          })
          return { conversations: await Promise.all(list.map(summary)) }
        },
      ),
    )

    socket.on(
      'conversation:open',
      handle('conversation:open', ConversationRefSchema, deps.log, async ({ conversationId }) => {
        const conversation = await deps.service.forAgent(agent, conversationId)
        // Join before reading, so no message falls between the read and the subscription.
        await socket.join(rooms.conversation(conversation.id))
        const [messages, events, actions] = await Promise.all([
          deps.store.listMessages(conversation.id),
          deps.store.listEvents(conversation.id),
          deps.actions.list(agent, { conversationId: conversation.id }),
        ])
        const fresh = (await deps.store.getConversation(conversation.id)) ?? conversation
        return {
          conversation: await summary(fresh),
          messages,
          events,
          actions,
          // Read after the join: a status newer than this arrives as `message:delivery`.
          ...(deps.deliveries && { deliveries: await deps.deliveries(fresh) }),
        }
      }),
    )

    socket.on(
      'conversation:close',
      handle('conversation:close', ConversationRefSchema, deps.log, async ({ conversationId }) => {
        await socket.leave(rooms.conversation(conversationId))
        return null
      }),
    )

    socket.on(
      'conversation:claim',
      handle('conversation:claim', ConversationRefSchema, deps.log, async ({ conversationId }) => ({
        conversation: await summary(await deps.service.claim(agent, conversationId)),
      })),
    )

    socket.on(
      'conversation:resolve',
      handle('conversation:resolve', ConversationRefSchema, deps.log, async ({ conversationId }) => ({
        conversation: await summary(await deps.service.resolve(agent, conversationId)),
      })),
    )

    socket.on(
      'effort:rate',
      handle('effort:rate', EffortRateSchema, deps.log, async (payload) => ({
        conversation: await summary(await deps.service.rateEffort(agent, payload)),
      })),
    )

    socket.on(
      'message:send',
      handle('message:send', ConsoleSendSchema, deps.log, async (payload) => {
        const { message } = await deps.service.agentSend(agent, payload)
        return { message }
      }),
    )

    registerActionHandlers(socket, { agent, actions: deps.actions, log: deps.log })
    registerPresenceHandlers(socket, deps)
    registerHelpdeskHandlers(socket, { agent, helpdesk })
    registerCustomerHandlers(socket, agent, { ...deps, summarize: summary })
  })
}
