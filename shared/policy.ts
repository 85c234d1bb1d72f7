/**
 * The bot's action policy, per site: for each action the bot may attempt, whether the relay
 * executes it, suggests it to a human (approve / reject in the console) or refuses it, with
 * limits. The relay enforces this whatever the model asks.
 */
import { z } from 'zod'

export const ACTION_TYPES = ['order_lookup', 'refund', 'replacement', 'cancel', 'address_change'] as const
export const ActionTypeSchema = z.enum(ACTION_TYPES)
export type ActionType = z.infer<typeof ActionTypeSchema>

export const ActionModeSchema = z.enum(['execute', 'suggest', 'never'])
export type ActionMode = z.infer<typeof ActionModeSchema>

export const ActionRuleSchema = z.object({
  mode: ActionModeSchema,
  /** Refunds: the largest amount (in the order's currency) the rule allows; above it → refused. */
  maxAmount: z.number().nonnegative().optional(),
  /** Only within this many days of delivery (refund, replacement); undelivered orders → refused. */
  withinDaysOfDelivery: z.number().int().positive().optional(),
  /** Only for orders whose email the shopper proved (order number + email, or verified identity). */
  requireOwnership: z.boolean().default(true),
  /** Only for orders in these statuses (e.g. cancel only while `processing`). */
  allowedStatuses: z.array(z.string()).optional(),
})
export type ActionRule = z.infer<typeof ActionRuleSchema>

export const PolicySchema = z.object({
  actions: z.object({
    order_lookup: ActionRuleSchema,
    refund: ActionRuleSchema,
    replacement: ActionRuleSchema,
    cancel: ActionRuleSchema,
    address_change: ActionRuleSchema,
  }),
})
export type Policy = z.infer<typeof PolicySchema>

/** What a new site starts with: look-ups run, money and changes wait for a human. */
export const DEFAULT_POLICY: Policy = {
  actions: {
    order_lookup: { mode: 'execute', requireOwnership: true },
    refund: { mode: 'suggest', maxAmount: 50, withinDaysOfDelivery: 30, requireOwnership: true },
    replacement: { mode: 'suggest', withinDaysOfDelivery: 30, requireOwnership: true },
    cancel: { mode: 'suggest', allowedStatuses: ['processing'], requireOwnership: true },
    address_change: { mode: 'suggest', allowedStatuses: ['processing'], requireOwnership: true },
  },
}

export const ACTION_STATUSES = ['executed', 'pending', 'approved', 'rejected', 'refused'] as const
export const ActionStatusSchema = z.enum(ACTION_STATUSES)
export type ActionStatus = z.infer<typeof ActionStatusSchema>

/** How the shopper proved an order is theirs: the order's email, or a verified identity. */
export const OwnershipSchema = z.enum(['email', 'verified_identity']).nullable()
export type Ownership = z.infer<typeof OwnershipSchema>

/** The order as the policy saw it (no personal data): enough to judge the request again in a replay. */
export const OrderFactsSchema = z.object({
  number: z.string(),
  status: z.string(),
  deliveredAt: z.string().nullable(),
  total: z.number(),
  currency: z.string(),
})
export type OrderFacts = z.infer<typeof OrderFactsSchema>

/** Everything a verdict depended on, stored with the request and its audit event. */
export const ActionFactsSchema = z.object({
  /** When it was asked: delivery windows are counted from here, also in a replay. */
  at: z.string(),
  /** Null: no such order (or none could be read). */
  order: OrderFactsSchema.nullable(),
  ownership: OwnershipSchema,
  /** Refunds: the amount judged (what was asked, or what is left to refund when none was named). */
  amount: z.number().nullable(),
  /** Refunds already executed, approved or pending on this order before this request. */
  committedRefunds: z.number().nonnegative(),
  /** Why there is no order: the site has no orders source, or it could not be read. */
  orderError: z.enum(['no_order_source', 'order_unavailable']).optional(),
})
export type ActionFacts = z.infer<typeof ActionFactsSchema>

/** Stable codes for a verdict's reason (the English `reason` is for people). */
export const VERDICT_CODES = [
  'allowed',
  'mode_never',
  'no_order_source',
  'order_unavailable',
  'not_found',
  'not_verified',
  'status_not_allowed',
  'not_delivered',
  'delivery_window_passed',
  'amount_invalid',
  'over_limit',
  'over_refundable',
  'already_cancelled',
] as const
export const VerdictCodeSchema = z.enum(VERDICT_CODES)
export type VerdictCode = z.infer<typeof VerdictCodeSchema>

/** One action the bot asked for, and what the relay decided. */
export const ActionRequestSchema = z.object({
  id: z.string(),
  siteId: z.string(),
  conversationId: z.string(),
  type: ActionTypeSchema,
  /** What was asked, as given (order number, amount, reason, new address…). */
  input: z.record(z.string(), z.unknown()),
  /** The policy's verdict when asked. */
  decision: ActionModeSchema,
  /** Why (the limit that refused it, or the rule that allowed it). */
  reason: z.string(),
  /** executed: done by the relay; pending: waits for a human; approved/rejected: a human decided; refused: policy said no. */
  status: ActionStatusSchema,
  result: z.record(z.string(), z.unknown()).nullable(),
  decidedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  note: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** The verdict's stable code (see VERDICT_CODES). */
  reasonCode: VerdictCodeSchema.optional(),
  /** What the verdict was based on; a replay judges these facts again. */
  facts: ActionFactsSchema.optional(),
})
export type ActionRequest = z.infer<typeof ActionRequestSchema>

/** The `data` of an `action_requested` audit event: what was asked, the verdict and its facts. */
export const ActionRequestedDataSchema = z.object({
  /** The stored request; null for look-ups, which are audited but not kept as requests. */
  actionId: z.string().nullable(),
  type: ActionTypeSchema,
  input: z.record(z.string(), z.unknown()),
  decision: ActionModeSchema,
  reason: z.string(),
  code: VerdictCodeSchema,
  status: ActionStatusSchema,
  facts: ActionFactsSchema,
})
export type ActionRequestedData = z.infer<typeof ActionRequestedDataSchema>

/** One past `action_requested`, judged then and under a proposed policy. */
export const ReplayItemSchema = z.object({
  eventId: z.string(),
  conversationId: z.string(),
  actionId: z.string().nullable(),
  at: z.string(),
  type: ActionTypeSchema,
  input: z.record(z.string(), z.unknown()),
  before: z.object({ decision: ActionModeSchema, reason: z.string(), code: z.string().nullable() }),
  after: z.object({ decision: ActionModeSchema, reason: z.string(), code: z.string() }),
  changed: z.boolean(),
})
export type ReplayItem = z.infer<typeof ReplayItemSchema>

/** What `POST /api/sites/:site/policy/replay` answers: nothing is saved. */
export const ReplayResultSchema = z.object({
  total: z.number().int(),
  changed: z.number().int(),
  /** Requests that the proposed policy would now execute / suggest / refuse, and did not before. */
  summary: z.object({
    newlyExecuted: z.number().int(),
    newlySuggested: z.number().int(),
    newlyRefused: z.number().int(),
  }),
  /** Counts per decision, under the current and the proposed policy. */
  counts: z.object({
    before: z.record(ActionModeSchema, z.number().int()),
    after: z.record(ActionModeSchema, z.number().int()),
  }),
  /** The changed requests first, newest first; at most 500. */
  items: z.array(ReplayItemSchema),
  /** More conversations exist than a replay reads. */
  truncated: z.boolean(),
})
export type ReplayResult = z.infer<typeof ReplayResultSchema>
