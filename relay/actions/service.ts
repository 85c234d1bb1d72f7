/**
 * The bot's actions on orders, for one conversation at a time: look-ups and requests (refund,
 * replacement, cancel, address change) judged by the site's policy whatever the model asked,
 * applied through the site's orders adapter when allowed, kept as `ActionRequest`s, and audited
 * as `action_requested` events with their inputs, verdict and facts. Suggested actions wait for
 * an agent's decision (`action_decided`), and the shopper is told the outcome in the conversation.
 */
import { newId } from '../../shared/ids.ts'
import {
  ACTION_TYPES,
  type ActionFacts,
  type ActionRequest,
  type ActionRequestedData,
  type ActionStatus,
  type ActionType,
  DEFAULT_POLICY,
  type OrderFacts,
  type Policy,
} from '../../shared/policy.ts'
import type { Actor, AuditEvent, Message, Source } from '../../shared/protocol.ts'
import type { ActionInput, OrderLookupInput, ToolResult } from '../bot/types.ts'
import type { Broadcaster, Logger } from '../conversations/service.ts'
import { AppError } from '../errors.ts'
import { OrdersAdapters } from '../orders/factory.ts'
import { normalizeOrderNumber, type Order, type OrderChange, OrdersError } from '../orders/types.ts'
import { evaluateAction, normalizeEmail, proveOwnership, type Verdict } from '../policy/evaluate.ts'
import type { Agent, Site, Store } from '../store/types.ts'
import { KeyedQueue } from '../util/keyed-queue.ts'
import { actionLabel, decisionMessage } from './messages.ts'

/** What the service needs to know about the turn asking (a `BotTurn`). */
export interface ActionTurn {
  siteId: string
  conversationId: string
  contactId?: string
  /** The shopper's latest message and the transcript before it: a given email must be the shopper's own words. */
  text: string
  history: Message[]
}

export interface ActionServiceOptions {
  store: Store
  broadcaster: Pick<Broadcaster, 'messageAdded' | 'conversationChanged'>
  /** A request was created or decided (pushed to the site's agents). */
  actionChanged?: (action: ActionRequest) => void
  orders?: OrdersAdapters
  log: Logger
  now?: () => Date
}

type RequestType = Exclude<ActionType, 'order_lookup'>
const REQUEST_TYPES = new Set<string>(ACTION_TYPES.filter((t) => t !== 'order_lookup'))
const COMMITTED: ActionStatus[] = ['executed', 'approved', 'pending']
const BOT: Actor = { kind: 'bot', id: null }

/** What an order source gave: the order, none, or why it could not. */
type Fetched = { order: Order | null; error?: ActionFacts['orderError'] }

function orderFacts(order: Order): OrderFacts {
  return {
    number: order.number,
    status: order.status,
    deliveredAt: order.deliveredAt,
    total: order.total,
    currency: order.currency,
  }
}

function orderSource(order: Order): Source {
  return { slug: `order:${order.number}`, title: `Order ${order.number}`, url: null }
}

/** Only the order's details a shopper may see about their own order (no email, no address). */
function orderDetails(order: Order): Record<string, unknown> {
  const first = order.shipments[0]
  return {
    number: order.number,
    status: order.status,
    placedAt: order.placedAt,
    deliveredAt: order.deliveredAt,
    total: order.total,
    currency: order.currency,
    items: order.items.map((i) => ({ name: i.name, quantity: i.quantity, price: i.price })),
    carrier: first?.carrier ?? null,
    tracking: first?.tracking ?? null,
    trackingUrl: first?.trackingUrl ?? null,
    shipments: order.shipments,
  }
}

function clean(input: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined))
}

export class ActionService {
  private readonly store: Store
  private readonly broadcaster: ActionServiceOptions['broadcaster']
  private readonly actionChanged: (action: ActionRequest) => void
  private readonly orders: OrdersAdapters
  private readonly log: Logger
  private readonly now: () => Date
  /** Requests and decisions on one order run one at a time, so refunds are summed right. */
  private readonly orderQueue = new KeyedQueue()

  constructor(options: ActionServiceOptions) {
    this.store = options.store
    this.broadcaster = options.broadcaster
    this.actionChanged = options.actionChanged ?? (() => undefined)
    this.orders = options.orders ?? new OrdersAdapters()
    this.log = options.log
    this.now = options.now ?? (() => new Date())
  }

  /** An order's details, only when the shopper proved it is theirs; audited either way. */
  async lookupOrder(turn: ActionTurn, input: OrderLookupInput): Promise<ToolResult> {
    const site = await this.store.getSite(turn.siteId)
    if (!site) return { ok: false, code: 'unavailable', error: 'unknown site' }
    const number = typeof input.orderNumber === 'string' ? input.orderNumber.trim() : ''
    if (!number) return { ok: false, code: 'invalid', error: 'an order number is required' }
    const policy = site.policy ?? DEFAULT_POLICY
    const fetched = await this.fetchOrder(site, number)
    const facts = await this.facts(site, turn, input.email, fetched, null)
    const verdict = evaluateAction(policy, { type: 'order_lookup' }, facts.order, this.context(facts))
    const status: ActionStatus = verdict.decision === 'execute' ? 'executed' : 'refused'
    await this.audit(turn.conversationId, {
      actionId: null,
      type: 'order_lookup',
      input: clean({ orderNumber: number, email: input.email }),
      decision: verdict.decision,
      reason: verdict.reason,
      code: verdict.code,
      status,
      facts,
    })
    if (verdict.decision === 'execute' && fetched.order) {
      return { ok: true, data: orderDetails(fetched.order), sources: [orderSource(fetched.order)] }
    }
    if (verdict.decision === 'suggest')
      return { ok: false, code: 'refused', error: 'A person from the team looks orders up for this store.' }
    return this.refusal(verdict, facts, policy.actions.order_lookup.requireOwnership ?? true)
  }

  /** A refund, replacement, cancellation or address change: executed, pending a person, or refused. */
  async requestAction(
    turn: ActionTurn,
    input: ActionInput,
  ): Promise<ToolResult & { action?: ActionRequest }> {
    if (!REQUEST_TYPES.has(input.type))
      return { ok: false, code: 'invalid', error: `unknown action ${input.type}` }
    const number = typeof input.orderNumber === 'string' ? input.orderNumber.trim() : ''
    if (!number) return { ok: false, code: 'invalid', error: 'an order number is required' }
    const site = await this.store.getSite(turn.siteId)
    if (!site) return { ok: false, code: 'unavailable', error: 'unknown site' }
    return this.orderQueue.run(`${site.id}:${normalizeOrderNumber(number)}`, () =>
      this.requestLocked(site, turn, { ...input, orderNumber: number }),
    )
  }

  /** The requests of an agent's sites, newest first. */
  async list(
    agent: Agent,
    filter: { conversationId?: string; statuses?: ActionStatus[] },
  ): Promise<ActionRequest[]> {
    return this.store.listActions({ siteIds: agent.siteIds, ...filter })
  }

  /**
   * An agent approves or rejects a pending request. Atomic: of two decisions at once exactly one
   * lands. Approval applies it through the orders adapter; the shopper is told either way.
   */
  async decide(
    agent: Agent,
    input: { actionId: string; approve: boolean; note?: string },
  ): Promise<ActionRequest> {
    const action = await this.store.getAction(input.actionId)
    if (!action || !agent.siteIds.includes(action.siteId)) throw new AppError('not_found', 'no such action')
    const site = await this.store.getSite(action.siteId)
    if (!site) throw new AppError('not_found', 'no such action')
    const number = action.facts?.order?.number ?? String(action.input.orderNumber ?? '')
    return this.orderQueue.run(`${site.id}:${normalizeOrderNumber(number)}`, () =>
      this.decideLocked(site, agent, action.id, input.approve, input.note?.trim() || null),
    )
  }

  // -------------------------------------------------------------------------------------------

  private async requestLocked(
    site: Site,
    turn: ActionTurn,
    input: ActionInput,
  ): Promise<ToolResult & { action?: ActionRequest }> {
    const type = input.type as RequestType
    const policy: Policy = site.policy ?? DEFAULT_POLICY
    const fetched = await this.fetchOrder(site, input.orderNumber)
    const asked = typeof input.amount === 'number' && Number.isFinite(input.amount) ? input.amount : null
    const facts = await this.facts(site, turn, input.email, fetched, type === 'refund' ? asked : null)
    // A refund without an amount is for what is left to refund on the order.
    if (type === 'refund' && facts.amount === null && facts.order) {
      facts.amount = Math.max(0, Math.round((facts.order.total - facts.committedRefunds) * 100) / 100)
    }
    const verdict = evaluateAction(policy, { type, amount: facts.amount }, facts.order, this.context(facts))
    const now = this.now().toISOString()
    const inputRecord = clean({
      orderNumber: input.orderNumber,
      email: input.email,
      amount: input.amount,
      reason: input.reason,
      details: input.details,
    })
    let action: ActionRequest = {
      id: newId('act_'),
      siteId: site.id,
      conversationId: turn.conversationId,
      type,
      input: inputRecord,
      decision: verdict.decision,
      reason: verdict.reason,
      reasonCode: verdict.code,
      status:
        verdict.decision === 'execute' ? 'executed' : verdict.decision === 'suggest' ? 'pending' : 'refused',
      result: null,
      decidedBy: null,
      note: null,
      facts,
      createdAt: now,
      updatedAt: now,
    }
    if (verdict.decision === 'execute' && fetched.order) {
      try {
        const result = await this.applyChange(site, fetched.order, action)
        action = { ...action, result }
      } catch (error) {
        // Allowed but not done: a person finishes it, and the shopper is told exactly that.
        const message = error instanceof Error ? error.message : String(error)
        this.log.error({ err: error, actionId: action.id }, 'executing an allowed action failed')
        action = {
          ...action,
          status: 'pending',
          reason: `${verdict.reason} It could not be done automatically (${message}); a person will review it.`,
          result: { error: message },
        }
      }
    }
    const conversationExists = await this.store.getConversation(turn.conversationId)
    if (conversationExists) await this.store.putAction(action)
    await this.audit(turn.conversationId, {
      actionId: conversationExists ? action.id : null,
      type,
      input: inputRecord,
      decision: verdict.decision,
      reason: action.reason,
      code: verdict.code,
      status: action.status,
      facts,
    })
    if (conversationExists) this.actionChanged(action)

    const label = actionLabel(
      type,
      facts.order?.number ?? input.orderNumber,
      facts.amount,
      facts.order?.currency ?? null,
    )
    if (action.status === 'refused')
      return { ...this.refusal(verdict, facts, policy.actions[type].requireOwnership ?? true), action }
    const sources = fetched.order ? [orderSource(fetched.order)] : []
    return {
      ok: true,
      data: clean({
        actionId: action.id,
        type,
        status: action.status,
        label,
        orderNumber: facts.order?.number,
        amount: type === 'refund' ? facts.amount : undefined,
        currency: facts.order?.currency,
        reference: typeof action.result?.reference === 'string' ? action.result.reference : undefined,
        reason: action.reason,
      }),
      sources,
      action,
    }
  }

  private async decideLocked(
    site: Site,
    agent: Agent,
    actionId: string,
    approve: boolean,
    note: string | null,
  ): Promise<ActionRequest> {
    const current = await this.store.getAction(actionId)
    if (!current) throw new AppError('not_found', 'no such action')
    if (current.status !== 'pending') {
      throw new AppError('invalid_transition', `this action is already ${current.status}`, {
        status: current.status,
        decidedBy: current.decidedBy?.name ?? null,
      })
    }
    const decidedBy = { id: agent.id, name: agent.name }
    const decided: ActionRequest = {
      ...current,
      status: approve ? 'approved' : 'rejected',
      decidedBy,
      note,
      updatedAt: this.now().toISOString(),
    }
    // The claim comes first: whoever loses the compare-and-set applies nothing.
    if (!(await this.store.putAction(decided, { ifStatus: ['pending'] }))) {
      const now = await this.store.getAction(actionId)
      throw new AppError('invalid_transition', `this action is already ${now?.status ?? 'decided'}`, {
        status: now?.status ?? null,
        decidedBy: now?.decidedBy?.name ?? null,
      })
    }
    let final = decided
    if (approve) {
      try {
        const fetched = await this.fetchOrder(
          site,
          current.facts?.order?.number ?? String(current.input.orderNumber),
        )
        if (!fetched.order)
          throw new OrdersError(
            'unavailable',
            fetched.error === 'no_order_source'
              ? 'this site has no orders source'
              : 'the order cannot be read',
          )
        final = { ...decided, result: await this.applyChange(site, fetched.order, decided) }
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error)
        this.log.error({ err: error, actionId }, 'applying an approved action failed')
        const back: ActionRequest = {
          ...current,
          result: { error: message },
          updatedAt: this.now().toISOString(),
        }
        await this.store.putAction(back, { ifStatus: ['approved'] })
        this.actionChanged(back)
        throw new AppError('internal_error', `the orders source failed: ${message}`)
      }
      await this.store.putAction(final)
    }
    await this.auditAs(current.conversationId, { kind: 'agent', id: agent.id }, 'action_decided', {
      actionId,
      type: current.type,
      approved: approve,
      note,
      decidedBy,
      result: final.result,
    })
    this.actionChanged(final)
    await this.tellShopper(current.conversationId, decisionMessage(final, approve, note))
    return final
  }

  private async applyChange(
    site: Site,
    order: Order,
    action: ActionRequest,
  ): Promise<Record<string, unknown>> {
    const adapter = this.orders.forSite(site)
    if (!adapter) throw new OrdersError('unavailable', 'this site has no orders source')
    const reason = typeof action.input.reason === 'string' ? action.input.reason : ''
    const details =
      typeof action.input.details === 'object' && action.input.details !== null
        ? (action.input.details as Record<string, unknown>)
        : {}
    const change: OrderChange =
      action.type === 'refund'
        ? { type: 'refund', amount: action.facts?.amount ?? 0, currency: order.currency, reason }
        : action.type === 'cancel'
          ? { type: 'cancel', reason }
          : action.type === 'replacement'
            ? { type: 'replacement', reason, details }
            : { type: 'address_change', reason, address: details }
    return adapter.apply(order, change, action.id)
  }

  private async fetchOrder(site: Site, number: string): Promise<Fetched> {
    const adapter = this.orders.forSite(site)
    if (!adapter) return { order: null, error: 'no_order_source' }
    try {
      return { order: await adapter.getOrder(number) }
    } catch (error) {
      if (!(error instanceof OrdersError)) throw error
      this.log.error({ err: error, siteId: site.id }, 'order look-up failed')
      return { order: null, error: 'order_unavailable' }
    }
  }

  /** The facts a verdict rests on; the given email counts only if the shopper wrote it. */
  private async facts(
    site: Site,
    turn: ActionTurn,
    email: string | undefined,
    fetched: Fetched,
    amount: number | null,
  ): Promise<ActionFacts> {
    const order = fetched.order
    const givenEmail = email && this.shopperWrote(turn, email) ? email : null
    let verifiedEmail: string | null = null
    if (turn.contactId) {
      const contact = await this.store.getContact(turn.contactId)
      if (contact?.siteId === site.id && contact.emailVerified) verifiedEmail = contact.email
    }
    const committedRefunds = order ? await this.committedRefunds(site.id, order.number) : 0
    return {
      at: this.now().toISOString(),
      order: order ? orderFacts(order) : null,
      ownership: proveOwnership(order, { givenEmail, verifiedEmail }),
      amount,
      committedRefunds,
      ...(fetched.error ? { orderError: fetched.error } : {}),
    }
  }

  private context(facts: ActionFacts) {
    return {
      now: new Date(facts.at),
      ownership: facts.ownership,
      committedRefunds: facts.committedRefunds,
      orderError: facts.orderError,
    }
  }

  private shopperWrote(turn: ActionTurn, email: string): boolean {
    const wanted = normalizeEmail(email)
    if (!wanted) return false
    const texts = [turn.text, ...turn.history.filter((m) => m.author === 'contact').map((m) => m.text)]
    return texts.some((t) => t.toLowerCase().includes(wanted))
  }

  private async committedRefunds(siteId: string, number: string): Promise<number> {
    const key = normalizeOrderNumber(number)
    const actions = await this.store.listActions({ siteIds: [siteId], statuses: COMMITTED, limit: 100_000 })
    return actions
      .filter((a) => a.type === 'refund')
      .filter(
        (a) => normalizeOrderNumber(a.facts?.order?.number ?? String(a.input.orderNumber ?? '')) === key,
      )
      .reduce((sum, a) => sum + (a.facts?.amount ?? 0), 0)
  }

  /** What the bot may be told about a refusal; never whether an order exists without proof. */
  private refusal(verdict: Verdict, facts: ActionFacts, ownershipRequired: boolean): ToolResult {
    const unproven: ToolResult = {
      ok: false,
      code: 'not_verified',
      error: 'No order matches that number and email. Ask for the email address used on the order.',
    }
    switch (verdict.code) {
      case 'not_verified':
        return unproven
      case 'not_found':
        // Without proof, "no such order" and "not yours" read the same: order numbers can't be probed.
        return ownershipRequired && facts.ownership === null
          ? unproven
          : { ok: false, code: 'not_found', error: 'No order has this number.' }
      case 'no_order_source':
      case 'order_unavailable':
        return { ok: false, code: 'unavailable', error: 'Orders cannot be looked up right now.' }
      default:
        return { ok: false, code: 'refused', error: verdict.reason }
    }
  }

  private audit(conversationId: string, data: ActionRequestedData): Promise<void> {
    return this.auditAs(conversationId, BOT, 'action_requested', data)
  }

  /** Appends an audit event to the conversation without changing it (no-op when it does not exist). */
  private async auditAs(
    conversationId: string,
    actor: Actor,
    type: AuditEvent['type'],
    data: Record<string, unknown>,
  ): Promise<void> {
    const event: AuditEvent = {
      id: newId('evt_'),
      conversationId,
      type,
      actor,
      at: this.now().toISOString(),
      data: structuredClone(data),
    }
    await this.store.updateConversation(conversationId, (current) => ({
      ok: true,
      conversation: current,
      event,
    }))
  }

  private async tellShopper(conversationId: string, text: string): Promise<void> {
    const result = await this.store.appendMessage({
      conversationId,
      clientId: null,
      author: 'system',
      authorId: null,
      authorName: null,
      text,
      sources: [],
    })
    if (!result.ok) return
    this.broadcaster.messageAdded(result.conversation, result.message)
    this.broadcaster.conversationChanged(result.conversation)
  }
}
