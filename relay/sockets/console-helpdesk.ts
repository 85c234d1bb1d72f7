/**
 * The console's helpdesk events: inbox views with counts, assignment, priority and tags, internal
 * notes, collision (viewing, typing), agents and macros. `createHelpdesk` is made once per console
 * namespace (it observes the conversation service to push counts and notifications);
 * `registerHelpdeskHandlers` wires one authenticated socket.
 */
import type { Namespace, Socket } from 'socket.io'
import { z } from 'zod'
import {
  AssignSchema,
  ConversationUpdateSchema,
  InboxQuerySchema,
  TypingSchema,
  type Viewers,
  ViewingSchema,
} from '../../shared/helpdesk.ts'
import {
  type ConsoleClientToServer,
  ConsoleSendSchema,
  type ConsoleServerToClient,
  type ConversationSummary,
} from '../../shared/protocol.ts'
import type { ContactCache } from '../conversations/contact-cache.ts'
import type { ConversationService, Logger } from '../conversations/service.ts'
import { toSummary } from '../conversations/views.ts'
import {
  colleaguesOf,
  loadsFor,
  noPresence,
  type PresenceOf,
  teamsOfSites,
  toAgentSummary,
} from '../helpdesk/agents.ts'
import { viewersChanged, viewersOf } from '../helpdesk/collision.ts'
import { CountsScheduler } from '../helpdesk/counts.ts'
import { countViews, INBOX_LIMIT, inView, isQueueView, matchesFilters, orderView } from '../helpdesk/inbox.ts'
import { macrosForSites } from '../helpdesk/macros.ts'
import { assignmentNotice, messageNotice } from '../helpdesk/notifications.ts'
import { HelpdeskOps } from '../helpdesk/ops.ts'
import type { Agent, Conversation, Store } from '../store/types.ts'
import { rooms, socketBroadcaster } from './broadcaster.ts'
import { handle } from './handler.ts'

interface AgentData {
  agent: Agent
}
type HelpdeskNamespace<D extends AgentData> = Namespace<
  ConsoleClientToServer,
  ConsoleServerToClient,
  Record<string, never>,
  D
>
type HelpdeskSocket<D extends AgentData> = Socket<
  ConsoleClientToServer,
  ConsoleServerToClient,
  Record<string, never>,
  D
>

export interface HelpdeskDeps {
  store: Store
  service: ConversationService
  contacts: ContactCache
  log: Logger
  /** Agents' presence (relay/routing); every agent is `offline` without it. */
  presenceOf?: PresenceOf
  /** How a conversation is shown (with its SLA, once the SLA module provides it); default `toSummary`. */
  summarize?: (conversation: Conversation) => Promise<ConversationSummary>
  countsDelayMs?: number
}

export interface Helpdesk {
  readonly deps: HelpdeskDeps
  readonly ops: HelpdeskOps
  readonly counts: CountsScheduler
  presenceOf: PresenceOf
  summarize(conversation: Conversation): Promise<ConversationSummary>
}

const EmptySchema = z.object({}).optional()
const ALL = Number.MAX_SAFE_INTEGER

/** Conversations of the agent's sites, every status, newest update first. */
function everything(store: Store, agent: Agent): Promise<Conversation[]> {
  return store.listConversations({ siteIds: agent.siteIds, limit: ALL })
}

/** Made once per console namespace: observes the service for count and notification pushes. */
export function createHelpdesk<D extends AgentData>(nsp: HelpdeskNamespace<D>, deps: HelpdeskDeps): Helpdesk {
  const { store, service, contacts, log } = deps
  const summarize =
    deps.summarize ??
    (async (conversation: Conversation) =>
      toSummary(conversation, await contacts.get(conversation.contactId)))
  const broadcaster = socketBroadcaster(nsp.server, contacts, log, summarize)

  /** Every connected agent of the site gets their own counts (`mine` differs per agent). */
  async function pushCounts(siteId: string): Promise<void> {
    const sockets = await nsp.in(rooms.site(siteId)).fetchSockets()
    const agents = new Map<string, Agent>()
    for (const socket of sockets) agents.set(socket.data.agent.id, socket.data.agent)
    for (const agent of agents.values()) {
      const counts = countViews(await everything(store, agent), agent.id)
      nsp.to(rooms.agent(agent.id)).emit('inbox:counts', counts)
    }
  }
  const counts = new CountsScheduler(pushCounts, log, deps.countsDelayMs)

  service.observe({
    async transitioned(conversation, event) {
      counts.touch(conversation.siteId)
      if (event.type !== 'assigned') return
      const [actor, contact] = await Promise.all([
        event.actor.kind === 'agent' && event.actor.id ? store.getAgent(event.actor.id) : null,
        contacts.get(conversation.contactId),
      ])
      const notice = assignmentNotice(conversation, event, {
        actor: actor?.name ?? null,
        contact: contact?.name ?? null,
      })
      if (notice) nsp.to(rooms.agent(notice.agentId)).emit('notification', notice.notification)
    },
    messageStored(conversation, message) {
      // seq 1 is a new conversation's first message: the counts of `bot` and `all` grew.
      if (message.seq === 1) counts.touch(conversation.siteId)
      const notice = messageNotice(conversation, message)
      if (notice) nsp.to(rooms.agent(notice.agentId)).emit('notification', notice.notification)
    },
  })

  return {
    deps,
    ops: new HelpdeskOps({ store, service, broadcaster }),
    counts,
    presenceOf: deps.presenceOf ?? noPresence,
    summarize,
  }
}

/** Registers the helpdesk events on one authenticated console socket. */
export function registerHelpdeskHandlers<D extends AgentData>(
  socket: HelpdeskSocket<D>,
  { agent, helpdesk }: { agent: Agent; helpdesk: Helpdesk },
): void {
  const { store, service, log } = helpdesk.deps
  const { ops, summarize } = helpdesk
  const nsp = socket.nsp
  // Notifications and this agent's own counts go to every tab of theirs.
  void socket.join(rooms.agent(agent.id))

  /** The sockets viewing the conversation on every node: its viewers, and how many are this agent's. */
  async function viewingNow(conversationId: string) {
    const sockets = await nsp.in(rooms.viewing(conversationId)).fetchSockets()
    const agents = sockets.map((s) => s.data.agent)
    return {
      viewers: viewersOf(conversationId, agents),
      mine: agents.filter((a) => a.id === agent.id).length,
    }
  }
  const pushViewers = (viewers: Viewers) =>
    nsp.to(rooms.conversation(viewers.conversationId)).emit('conversation:viewers', viewers)

  socket.on(
    'inbox:query',
    handle('inbox:query', InboxQuerySchema, log, async (query) => {
      const all = await everything(store, agent)
      const selected = all.filter((c) => inView(query.view, c, agent.id) && matchesFilters(c, query))
      // Queue views are ordered by what summaries carry (the SLA due time); the others by recency, as stored.
      const shown = isQueueView(query.view) ? selected : selected.slice(0, INBOX_LIMIT)
      const conversations = orderView(query.view, await Promise.all(shown.map(summarize)))
      return { conversations, counts: countViews(all, agent.id) }
    }),
  )

  socket.on(
    'conversation:assign',
    handle('conversation:assign', AssignSchema, log, async (payload) => ({
      conversation: await summarize(await ops.assign(agent, payload)),
    })),
  )

  socket.on(
    'conversation:update',
    handle('conversation:update', ConversationUpdateSchema, log, async (payload) => ({
      conversation: await summarize(await ops.update(agent, payload)),
    })),
  )

  socket.on(
    'note:add',
    handle('note:add', ConsoleSendSchema, log, async (payload) => {
      const { message } = await ops.addNote(agent, payload)
      return { message }
    }),
  )

  socket.on(
    'conversation:viewing',
    handle('conversation:viewing', ViewingSchema, log, async ({ conversationId, viewing }) => {
      const conversation = await service.forAgent(agent, conversationId)
      // A viewer is subscribed to the conversation, so they also hear who else is there.
      if (viewing) await socket.join(rooms.conversation(conversation.id))
      const room = rooms.viewing(conversation.id)
      const was = socket.rooms.has(room)
      await (viewing ? socket.join(room) : socket.leave(room))
      const now = await viewingNow(conversation.id)
      if (viewersChanged(viewing, was, now.mine)) pushViewers(now.viewers)
      return now.viewers
    }),
  )

  socket.on(
    'conversation:typing',
    handle('conversation:typing', TypingSchema, log, async ({ conversationId, internal }) => {
      const conversation = await service.forAgent(agent, conversationId)
      // Not to the typist's own tabs: they know.
      nsp
        .to(rooms.conversation(conversation.id))
        .except(rooms.agent(agent.id))
        .emit('conversation:typing', {
          conversationId: conversation.id,
          agent: { id: agent.id, name: agent.name },
          internal,
        })
      return null
    }),
  )

  socket.on(
    'agents:list',
    handle('agents:list', EmptySchema, log, async () => {
      const colleagues = colleaguesOf(await store.listAgents(), agent)
      const siteIds = [...new Set(colleagues.flatMap((a) => a.siteIds))]
      const [loads, sites] = await Promise.all([
        loadsFor(store, siteIds),
        Promise.all(agent.siteIds.map((id) => store.getSite(id))),
      ])
      return {
        agents: colleagues.map((a) => toAgentSummary(a, helpdesk.presenceOf(a.id), loads.get(a.id) ?? 0)),
        teams: teamsOfSites(sites),
      }
    }),
  )

  socket.on(
    'macro:list',
    handle('macro:list', EmptySchema, log, async () => ({
      macros: await macrosForSites(store, agent.siteIds),
    })),
  )

  // The rooms are gone by `disconnect`: note which conversations this socket viewed before.
  let viewed: string[] = []
  socket.on('disconnecting', () => {
    const prefix = rooms.viewing('')
    viewed = [...socket.rooms].filter((r) => r.startsWith(prefix)).map((r) => r.slice(prefix.length))
  })
  socket.on('disconnect', () => {
    for (const conversationId of viewed) {
      viewingNow(conversationId).then(
        (now) => {
          if (viewersChanged(false, true, now.mine)) pushViewers(now.viewers)
        },
        (error: unknown) => log.error({ err: error, conversationId }, 'viewers after a disconnect failed'),
      )
    }
  })
}
