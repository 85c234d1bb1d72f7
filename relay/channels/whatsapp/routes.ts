/**
 * `/webhooks/whatsapp` in the shape of the WhatsApp Cloud API: GET is the verification handshake,
 * POST a delivery signed with `X-Hub-Signature-256` over the raw request bytes. Encapsulated: the
 * raw-body parser registered here applies to this route only.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { AppError } from '../../errors.ts'
import type { WhatsAppChannel } from './channel.ts'

export const SIGNATURE_HEADER = 'x-hub-signature-256'

/** Equal-length digests, so neither the token's length nor its prefix leaks through timing. */
export function sameToken(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest()
  const b = createHash('sha256').update(expected).digest()
  return timingSafeEqual(a, b)
}

/** `sha256=<hex>` is the HMAC-SHA256 of exactly these bytes with the app secret. */
export function validSignature(header: unknown, body: Buffer, secret: string): boolean {
  if (typeof header !== 'string') return false
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header.trim())
  if (!match?.[1]) return false
  const expected = createHmac('sha256', secret).update(body).digest()
  return timingSafeEqual(Buffer.from(match[1], 'hex'), expected)
}

const HandshakeSchema = z.object({
  'hub.mode': z.string().optional(),
  'hub.verify_token': z.string().optional(),
  'hub.challenge': z.string().optional(),
})

export async function whatsappRoutes(
  app: FastifyInstance,
  options: { channel: WhatsAppChannel },
): Promise<void> {
  const { channel } = options
  const { appSecret, verifyToken } = channel.config
  // Off without an app secret: the routes fall through to the 404 not_found handler.
  if (!appSecret || !verifyToken) return

  app.get('/webhooks/whatsapp', async (request, reply) => {
    const query = HandshakeSchema.parse(request.query)
    const token = query['hub.verify_token']
    if (query['hub.mode'] !== 'subscribe' || token === undefined || !sameToken(token, verifyToken))
      throw new AppError('forbidden', 'wrong hub.mode or hub.verify_token')
    return reply.type('text/plain; charset=utf-8').send(query['hub.challenge'] ?? '')
  })

  // The signature covers the bytes as sent: parse only after checking them, whatever the content type.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 1024 * 1024 }, (_request, body, done) =>
    done(null, body),
  )
  app.post('/webhooks/whatsapp', { bodyLimit: 1024 * 1024 }, async (request, reply) => {
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0)
    if (!validSignature(request.headers[SIGNATURE_HEADER], raw, appSecret))
      throw new AppError('unauthorized', `missing or wrong ${SIGNATURE_HEADER}`)
    let body: unknown
    try {
      body = JSON.parse(raw.toString('utf8'))
    } catch {
      body = null
    }
    try {
      const data = await channel.deliver(body)
      return reply.status(200).send({ ok: true, data })
    } catch (error) {
      // A signed body that is not in the documented shape will not get better by a retry: 200, logged.
      if (!(error instanceof AppError && error.code === 'invalid_payload')) throw error
      request.log.error({ err: error }, 'whatsapp delivery ignored: unexpected payload')
      return reply.status(200).send({ ok: true, data: { stored: 0, duplicates: 0, statuses: 0 } })
    }
  })
}
