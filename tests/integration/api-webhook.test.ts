/** `POST /webhooks/api`: the signed, timestamped generic webhook, with replies to a loopback callback. */
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { checkSignature, sign } from '../../relay/channels/api/signature.ts'
import { startRelay, type TestRelay } from '../support/relay.ts'
import { eventually } from '../support/smtp.ts'

const SECRET = 'generic-webhook-secret-for-tests'

interface Callback {
  headers: IncomingHttpHeaders
  raw: Buffer
}

describe('generic webhook API', () => {
  let relay: TestRelay | undefined
  let callbacks: Callback[]
  let close: () => Promise<void>
  let callbackUrl: string
  beforeEach(async () => {
    callbacks = []
    const server = createServer((request, response) => {
      const chunks: Buffer[] = []
      request.on('data', (chunk: Buffer) => chunks.push(chunk))
      request.on('end', () => {
        callbacks.push({ headers: request.headers, raw: Buffer.concat(chunks) })
        response.end('ok')
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    callbackUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms/outbound`
    close = () => new Promise((resolve) => server.close(() => resolve()))
  })
  afterEach(async () => {
    await relay?.close()
    relay = undefined
    await close()
  })

  const start = async () => {
    relay = await startRelay({ PARLEY_API_WEBHOOK_SECRET: SECRET, PARLEY_API_CALLBACK_URL: callbackUrl })
    return relay
  }
  const post = (body: object, options: { secret?: string; at?: number } = {}) => {
    const raw = JSON.stringify(body)
    const timestamp = String(Math.floor((options.at ?? Date.now()) / 1000))
    return fetch(`${relay?.url}/webhooks/api`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-parley-timestamp': timestamp,
        'x-parley-signature': sign(options.secret ?? SECRET, timestamp, raw),
      },
      body: raw,
    })
  }

  it('stores a signed non-ASCII message and POSTs the signed bot reply to the callback', async () => {
    await start()
    const text = 'Où est ma commande ? 📦'
    const response = await post({ id: 'sms-1', from: '+33612345678', name: 'Élise', text })
    expect(response.status).toBe(202)
    const { data } = (await response.json()) as { data: { conversationId: string } }
    const conversation = await relay?.app.parley.store.getConversation(data.conversationId)
    expect(conversation?.channel).toBe('api')
    const messages = (await relay?.app.parley.store.listMessages(data.conversationId)) ?? []
    expect(messages.filter((m) => m.author === 'contact').map((m) => m.text)).toEqual([text])
    const [callback] = await eventually(async () => (callbacks.length ? callbacks : null))
    if (!callback) throw new Error('no callback')
    const refused = checkSignature(
      SECRET,
      {
        timestamp: callback.headers['x-parley-timestamp'],
        signature: callback.headers['x-parley-signature'],
      },
      callback.raw,
      new Date(),
      60_000,
    )
    expect(refused).toBeNull()
    expect(JSON.parse(callback.raw.toString('utf8'))).toMatchObject({
      conversationId: data.conversationId,
      to: '+33612345678',
      author: 'bot',
    })
  })

  it('refuses a wrong signature and a replayed old request with 401, storing nothing', async () => {
    await start()
    const body = { id: 'sms-2', from: '+33600000000', text: 'hello' }
    expect((await post(body, { secret: 'not-the-secret-at-all' })).status).toBe(401)
    const replay = await post(body, { at: Date.now() - 10 * 60 * 1000 })
    expect(replay.status).toBe(401)
    expect(((await replay.json()) as { error: { message: string } }).error.message).toContain('too old')
    expect(await relay?.app.parley.store.listConversations({ siteIds: ['demo'] })).toEqual([])
  })

  it('stores the same message id once', async () => {
    await start()
    const body = { id: 'sms-3', from: '+33611111111', text: 'Do you ship to Lyon?' }
    expect((await post(body)).status).toBe(202)
    expect((await post(body)).status).toBe(200)
    const [conversation, other] =
      (await relay?.app.parley.store.listConversations({ siteIds: ['demo'] })) ?? []
    expect(other).toBeUndefined()
    const messages = (await relay?.app.parley.store.listMessages(conversation?.id ?? '')) ?? []
    expect(messages.filter((m) => m.author === 'contact')).toHaveLength(1)
  })
})
