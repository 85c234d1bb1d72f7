/** Test support: sample orders dated relative to now, written as a JSON orders file for a site. */
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Store } from '../../relay/store/types.ts'
import { DEFAULT_POLICY, type Policy } from '../../shared/policy.ts'

const DAY = 24 * 60 * 60 * 1000

function daysAgo(days: number, now = Date.now()): string {
  return new Date(now - days * DAY).toISOString()
}

/** TW-1001 delivered 5 days ago ($35), TW-1002 shipped, TW-1003 processing, TW-1004 delivered 60 days ago. */
export function sampleOrders(now = Date.now()) {
  return [
    {
      number: 'TW-1001',
      email: 'maya@example.com',
      status: 'delivered',
      placedAt: daysAgo(9, now),
      deliveredAt: daysAgo(5, now),
      total: 35,
      currency: 'USD',
      items: [{ sku: 'HB-340-WB', name: 'Harbor Blend, whole bean', quantity: 2, price: 16 }],
      carrier: 'USPS',
      tracking: '9400111899223817000000',
    },
    {
      number: 'TW-1002',
      email: 'leo@example.com',
      status: 'shipped',
      placedAt: daysAgo(3, now),
      total: 89,
      currency: 'USD',
      items: [{ sku: 'GR-MINI', name: 'Burr Grinder Mini', quantity: 1, price: 89 }],
      carrier: 'UPS',
      tracking: '1Z999AA10123456784',
    },
    {
      number: 'TW-1003',
      email: 'ana@example.com',
      status: 'processing',
      placedAt: daysAgo(1, now),
      total: 57,
      currency: 'USD',
      items: [{ sku: 'LH-340-FP', name: 'Lighthouse Single Origin', quantity: 3, price: 19 }],
    },
    {
      number: 'TW-1004',
      email: 'old@example.com',
      status: 'delivered',
      placedAt: daysAgo(66, now),
      deliveredAt: daysAgo(60, now),
      total: 40,
      currency: 'USD',
      items: [{ sku: 'MUG', name: 'Mug', quantity: 1, price: 40 }],
    },
  ]
}

/** Writes the sample orders into `dir` and points the site at them, with `policy` (default policy otherwise). */
export async function useSampleOrders(
  store: Store,
  dir: string,
  options: { siteId?: string; policy?: Policy } = {},
): Promise<string> {
  const siteId = options.siteId ?? 'demo'
  const file = path.join(dir, `orders-${siteId}.json`)
  await writeFile(file, JSON.stringify(sampleOrders(), null, 2))
  const site = await store.getSite(siteId)
  if (!site) throw new Error(`no site ${siteId}`)
  await store.putSite({ ...site, orders: { kind: 'json', file }, policy: options.policy ?? DEFAULT_POLICY })
  return file
}

/** The default policy with some rules replaced. */
export function policyWith(actions: Partial<Policy['actions']>): Policy {
  return { actions: { ...DEFAULT_POLICY.actions, ...actions } }
}
