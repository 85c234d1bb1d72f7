/** `POST /webhooks/api`: a signed, timestamped message from any other channel. Raw-body parser for this route only. */
import type { FastifyInstance } from 'fastify'
import { AppError } from '../../errors.ts'
import { type ApiChannel, ApiMessageSchema } from './channel.ts'
import { checkSignature, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './signature.ts'

export async function apiChannelRoutes(
  app: FastifyInstance,
  options: { channel: ApiChannel; now: () => Date },
) {
  const { channel, now } = options
  const secret = channel.config.secret
  // Off without a secret: the route falls through to the 404 not_found handler.
  if (!secret) return
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 64 * 1024 }, (_request, body, done) =>
    done(null, body),
  )
  app.post('/webhooks/api', async (request, reply) => {
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0)
    const refused = checkSignature(
      secret,
      { timestamp: request.headers[TIMESTAMP_HEADER], signature: request.headers[SIGNATURE_HEADER] },
      raw,
      now(),
      channel.config.toleranceMs,
    )
    if (refused) throw new AppError('unauthorized', refused)
    let json: unknown
    try {
      json = JSON.parse(raw.toString('utf8'))
    } catch {
      throw new AppError('invalid_payload', 'the body is not JSON')
    }
    const input = ApiMessageSchema.safeParse(json)
    if (!input.success) throw new AppError('invalid_payload', 'expected { id, from, name?, text }')
    const result = await channel.deliver(input.data)
    return reply.status(result.duplicate ? 200 : 202).send({ ok: true, data: result })
  })
}
