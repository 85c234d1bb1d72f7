/** Pure helpers of the policy editor: change one rule, read limit inputs, compare policies. */
import type { ActionMode, ActionRule, ActionType, Policy } from '../../../../shared/policy.ts'
import { ACTION_TYPES } from './types.ts'

/** Which limits make sense for which action (the others are not shown). */
export const LIMITS: Record<
  ActionType,
  ReadonlyArray<'maxAmount' | 'withinDaysOfDelivery' | 'allowedStatuses'>
> = {
  order_lookup: [],
  refund: ['maxAmount', 'withinDaysOfDelivery', 'allowedStatuses'],
  replacement: ['withinDaysOfDelivery', 'allowedStatuses'],
  cancel: ['allowedStatuses'],
  address_change: ['allowedStatuses'],
}

export const ORDER_STATUSES = ['processing', 'shipped', 'delivered', 'cancelled', 'refunded'] as const

/** A rule with `patch` applied; an `undefined` limit removes it (no limit). */
export function withRule(policy: Policy, type: ActionType, patch: Partial<ActionRule>): Policy {
  const next: ActionRule = { ...policy.actions[type], ...patch }
  for (const key of ['maxAmount', 'withinDaysOfDelivery', 'allowedStatuses'] as const) {
    if (key in patch && patch[key] === undefined) delete next[key]
  }
  return { actions: { ...policy.actions, [type]: next } }
}

export function withMode(policy: Policy, type: ActionType, mode: ActionMode): Policy {
  return withRule(policy, type, { mode })
}

/** A limit field's text as a number: empty means no limit; null means not a valid entry. */
export function parseLimit(text: string, integer: boolean): number | undefined | null {
  const t = text.trim()
  if (t === '') return undefined
  const n = Number(t.replace(',', '.'))
  if (!Number.isFinite(n) || n < 0) return null
  if (integer && (!Number.isInteger(n) || n === 0)) return null
  return n
}

/** Toggles one status in a rule's allowed statuses; none ticked means any status. */
export function toggleStatus(rule: ActionRule, status: string, on: boolean): string[] | undefined {
  const current = new Set(rule.allowedStatuses ?? [])
  if (on) current.add(status)
  else current.delete(status)
  const list = ORDER_STATUSES.filter((s) => current.has(s))
  return list.length === 0 ? undefined : list
}

function canonical(rule: ActionRule): string {
  return JSON.stringify({
    mode: rule.mode,
    maxAmount: rule.maxAmount ?? null,
    withinDaysOfDelivery: rule.withinDaysOfDelivery ?? null,
    requireOwnership: rule.requireOwnership ?? true,
    allowedStatuses: rule.allowedStatuses ? [...rule.allowedStatuses].sort() : null,
  })
}

export function samePolicy(a: Policy, b: Policy): boolean {
  return ACTION_TYPES.every((t) => canonical(a.actions[t]) === canonical(b.actions[t]))
}
