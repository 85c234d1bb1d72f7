/** The words the relay says about actions: what an action is called and what the shopper is told. */
import type { ActionRequest, ActionType } from '../../shared/policy.ts'

/** "$12.00", "€8.50": an amount as a shopper reads it (English for now). */
export function money(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(amount)
  } catch {
    return `${amount.toFixed(2)} ${currency}`
  }
}

/** "refund of $12.00 for order TW-1001", "cancellation of order TW-1003". */
export function actionLabel(
  type: Exclude<ActionType, 'order_lookup'>,
  orderNumber: string,
  amount: number | null,
  currency: string | null,
): string {
  switch (type) {
    case 'refund':
      return amount !== null && currency
        ? `refund of ${money(amount, currency)} for order ${orderNumber}`
        : `refund for order ${orderNumber}`
    case 'cancel':
      return `cancellation of order ${orderNumber}`
    case 'replacement':
      return `replacement for order ${orderNumber}`
    case 'address_change':
      return `address change for order ${orderNumber}`
  }
}

/** The label of a stored request, from the facts it was judged on. */
export function labelOf(action: ActionRequest): string {
  const order = action.facts?.order
  const number = order?.number ?? String(action.input.orderNumber ?? '')
  const type = action.type === 'order_lookup' ? 'refund' : action.type
  return actionLabel(type, number, action.facts?.amount ?? null, order?.currency ?? null)
}

/** What the shopper is told once a person decided. */
export function decisionMessage(action: ActionRequest, approved: boolean, note: string | null): string {
  const label = labelOf(action)
  if (approved) return `Your ${label} was approved.`
  return note ? `Your ${label} was not approved: ${note}` : `Your ${label} was not approved.`
}
