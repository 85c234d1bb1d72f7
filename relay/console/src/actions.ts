/** Pure helpers for the bot's action requests in the console: merge by id, pending first, display bits. */
import type { ActionRequest } from '../../../shared/policy.ts'

/** Merges requests by id (the later `updatedAt` wins); pending first, then newest first. */
export function mergeActions(
  held: readonly ActionRequest[],
  incoming: readonly ActionRequest[],
): readonly ActionRequest[] {
  const byId = new Map(held.map((a) => [a.id, a]))
  for (const a of incoming) {
    const current = byId.get(a.id)
    if (!current || current.updatedAt <= a.updatedAt) byId.set(a.id, a)
  }
  return [...byId.values()].sort(
    (a, b) =>
      Number(b.status === 'pending') - Number(a.status === 'pending') ||
      (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0),
  )
}

/** "$12.00": an amount in the request's currency, in the console's locale. */
export function formatMoney(locale: string, amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount)
  } catch {
    return `${amount.toFixed(2)} ${currency}`
  }
}

/** The amount a request is about (what the policy judged), if any. */
export function actionAmount(action: ActionRequest): { amount: number; currency: string } | null {
  const amount =
    action.facts?.amount ?? (typeof action.input.amount === 'number' ? action.input.amount : null)
  const currency = action.facts?.order?.currency ?? null
  return amount !== null && currency ? { amount, currency } : null
}
