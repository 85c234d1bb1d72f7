import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { OrdersAdapters } from './factory.ts'
import { JsonFileOrders } from './json-file.ts'
import { OrdersError } from './types.ts'

let dir: string
let file: string
const record = {
  number: 'TW-1001',
  email: 'maya@example.com',
  status: 'delivered',
  placedAt: '2026-11-02',
  deliveredAt: '2026-11-06',
  total: 35,
  currency: 'usd',
  items: [{ sku: 'HB', name: 'Harbor Blend', quantity: 2, price: 16 }],
  carrier: 'USPS',
  tracking: '9400',
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'parley-orders-'))
  file = path.join(dir, 'orders.json')
  await writeFile(file, JSON.stringify([record]))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('JsonFileOrders', () => {
  it('finds an order by number regardless of case, spaces and a leading #, normalised', async () => {
    const orders = new JsonFileOrders(file)
    const order = await orders.getOrder(' #tw-1001 ')
    expect(order).toEqual({
      number: 'TW-1001',
      id: 'TW-1001',
      email: 'maya@example.com',
      status: 'delivered',
      placedAt: '2026-11-02',
      deliveredAt: '2026-11-06',
      total: 35,
      currency: 'USD',
      items: [{ sku: 'HB', name: 'Harbor Blend', quantity: 2, price: 16 }],
      shipments: [{ carrier: 'USPS', tracking: '9400', trackingUrl: null }],
      shippingAddress: null,
    })
    expect(await orders.getOrder('TW-9999')).toBeNull()
  })

  it('reads the demo orders file', async () => {
    const demo = new JsonFileOrders(path.resolve(import.meta.dirname, '../../examples/demo/orders.json'))
    expect((await demo.getOrder('TW-1002'))?.shipments[0]?.carrier).toBe('UPS')
  })

  it('sees an edited file without a restart', async () => {
    const orders = new JsonFileOrders(file)
    expect((await orders.getOrder('TW-1001'))?.status).toBe('delivered')
    await writeFile(
      file,
      JSON.stringify([
        { ...record, status: 'refunded', number: 'TW-1001' },
        { ...record, number: 'TW-2' },
      ]),
    )
    expect((await orders.getOrder('TW-1001'))?.status).toBe('refunded')
    expect((await orders.getOrder('tw-2'))?.number).toBe('TW-2')
  })

  it('throws a clear error naming the file when it is missing or malformed', async () => {
    await expect(new JsonFileOrders(path.join(dir, 'none.json')).getOrder('TW-1')).rejects.toMatchObject({
      kind: 'unavailable',
      message: expect.stringContaining('none.json'),
    })
    await writeFile(file, JSON.stringify([{ ...record, status: 'lost' }]))
    const error = await new JsonFileOrders(file).getOrder('TW-1001').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OrdersError)
    expect((error as OrdersError).message).toMatch(/orders\.json: 0\.status/)
  })

  it('records an applied refund with a reference, moves nothing, and applies a retried key once', async () => {
    const orders = new JsonFileOrders(file)
    const order = await orders.getOrder('TW-1001')
    if (!order) throw new Error('missing')
    const change = { type: 'refund' as const, amount: 12, currency: 'USD', reason: 'broken' }
    const first = await orders.apply(order, change, 'act_1')
    expect(first).toMatchObject({
      reference: expect.stringMatching(/^rf_/),
      refundId: first.reference,
      amount: 12,
      simulated: true,
    })
    expect(await orders.apply(order, change, 'act_1')).toEqual(first)
    expect((await orders.getOrder('TW-1001'))?.status).toBe('delivered')
  })
})

describe('OrdersAdapters', () => {
  it('gives a site the adapter its source names, the same one while the source is unchanged', () => {
    const adapters = new OrdersAdapters()
    expect(adapters.forSite({})).toBeNull()
    const json = adapters.forSite({ orders: { kind: 'json', file } })
    expect(json?.kind).toBe('json')
    expect(adapters.forSite({ orders: { kind: 'json', file } })).toBe(json)
    expect(adapters.forSite({ orders: { kind: 'http', url: 'http://127.0.0.1:1', token: 't' } })?.kind).toBe(
      'http',
    )
  })
})
