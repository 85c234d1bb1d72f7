/**
 * Orders from a generic HTTP endpoint (see README.md): `GET {url}/orders/{number}` with
 * `Authorization: Bearer {token}` answers one order record (or `{ "order": record }`), 404 when
 * there is none; `POST {url}/orders/{number}/actions` applies an allowed change. Every call has a
 * timeout; failures are `OrdersError`s that name the endpoint and the cause, never the token.
 */
import { z } from 'zod'
import {
  type ChangeResult,
  type Order,
  type OrderChange,
  OrderRecordSchema,
  type OrdersAdapter,
  OrdersError,
  toOrder,
} from './types.ts'

export const DEFAULT_ORDERS_TIMEOUT_MS = 5000

export interface HttpOrdersOptions {
  url: string
  token: string
  timeoutMs?: number
  fetch?: typeof fetch
}

const LookupSchema = z.union([z.object({ order: OrderRecordSchema }), OrderRecordSchema])
const ResultSchema = z.record(z.string(), z.unknown())

export class HttpOrders implements OrdersAdapter {
  readonly kind = 'http'
  readonly url: string
  readonly #token: string
  readonly #timeoutMs: number
  readonly #fetch: typeof fetch

  constructor(options: HttpOrdersOptions) {
    this.url = options.url.replace(/\/+$/, '')
    this.#token = options.token
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_ORDERS_TIMEOUT_MS
    this.#fetch = options.fetch ?? ((...args) => fetch(...args))
  }

  async getOrder(number: string, signal?: AbortSignal): Promise<Order | null> {
    const response = await this.#call('GET', this.#orderPath(number), undefined, signal)
    if (response.status === 404) return null
    const body = await this.#json(response)
    const parsed = LookupSchema.safeParse(body)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      throw new OrdersError(
        'invalid_response',
        `orders endpoint ${this.url}: unexpected order record (${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'})`,
      )
    }
    return toOrder('order' in parsed.data ? parsed.data.order : parsed.data)
  }

  async apply(order: Order, change: OrderChange, key: string, signal?: AbortSignal): Promise<ChangeResult> {
    const response = await this.#call(
      'POST',
      `${this.#orderPath(order.number)}/actions`,
      { ...change, orderId: order.id, key },
      signal,
      { 'idempotency-key': key },
    )
    if (response.status === 404)
      throw new OrdersError('refused', `orders endpoint ${this.url}: order ${order.number} not found`)
    const parsed = ResultSchema.safeParse(await this.#json(response))
    if (!parsed.success)
      throw new OrdersError('invalid_response', `orders endpoint ${this.url}: the result is not an object`)
    const reference = typeof parsed.data.reference === 'string' ? parsed.data.reference : key
    return { ...parsed.data, reference }
  }

  #orderPath(number: string): string {
    return `/orders/${encodeURIComponent(number.trim().replace(/^#\s*/, ''))}`
  }

  async #call(
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    signal: AbortSignal | undefined,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const timeout = AbortSignal.timeout(this.#timeoutMs)
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout
    let response: Response
    try {
      response = await this.#fetch(`${this.url}${path}`, {
        method,
        headers: {
          accept: 'application/json',
          authorization: `Bearer ${this.#token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: combined,
        redirect: 'error',
      })
    } catch (cause) {
      if (timeout.aborted) {
        throw new OrdersError(
          'timeout',
          `orders endpoint ${this.url} did not answer within ${this.#timeoutMs} ms`,
          {
            cause,
          },
        )
      }
      throw new OrdersError(
        'unavailable',
        `orders endpoint ${this.url} cannot be reached: ${describe(cause)}`,
        {
          cause,
        },
      )
    }
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel()
      throw new OrdersError(
        'refused',
        `orders endpoint ${this.url} refused the token (HTTP ${response.status})`,
      )
    }
    if (response.status !== 404 && !response.ok) {
      await response.body?.cancel()
      throw new OrdersError('unavailable', `orders endpoint ${this.url} answered HTTP ${response.status}`)
    }
    if (response.status === 404) await response.body?.cancel()
    return response
  }

  async #json(response: Response): Promise<unknown> {
    try {
      return await response.json()
    } catch (cause) {
      if (cause instanceof Error && cause.name === 'TimeoutError') {
        throw new OrdersError(
          'timeout',
          `orders endpoint ${this.url} did not answer within ${this.#timeoutMs} ms`,
          {
            cause,
          },
        )
      }
      throw new OrdersError('invalid_response', `orders endpoint ${this.url} did not answer JSON`, { cause })
    }
  }
}

function describe(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = cause.cause instanceof Error ? cause.cause.message : null
    return inner ? `${cause.message} (${inner})` : cause.message
  }
  return String(cause)
}
