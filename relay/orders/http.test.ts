import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { HttpOrders } from './http.ts'

const order = {
  number: 'TW-1002',
  id: 5551234,
  email: 'leo@example.com',
  status: 'shipped',
  placedAt: '2026-11-28',
  total: '89.00',
  currency: 'USD',
  items: [{ sku: 'GR', name: 'Grinder', quantity: 1, price: '89.00' }],
  shipments: [{ carrier: 'UPS', tracking: '1Z999', trackingUrl: 'https://ups.example/1Z999' }],
}

interface Seen {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: string
}

let server: Server
let url: string
let seen: Seen[]
let handler: (req: IncomingMessage, res: ServerResponse, body: string) => void

beforeEach(async () => {
  seen = []
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => {
      body += c.toString()
    })
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body })
      handler(req, res, body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/shop/`
})
afterEach(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value))
}

describe('HttpOrders', () => {
  it('GETs {url}/orders/{number} with the bearer token and normalises the record', async () => {
    handler = (_req, res) => json(res, 200, { order })
    const orders = new HttpOrders({ url, token: 'sekret-token' })
    const found = await orders.getOrder('#TW-1002')
    expect(seen[0]).toMatchObject({ method: 'GET', url: '/shop/orders/TW-1002' })
    expect(seen[0]?.headers.authorization).toBe('Bearer sekret-token')
    expect(found).toMatchObject({
      number: 'TW-1002',
      id: '5551234',
      total: 89,
      items: [{ price: 89 }],
      shipments: [{ carrier: 'UPS', tracking: '1Z999', trackingUrl: 'https://ups.example/1Z999' }],
    })
  })

  it('escapes the order number in the path', async () => {
    handler = (_req, res) => json(res, 404, {})
    await new HttpOrders({ url, token: 't' }).getOrder('../admin?x=1')
    expect(seen[0]?.url).toBe('/shop/orders/..%2Fadmin%3Fx%3D1')
  })

  it('answers null for a 404', async () => {
    handler = (_req, res) => json(res, 404, { error: 'not found' })
    expect(await new HttpOrders({ url, token: 't' }).getOrder('TW-9')).toBeNull()
  })

  it('fails with a timeout error when the endpoint does not answer in time', async () => {
    handler = () => undefined
    const started = Date.now()
    const error = await new HttpOrders({ url, token: 't', timeoutMs: 150 })
      .getOrder('TW-1')
      .catch((e: unknown) => e)
    expect(error).toMatchObject({
      name: 'OrdersError',
      kind: 'timeout',
      message: expect.stringContaining('150 ms'),
    })
    expect(Date.now() - started).toBeLessThan(5000)
  })

  it('says a refused token, a server error and a malformed body apart, never printing the token', async () => {
    const orders = new HttpOrders({ url, token: 'sekret-token' })
    handler = (_req, res) => json(res, 401, {})
    const refused = await orders.getOrder('TW-1').catch((e: unknown) => e)
    expect(refused).toMatchObject({ kind: 'refused', message: expect.stringContaining('HTTP 401') })
    expect(String((refused as Error).message)).not.toContain('sekret')
    handler = (_req, res) => json(res, 503, {})
    await expect(orders.getOrder('TW-1')).rejects.toMatchObject({
      kind: 'unavailable',
      message: expect.stringContaining('503'),
    })
    handler = (_req, res) => json(res, 200, { number: 'TW-1', status: 'lost' })
    await expect(orders.getOrder('TW-1')).rejects.toMatchObject({ kind: 'invalid_response' })
    handler = (_req, res) => res.writeHead(200).end('<html>')
    await expect(orders.getOrder('TW-1')).rejects.toMatchObject({ kind: 'invalid_response' })
  })

  it('fails clearly when nothing listens', async () => {
    const error = await new HttpOrders({ url: 'http://127.0.0.1:1', token: 't' })
      .getOrder('TW-1')
      .catch((e: unknown) => e)
    expect(error).toMatchObject({
      kind: 'unavailable',
      message: expect.stringContaining('cannot be reached'),
    })
  })

  it('POSTs an applied change with the token and the idempotency key, and returns its reference', async () => {
    handler = (req, res) =>
      req.method === 'GET' ? json(res, 200, order) : json(res, 201, { reference: 'RF-77', refunded: 12 })
    const orders = new HttpOrders({ url, token: 'sekret-token' })
    const found = await orders.getOrder('TW-1002')
    if (!found) throw new Error('missing')
    const result = await orders.apply(
      found,
      { type: 'refund', amount: 12, currency: 'USD', reason: 'broken' },
      'act_9',
    )
    expect(result).toEqual({ reference: 'RF-77', refunded: 12 })
    const post = seen[1]
    expect(post).toMatchObject({ method: 'POST', url: '/shop/orders/TW-1002/actions' })
    expect(post?.headers.authorization).toBe('Bearer sekret-token')
    expect(post?.headers['idempotency-key']).toBe('act_9')
    expect(JSON.parse(post?.body ?? '{}')).toEqual({
      type: 'refund',
      amount: 12,
      currency: 'USD',
      reason: 'broken',
      orderId: '5551234',
      key: 'act_9',
    })
  })
})
