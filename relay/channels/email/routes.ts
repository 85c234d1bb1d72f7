/**
 * The email channel's HTTP routes: the inbound webhook (raw MIME, shared secret), the full
 * originals and attachments for agents, and the demo outbox for admins.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { simpleParser } from 'mailparser'
import { z } from 'zod'
import type { OutboxMail } from '../../../shared/email.ts'
import { IdSchema } from '../../../shared/protocol.ts'
import { AppError } from '../../errors.ts'
import { requireAgent } from '../../http/auth-guard.ts'
import type { EmailChannel } from './channel.ts'
import { OutboxTransport } from './transport.ts'

export const WEBHOOK_SECRET_HEADER = 'x-parley-email-secret'

/** Equal-length digests, so neither the secret's length nor its prefix leaks through timing. */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest()
  const b = createHash('sha256').update(expected).digest()
  return timingSafeEqual(a, b)
}

/** Only these types are served as themselves; anything else is a download of opaque bytes. */
const INLINE_SAFE = new Set(['image/png', 'image/jpeg', 'image/gif', 'application/pdf', 'text/plain'])

export async function emailRoutes(app: FastifyInstance, options: { channel: EmailChannel }): Promise<void> {
  const { channel } = options
  const secret = channel.config.webhookSecret

  if (secret) {
    app.addContentTypeParser(
      ['message/rfc822', 'application/octet-stream', 'text/plain'],
      { parseAs: 'buffer', bodyLimit: channel.config.maxBytes },
      (_request, body, done) => done(null, body),
    )
    app.post('/webhooks/email', { bodyLimit: channel.config.maxBytes }, async (request, reply) => {
      const given = request.headers[WEBHOOK_SECRET_HEADER]
      if (typeof given !== 'string' || !sameSecret(given, secret))
        throw new AppError('unauthorized', `missing or wrong ${WEBHOOK_SECRET_HEADER}`)
      if (!Buffer.isBuffer(request.body) || request.body.length === 0)
        throw new AppError('invalid_payload', 'send the raw MIME message as message/rfc822')
      const received = await channel.receive(request.body)
      return reply.status(received.duplicate ? 200 : 202).send({ ok: true, data: received })
    })
  }

  /** The thread's emails as received and sent: full text, HTML, attachment list. */
  app.get('/api/email/conversations/:id', async (request) => {
    const { id } = z.object({ id: IdSchema }).parse(request.params)
    const agent = await requireAgent(request)
    const conversation = await app.parley.store.getConversation(id)
    if (!conversation || !agent.siteIds.includes(conversation.siteId))
      throw new AppError('not_found', 'no such conversation')
    const thread = await channel.records.thread(id)
    return { ok: true, data: { subject: thread?.subject ?? null, messages: thread?.messages ?? {} } }
  })

  app.get('/api/email/conversations/:id/attachments/:attachmentId', async (request, reply) => {
    const params = z.object({ id: IdSchema, attachmentId: IdSchema }).parse(request.params)
    const agent = await requireAgent(request)
    const conversation = await app.parley.store.getConversation(params.id)
    if (!conversation || !agent.siteIds.includes(conversation.siteId))
      throw new AppError('not_found', 'no such conversation')
    const thread = await channel.records.thread(params.id)
    const meta = Object.values(thread?.messages ?? {})
      .flatMap((m) => m.attachments)
      .find((a) => a.id === params.attachmentId && a.stored)
    if (!meta) throw new AppError('not_found', 'no such attachment')
    const type = INLINE_SAFE.has(meta.contentType) ? meta.contentType : 'application/octet-stream'
    return reply
      .header('content-type', type)
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(meta.filename)}`)
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .send(await channel.records.readAttachment(meta.id))
  })

  /** The demo's outbox (no `PARLEY_SMTP_URL`): the mails the relay would have sent, newest first. */
  app.get('/api/dev/outbox', async (request) => {
    const agent = await requireAgent(request)
    if (agent.role !== 'admin') throw new AppError('forbidden', 'admins only')
    const transport = channel.transport
    if (!(transport instanceof OutboxTransport))
      throw new AppError('not_found', 'outbound mail goes to PARLEY_SMTP_URL; there is no outbox')
    const messages: OutboxMail[] = await Promise.all(
      (await transport.list()).map(async (entry) => {
        const mail = await simpleParser(entry.raw)
        return {
          file: entry.file,
          size: entry.size,
          from: mail.from?.text ?? '',
          to: (Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : []).map((a) => a.text).join(', '),
          subject: mail.subject ?? '',
          date: mail.date?.toISOString() ?? null,
          text: mail.text ?? '',
          raw: entry.raw,
        }
      }),
    )
    return { ok: true, data: { messages } }
  })
}
