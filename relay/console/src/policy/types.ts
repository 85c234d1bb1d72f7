/** The policy schema's names the editor needs, re-exported as types and constants (no zod in views). */
import type { ActionMode, ActionType } from '../../../../shared/policy.ts'

export type { ActionMode, ActionType, Policy, ReplayResult } from '../../../../shared/policy.ts'

/** Same order as `ACTION_TYPES` in shared/policy.ts, kept literal so the console bundle needs no zod. */
export const ACTION_TYPES = [
  'order_lookup',
  'refund',
  'replacement',
  'cancel',
  'address_change',
] as const satisfies readonly ActionType[]
export const ACTION_MODES_UI = ['execute', 'suggest', 'never'] as const satisfies readonly ActionMode[]
