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
  status: z.enum(['executed', 'pending', 'approved', 'rejected', 'refused']),
  result: z.record(z.string(), z.unknown()).nullable(),
  decidedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  note: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type ActionRequest = z.infer<typeof ActionRequestSchema>
