/**
 * Orders from a JSON file (an array of order records, like `examples/demo/orders.json`). The file
 * is re-read when its modification time or size changes, so edits show up without a restart.
 * Applying a change moves no money: the result records what would have happened, with a reference.
 */
import { readFile, stat } from 'node:fs/promises'
import { z } from 'zod'
import { newId } from '../../shared/ids.ts'
import {
  type ChangeResult,
  normalizeOrderNumber,
  type Order,
  type OrderChange,
  OrderRecordSchema,
  type OrdersAdapter,
  OrdersError,
  toOrder,
} from './types.ts'

const FileSchema = z.array(OrderRecordSchema)

const PREFIX: Record<OrderChange['type'], string> = {
  refund: 'rf_',
  cancel: 'cn_',
  replacement: 'rp_',
  address_change: 'ad_',
}

export class JsonFileOrders implements OrdersAdapter {
  readonly kind = 'json'
  readonly file: string
  #cache: { mtimeMs: number; size: number; orders: Map<string, Order> } | null = null
  /** Results by idempotency key: a retried apply returns the first result. */
  #applied = new Map<string, ChangeResult>()

  constructor(file: string) {
    this.file = file
  }

  async getOrder(number: string): Promise<Order | null> {
    const orders = await this.#load()
    return structuredClone(orders.get(normalizeOrderNumber(number)) ?? null)
  }

  async apply(order: Order, change: OrderChange, key: string): Promise<ChangeResult> {
    const done = this.#applied.get(key)
    if (done) return structuredClone(done)
    const reference = newId(PREFIX[change.type])
    const base = { reference, orderNumber: order.number, simulated: true }
    const result: ChangeResult =
      change.type === 'refund'
        ? { ...base, refundId: reference, amount: change.amount, currency: change.currency }
        : change.type === 'replacement'
          ? { ...base, replacementOrder: `${order.number}-R` }
          : base
    this.#applied.set(key, result)
    return structuredClone(result)
  }

  async #load(): Promise<Map<string, Order>> {
    let info: { mtimeMs: number; size: number }
    try {
      info = await stat(this.file)
    } catch (cause) {
      throw new OrdersError('unavailable', `orders file ${this.file} cannot be read`, { cause })
    }
    const cached = this.#cache
    if (cached && cached.mtimeMs === info.mtimeMs && cached.size === info.size) return cached.orders
    let raw: unknown
    try {
      raw = JSON.parse(await readFile(this.file, 'utf8'))
    } catch (cause) {
      throw new OrdersError('invalid_response', `orders file ${this.file} is not valid JSON`, { cause })
    }
    const parsed = FileSchema.safeParse(raw)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      const where = issue ? `${issue.path.join('.')}: ${issue.message}` : 'unexpected content'
      throw new OrdersError('invalid_response', `orders file ${this.file}: ${where}`)
    }
    const orders = new Map(parsed.data.map((r) => [normalizeOrderNumber(r.number), toOrder(r)]))
    this.#cache = { mtimeMs: info.mtimeMs, size: info.size, orders }
    return orders
  }
}
