/** `/webhooks/messenger`: the same handshake and raw-byte `X-Hub-Signature-256` check as WhatsApp. */
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { AppError } from '../../errors.ts'
import { SIGNATURE_HEADER, sameToken, validSignature } from '../whatsapp/routes.ts'
import type { MessengerChannel } from './channel.ts'

const HandshakeSchema = z.object({
  'hub.mode': z.string().optional(),
  'hub.verify_token': z.string().optional(),
  'hub.challenge': z.string().optional(),
})

export async function messengerRoutes(app: FastifyInstance, options: { channel: MessengerChannel }) {
  const { appSecret, verifyToken } = options.channel.config
  if (!appSecret || !verifyToken) return
  app.get('/webhooks/messenger', async (request, reply) => {
    const query = HandshakeSchema.parse(request.query)
    const token = query['hub.verify_token']
    if (query['hub.mode'] !== 'subscribe' || token === undefined || !sameToken(token, verifyToken))
      throw new AppError('forbidden', 'wrong hub.mode or hub.verify_token')
    return reply.type('text/plain; charset=utf-8').send(query['hub.challenge'] ?? '')
  })
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 1024 * 1024 }, (_request, body, done) =>
    done(null, body),
  )
  app.post('/webhooks/messenger', { bodyLimit: 1024 * 1024 }, async (request, reply) => {
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0)
    if (!validSignature(request.headers[SIGNATURE_HEADER], raw, appSecret))
      throw new AppError('unauthorized', `missing or wrong ${SIGNATURE_HEADER}`)
    let body: unknown = null
    try {
      body = JSON.parse(raw.toString('utf8'))
    } catch {}
    try {
      return reply.send({ ok: true, data: await options.channel.deliver(body) })
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'invalid_payload')) throw error
      request.log.error({ err: error }, 'messenger delivery ignored: unexpected payload')
      return reply.send({ ok: true, data: { stored: 0, duplicates: 0, statuses: 0 } })
    }
  })
}
