/**
 * The console's customer events: one customer's profile and timeline across channels, the contact
 * search behind "Merge with…", merge and unmerge. Every contact is scoped to the agent's sites.
 * A merge or unmerge re-sends the summaries it changed, so every open console shows the new name.
 */
import type { Namespace, Socket } from 'socket.io'
import { CustomerMergeSchema, CustomerRefSchema, CustomerSearchSchema } from '../../shared/customers.ts'
import type {
  ConsoleClientToServer,
  ConsoleServerToClient,
  ConversationSummary,
} from '../../shared/protocol.ts'
import { Customers } from '../contacts/customers.ts'
import type { ContactCache } from '../conversations/contact-cache.ts'
import type { Logger } from '../conversations/service.ts'
import type { Agent, Conversation, Store } from '../store/types.ts'
import { rooms } from './broadcaster.ts'
import { handle } from './handler.ts'

type ConsoleSocket = Socket<
  ConsoleClientToServer,
  ConsoleServerToClient,
  Record<string, never>,
  { agent: Agent }
>
type ConsoleNamespace = Namespace<
  ConsoleClientToServer,
  ConsoleServerToClient,
  Record<string, never>,
  { agent: Agent }
>

export interface CustomerHandlerDeps {
  store: Store
  contacts: ContactCache
  log: Logger
  now: () => Date
  summarize(conversation: Conversation): Promise<ConversationSummary>
}

export function registerCustomerHandlers(
  socket: ConsoleSocket,
  agent: Agent,
  deps: CustomerHandlerDeps,
): void {
  const customers = new Customers(deps)
  const nsp = socket.nsp as ConsoleNamespace

  async function pushChanged(changed: readonly Conversation[]): Promise<void> {
    for (const conversation of changed) {
      const summary = await deps.summarize(conversation)
      nsp.to(rooms.site(conversation.siteId)).emit('conversation:upserted', summary)
    }
  }

  socket.on(
    'customer:get',
    handle('customer:get', CustomerRefSchema, deps.log, async ({ contactId }) => ({
      customer: await customers.profile(agent, contactId),
    })),
  )

  socket.on(
    'customer:search',
    handle('customer:search', CustomerSearchSchema, deps.log, async ({ query, excludeId }) => ({
      contacts: await customers.search(agent, query, excludeId),
    })),
  )

  socket.on(
    'customer:merge',
    handle('customer:merge', CustomerMergeSchema, deps.log, async ({ sourceId, targetId }) => {
      const { customer, changed } = await customers.merge(agent, sourceId, targetId, deps.now())
      deps.log.info(
        { agentId: agent.id, sourceId, targetId: customer.id, conversations: changed.length },
        'contacts merged',
      )
      await pushChanged(changed)
      return { customer }
    }),
  )

  socket.on(
    'customer:unmerge',
    handle('customer:unmerge', CustomerRefSchema, deps.log, async ({ contactId }) => {
      const { customer, changed } = await customers.unmerge(agent, contactId)
      deps.log.info({ agentId: agent.id, contactId, formerTarget: customer.id }, 'contact unmerged')
      await pushChanged(changed)
      return { customer }
    }),
  )
}
