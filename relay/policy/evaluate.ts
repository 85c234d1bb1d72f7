/**
 * The policy check every bot action goes through, whatever the model asked: pure, so the same
 * facts give the same verdict now and in a replay. The verdict's mode is never looser than the
 * site's rule for that action, and every limit the rule sets must hold.
 */
import type {
  ActionFacts,
  ActionMode,
  ActionRule,
  ActionType,
  OrderFacts,
  Ownership,
  Policy,
  VerdictCode,
} from '../../shared/policy.ts'

const DAY_MS = 24 * 60 * 60 * 1000

export interface ActionAsk {
  type: ActionType
  /** Refunds: the amount to refund, in the order's currency. */
  amount?: number | null
}

export interface PolicyContext {
  now: Date
  ownership: Ownership
  /** Refunds already executed, approved or pending on this order. */
  committedRefunds?: number
  /** Why `order` is null when it is not "no such order". */
  orderError?: ActionFacts['orderError']
}

export interface Verdict {
  decision: ActionMode
  code: VerdictCode
  /** One English sentence for the agent and the audit log. */
  reason: string
}

const LABEL: Record<ActionType, string> = {
  order_lookup: 'order look-ups',
  refund: 'refunds',
  replacement: 'replacements',
  cancel: 'cancellations',
  address_change: 'address changes',
}

/** An email as compared for ownership: trimmed, lower case. */
export function normalizeEmail(email: string | null | undefined): string | null {
  const e = email?.trim().toLowerCase()
  return e ? e : null
}

/**
 * Whether the shopper proved the order is theirs: the email they gave is the order's, or their
 * verified identity's email is. Case and surrounding spaces do not matter.
 */
export function proveOwnership(
  order: { email: string | null } | null,
  proof: { givenEmail?: string | null; verifiedEmail?: string | null },
): Ownership {
  const owner = normalizeEmail(order?.email)
  if (!owner) return null
  if (normalizeEmail(proof.verifiedEmail) === owner) return 'verified_identity'
  if (normalizeEmail(proof.givenEmail) === owner) return 'email'
  return null
}

function cents(amount: number): number {
  return Math.round(amount * 100)
}

export function formatAmount(amount: number, currency: string): string {
  return `${amount.toFixed(2)} ${currency}`
}

function refuse(code: VerdictCode, reason: string): Verdict {
  return { decision: 'never', code, reason }
}

/** The verdict on one request: `execute`, `suggest` (a person approves) or `never`, and why. */
export function evaluateAction(
  policy: Policy,
  ask: ActionAsk,
  order: OrderFacts | null,
  context: PolicyContext,
): Verdict {
  const rule: ActionRule | undefined = policy.actions[ask.type]
  const label = LABEL[ask.type]
  if (!rule || rule.mode === 'never')
    return refuse('mode_never', `The policy does not let the bot do ${label}.`)
  if (!order) {
    if (context.orderError === 'no_order_source')
      return refuse('no_order_source', 'This site has no orders source.')
    if (context.orderError === 'order_unavailable')
      return refuse('order_unavailable', 'The orders source could not be read.')
    return refuse('not_found', 'No order has this number.')
  }
  const requireOwnership = rule.requireOwnership ?? true
  if (requireOwnership && !context.ownership) {
    return refuse(
      'not_verified',
      'The shopper has not proved the order is theirs (order number plus its email, or a verified identity).',
    )
  }
  if (rule.allowedStatuses && !rule.allowedStatuses.includes(order.status)) {
    return refuse(
      'status_not_allowed',
      `The order is ${order.status}; the policy allows ${label} only for ${rule.allowedStatuses.join(', ') || 'no'} orders.`,
    )
  }
  if (ask.type === 'cancel' && (order.status === 'cancelled' || order.status === 'refunded')) {
    return refuse('already_cancelled', `The order is already ${order.status}.`)
  }
  const checks: string[] = []
  if (rule.withinDaysOfDelivery !== undefined) {
    const delivered = order.deliveredAt ? Date.parse(order.deliveredAt) : Number.NaN
    if (Number.isNaN(delivered)) {
      return refuse('not_delivered', `The order has not been delivered; ${label} need a delivered order.`)
    }
    const days = Math.max(0, Math.floor((context.now.getTime() - delivered) / DAY_MS))
    if (days > rule.withinDaysOfDelivery) {
      return refuse(
        'delivery_window_passed',
        `Delivered ${days} days ago; the policy allows ${label} only within ${rule.withinDaysOfDelivery} days of delivery.`,
      )
    }
    checks.push(`delivered ${days} days ago (limit ${rule.withinDaysOfDelivery})`)
  }
  if (ask.type === 'refund') {
    const amount = ask.amount
    if (typeof amount !== 'number' || !Number.isFinite(amount) || cents(amount) <= 0) {
      return refuse('amount_invalid', 'A refund needs a positive amount.')
    }
    const left = Math.max(0, cents(order.total) - cents(context.committedRefunds ?? 0))
    if (cents(amount) > left) {
      return refuse(
        'over_refundable',
        `${formatAmount(amount, order.currency)} is more than the ${formatAmount(left / 100, order.currency)} left to refund on this order.`,
      )
    }
    if (rule.maxAmount !== undefined && cents(amount) > cents(rule.maxAmount)) {
      return refuse(
        'over_limit',
        `${formatAmount(amount, order.currency)} is above the policy's limit of ${formatAmount(rule.maxAmount, order.currency)} per refund.`,
      )
    }
    checks.push(
      rule.maxAmount === undefined
        ? formatAmount(amount, order.currency)
        : `${formatAmount(amount, order.currency)} within the ${formatAmount(rule.maxAmount, order.currency)} limit`,
    )
  }
  if (context.ownership)
    checks.unshift(context.ownership === 'email' ? 'email matches the order' : 'verified identity')
  const how = rule.mode === 'execute' ? 'the bot does it' : 'a person approves it'
  const detail = checks.length > 0 ? `: ${checks.join('; ')}` : ''
  return { decision: rule.mode, code: 'allowed', reason: `Within the policy (${how})${detail}.` }
}

/** The verdict on stored facts (replays, re-checks). */
export function evaluateFacts(policy: Policy, type: ActionType, facts: ActionFacts): Verdict {
  return evaluateAction(policy, { type, amount: facts.amount }, facts.order, {
    now: new Date(facts.at),
    ownership: facts.ownership,
    committedRefunds: facts.committedRefunds,
    orderError: facts.orderError,
  })
}
