/**
 * The helpdesk's intents: assignment and transfer, priority and tags, the agent's presence,
 * collision notices (viewing, typing), the contact's history, macros' actions, and alerts. Each
 * calls the transport and records the outcome in the store, like controller.ts.
 */
import type { ConversationSummary, Message, Priority } from '../../../../shared/protocol.ts'
import { queryFor } from '../inbox.ts'
import type { Store } from '../store.ts'
import type { Reply, SocketTransport } from '../transport.ts'
import { type Alert, type AlertLog, gateAlert, shopperMessageAlert } from './alerts.ts'
import { createTypingThrottle } from './collision.ts'
import { type MacroActions, updateFor } from './macros.ts'
import type { OwnStatus } from './state.ts'

/** Where an alert that passed the gate goes (the browser notifier, in main.tsx). */
export interface AlertSink {
  ring(alert: Alert): void
}

export interface HelpdeskContext {
  store: Store
  online(): SocketTransport | null
  clock(): number
  newEventTimeoutMs: number
  isLegacyInbox(): boolean
  alerts?: AlertSink
  saveAlerts?: (on: boolean, agentId: string) => void
}

export interface AssignTarget {
  agentId?: string | null
  teamId?: string | null
  /** A transfer note: stored as an internal note, never sent to the customer. */
  note?: string
}

export interface HelpdeskIntents {
  /** Assign the open conversation to an agent or a team (a transfer when a note is given). */
  assign(target: AssignTarget): Promise<boolean>
  /** Back to the queue. */
  unassign(): Promise<boolean>
  /** Change the open conversation's priority or tags. */
  update(patch: { priority?: Priority; tags?: string[] }): Promise<boolean>
  /** The agent types in the composer; says so to the others at most every couple of seconds. */
  typing(internal: boolean): void
  /** Forgets typing notices that ran out (the view calls this on a short timer). */
  expireTyping(): void
  setStatus(status: OwnStatus): Promise<void>
  setAlerts(on: boolean): void
}

/** What the controller calls around the connection; not for views. */
export interface HelpdeskHooks {
  loadDirectory(): Promise<void>
  loadHistory(conversationId: string): Promise<void>
  announceViewing(conversationId: string, viewing: boolean): Promise<void>
  ring(alert: Alert): void
  onSummaryPushed(held: ConversationSummary | undefined, next: ConversationSummary, visible: boolean): void
  onMessagePushed(message: Message, visible: boolean): void
  applyMacroActions(
    conversationId: string,
    actions: MacroActions,
    resolve: () => Promise<void>,
  ): Promise<void>
}

export function createHelpdeskIntents(ctx: HelpdeskContext): HelpdeskIntents & HelpdeskHooks {
  const { store } = ctx
  const throttle = createTypingThrottle()
  let alertLog: AlertLog = {}
  const quick = { timeoutMs: ctx.newEventTimeoutMs }

  const selfId = () => store.getState().auth.agent?.id ?? null

  async function changed(
    id: string,
    action: 'assign' | 'update',
    request: (s: SocketTransport) => Promise<Reply<{ conversation: ConversationSummary }>>,
  ): Promise<boolean> {
    const s = ctx.online()
    if (!s) return false
    store.actionStarted(id, action)
    const ack = await request(s)
    if (!ack.ok) {
      store.actionFailed(id, ack.error)
      return false
    }
    store.actionSucceeded(ack.data.conversation)
    return true
  }

  const currentId = () => store.getState().current?.id ?? null

  const ring = (alert: Alert) => {
    const { ring: yes, log } = gateAlert(alertLog, alert, ctx.clock(), store.getState().helpdesk.alerts)
    alertLog = log
    if (yes) ctx.alerts?.ring(alert)
  }

  return {
    async assign(target) {
      const id = currentId()
      if (!id) return false
      const note = target.note?.trim()
      return changed(id, 'assign', (s) =>
        s.request('conversation:assign', {
          conversationId: id,
          ...(target.agentId !== undefined && { agentId: target.agentId }),
          ...(target.teamId !== undefined && { teamId: target.teamId }),
          ...(note && { note }),
        }),
      )
    },

    async unassign() {
      const id = currentId()
      if (!id) return false
      return changed(id, 'assign', (s) =>
        s.request('conversation:assign', { conversationId: id, agentId: null, teamId: null }),
      )
    },

    async update(patch) {
      const id = currentId()
      if (!id) return false
      return changed(id, 'update', (s) => s.request('conversation:update', { conversationId: id, ...patch }))
    },

    typing(internal) {
      const id = currentId()
      const s = ctx.online()
      if (!id || !s || !throttle(id, internal, ctx.clock())) return
      void s.request('conversation:typing', { conversationId: id, internal }, quick)
    },

    expireTyping() {
      store.typingExpired(ctx.clock())
    },

    async setStatus(status) {
      const before = store.getState().helpdesk.status
      store.statusChanged(status)
      const s = ctx.online()
      if (!s) return
      const ack = await s.request('agent:status', { status }, quick)
      if (ack.ok) store.agentPresence(ack.data.agent)
      else if (ack.error.code !== 'timeout') store.statusChanged(before)
    },

    setAlerts(on) {
      store.alertsSet(on)
      const id = selfId()
      if (id) ctx.saveAlerts?.(on, id)
    },

    async loadDirectory() {
      const s = ctx.online()
      if (!s) return
      const [agents, macros] = await Promise.all([
        s.request('agents:list', {}, quick),
        s.request('macro:list', {}, quick),
      ])
      store.directoryLoaded(agents.ok ? agents.data.agents : [], agents.ok ? agents.data.teams : [])
      store.macrosLoaded(macros.ok ? macros.data.macros : [])
    },

    async loadHistory(id) {
      const s = ctx.online()
      if (!s) return
      // The customer's every conversation on every channel (merged contacts included)…
      const contactId = store.getState().inbox.byId[id]?.contact.id
      if (contactId && !ctx.isLegacyInbox()) {
        const customer = await s.request('customer:get', { contactId }, quick)
        if (customer.ok) {
          store.historyLoaded(id, customer.data.customer.conversations)
          return
        }
      }
      // …or, from a relay without customers, every conversation narrowed to this contact here.
      const ack = ctx.isLegacyInbox()
        ? await s.request('inbox:list', { filter: 'all' })
        : await s.request('inbox:query', queryFor('all', {}), quick)
      store.historyLoaded(id, ack.ok ? ack.data.conversations : [])
    },

    async announceViewing(id, viewing) {
      const s = ctx.online()
      if (!s) return
      const ack = await s.request('conversation:viewing', { conversationId: id, viewing }, quick)
      if (ack.ok && viewing) store.viewersReceived(ack.data)
    },

    ring,

    onSummaryPushed(held, next, visible) {
      // The open conversation, in view: the agent sees the message arrive; no need to ring.
      if (visible && next.id === currentId()) return
      const alert = shopperMessageAlert(held, next, selfId())
      if (alert) ring(alert)
    },

    onMessagePushed(message, visible) {
      if (visible || message.author !== 'contact' || message.internal) return
      const c = store.getState().inbox.byId[message.conversationId]
      if (c?.status === 'assigned' && c.assignee?.id === selfId())
        ring({ kind: 'message', conversationId: message.conversationId, text: message.text })
    },

    async applyMacroActions(id, actions, resolve) {
      const c = store.getState().inbox.byId[id]
      if (!c) return
      const patch = updateFor(actions, c)
      const s = ctx.online()
      if (patch && s) {
        const ok = await changed(id, 'update', (sock) =>
          sock.request('conversation:update', { conversationId: id, ...patch }),
        )
        if (!ok) return
      }
      if (actions.resolve && currentId() === id) await resolve()
    },
  }
}
