/**
 * Orders as the relay sees them, whatever the shop system: the JSON file of the demo, a generic
 * HTTP endpoint, later the Shopify Admin API. Adapters normalise to `Order` and apply the bot's
 * executed or approved actions.
 */
import { z } from 'zod'

/** Normalised statuses; a Shopify adapter maps fulfillment / financial status onto these. */
export const ORDER_STATUSES = ['processing', 'shipped', 'delivered', 'cancelled', 'refunded'] as const
export type OrderStatus = (typeof ORDER_STATUSES)[number]

export interface OrderItem {
  sku: string | null
  name: string
  quantity: number
  /** Unit price in the order's currency. */
  price: number
}

/** One shipment (a Shopify fulfillment): who carries it and how to track it. */
export interface Shipment {
  carrier: string | null
  tracking: string | null
  trackingUrl: string | null
}

export interface Address {
  name?: string
  line1: string
  line2?: string
  city: string
  postalCode: string
  region?: string
  country: string
}

export interface Order {
  /** What the shopper sees and types (Shopify: `name`, e.g. "#1001"; the demo: "TW-1001"). */
  number: string
  /** The adapter's own id (Shopify: the numeric order id); the number when there is no other. */
  id: string
  /** The email the order was placed with; proves ownership. */
  email: string | null
  status: OrderStatus
  placedAt: string
  deliveredAt: string | null
  total: number
  currency: string
  items: OrderItem[]
  shipments: Shipment[]
  shippingAddress: Address | null
}

/** A change the relay applies to an order once policy (or a person) allowed it. */
export type OrderChange =
  | { type: 'refund'; amount: number; currency: string; reason: string }
  | { type: 'cancel'; reason: string }
  | { type: 'replacement'; reason: string; details?: Record<string, unknown> }
  | { type: 'address_change'; reason: string; address: Record<string, unknown> }

/** What applying a change returned: references for the agent and the audit log (refund id…). */
export type ChangeResult = Record<string, unknown> & { reference: string }

export interface OrdersAdapter {
  readonly kind: string
  /** The order with this number, or null when there is none. Throws `OrdersError` when unreachable. */
  getOrder(number: string, signal?: AbortSignal): Promise<Order | null>
  /**
   * Applies an allowed change. `key` is the action request's id: adapters pass it on as an
   * idempotency key, so a retried apply does not refund twice.
   */
  apply(order: Order, change: OrderChange, key: string, signal?: AbortSignal): Promise<ChangeResult>
}

/** Why an orders source failed; the message names the source and the cause, never the token. */
export class OrdersError extends Error {
  readonly kind: 'unavailable' | 'timeout' | 'invalid_response' | 'refused'
  constructor(kind: OrdersError['kind'], message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'OrdersError'
    this.kind = kind
  }
}

/** Order numbers compare without case, spaces or a leading '#': "#tw-1001 " is TW-1001. */
export function normalizeOrderNumber(number: string): string {
  return number.trim().replace(/^#\s*/, '').toUpperCase()
}

const money = z.union([
  z.number(),
  z
    .string()
    .regex(/^\d+(?:\.\d+)?$/)
    .transform(Number),
])

/**
 * The record format both the JSON file and the HTTP endpoint use (the demo's `orders.json`);
 * `carrier` / `tracking` are a single shipment's shorthand for `shipments`.
 */
export const OrderRecordSchema = z.object({
  number: z.string().min(1),
  id: z.union([z.string(), z.number()]).optional(),
  email: z.string().nullable().optional(),
  status: z.enum(ORDER_STATUSES),
  placedAt: z.string(),
  deliveredAt: z.string().nullable().optional(),
  total: money,
  currency: z.string().min(3).max(3),
  items: z
    .array(
      z.object({
        sku: z.string().nullable().optional(),
        name: z.string(),
        quantity: z.number().int().nonnegative(),
        price: money,
      }),
    )
    .default([]),
  carrier: z.string().nullable().optional(),
  tracking: z.string().nullable().optional(),
  trackingUrl: z.string().nullable().optional(),
  shipments: z
    .array(
      z.object({
        carrier: z.string().nullable().optional(),
        tracking: z.string().nullable().optional(),
        trackingUrl: z.string().nullable().optional(),
      }),
    )
    .optional(),
  shippingAddress: z.record(z.string(), z.unknown()).nullable().optional(),
})
export type OrderRecord = z.input<typeof OrderRecordSchema>

function toAddress(raw: Record<string, unknown> | null | undefined): Address | null {
  if (!raw) return null
  const text = (key: string) => (typeof raw[key] === 'string' ? (raw[key] as string) : undefined)
  const line1 = text('line1')
  const city = text('city')
  const country = text('country')
  if (!line1 || !city || !country) return null
  return {
    line1,
    city,
    country,
    postalCode: text('postalCode') ?? '',
    ...(text('name') ? { name: text('name') } : {}),
    ...(text('line2') ? { line2: text('line2') } : {}),
    ...(text('region') ? { region: text('region') } : {}),
  }
}

/** A parsed record as an `Order`. */
export function toOrder(record: z.output<typeof OrderRecordSchema>): Order {
  const shipments: Shipment[] = record.shipments
    ? record.shipments.map((s) => ({
        carrier: s.carrier ?? null,
        tracking: s.tracking ?? null,
        trackingUrl: s.trackingUrl ?? null,
      }))
    : record.carrier || record.tracking
      ? [
          {
            carrier: record.carrier ?? null,
            tracking: record.tracking ?? null,
            trackingUrl: record.trackingUrl ?? null,
          },
        ]
      : []
  return {
    number: record.number,
    id: record.id === undefined ? record.number : String(record.id),
    email: record.email ?? null,
    status: record.status,
    placedAt: record.placedAt,
    deliveredAt: record.deliveredAt ?? null,
    total: record.total,
    currency: record.currency.toUpperCase(),
    items: record.items.map((i) => ({
      sku: i.sku ?? null,
      name: i.name,
      quantity: i.quantity,
      price: i.price,
    })),
    shipments,
    shippingAddress: toAddress(record.shippingAddress),
  }
}
