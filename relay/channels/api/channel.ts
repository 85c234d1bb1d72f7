/**
 * The signed generic webhook API, for channels Parley has no adapter for (SMS gateways and the
 * like): `POST /webhooks/api` delivers a customer's message; agent and bot replies are POSTed,
 * signed the same way, to the configured callback URL. Conversations have `channel: 'api'`.
 */
import { z } from 'zod'
import { newId } from '../../../shared/ids.ts'
import { MAX_MESSAGE_LENGTH, type Message } from '../../../shared/protocol.ts'
import { contactByPhone, normalizePhone } from '../../contacts/phone.ts'
import type { ConversationService, Logger } from '../../conversations/service.ts'
import { AppError } from '../../errors.ts'
import type { Conversation, Site, Store } from '../../store/types.ts'
import { KeyedQueue } from '../../util/keyed-queue.ts'
import { type ReplySender, replyForwarder } from '../replies.ts'
import { attemptsText, HttpSendError, isTransientHttp, replyRetries, sendWithRetries } from '../retry.ts'
import { WhatsAppRecords } from '../whatsapp/records.ts'
import type { ApiChannelConfig } from './config.ts'
import { SIGNATURE_HEADER, sign, TIMESTAMP_HEADER } from './signature.ts'

export const ApiMessageSchema = z.object({
  /** The sender's message id: the same id delivered twice is stored once. */
  id: z.string().min(1).max(200),
  /** The sender's address on that channel (a phone number for SMS). */
  from: z.string().min(1).max(200),
  name: z.string().max(200).optional(),
  text: z.string().min(1).max(MAX_MESSAGE_LENGTH),
})
export type ApiMessage = z.infer<typeof ApiMessageSchema>

export interface ApiChannelOptions {
  config: ApiChannelConfig
  siteId: string
  dataDir: string
  store: Store
  service: ConversationService
  log: Logger
  now: () => Date
  /** Waits between attempts of a failed callback; defaults to retry.ts `DEFAULT_RETRY_DELAYS_MS`. */
  retryDelaysMs?: readonly number[]
}

export class ApiChannel {
  readonly config: ApiChannelConfig
  readonly records: WhatsAppRecords
  private readonly options: ApiChannelOptions
  private readonly inbound = new KeyedQueue()
  private readonly outbound: ReplySender

  constructor(options: ApiChannelOptions) {
    this.options = options
    this.config = options.config
    this.records = new WhatsAppRecords(options.store, options.dataDir, 'api', options.now)
    this.outbound = replyForwarder('api', (conversation, message, closing) =>
      this.send(conversation, message, closing),
    )
    if (options.config.secret) options.service.observe(this.outbound)
  }

  async start(): Promise<void> {
    if (this.config.secret) await this.records.init()
  }

  /** One verified message: continues the sender's open API conversation or starts one. */
  async deliver(
    input: ApiMessage,
  ): Promise<{ conversationId: string; messageId: string; duplicate: boolean }> {
    const { store, siteId } = this.options
    const site = await store.getSite(siteId)
    if (!site) throw new AppError('not_found', `no site ${siteId}`)
    return this.inbound.run(`${site.id}:${input.from}`, async () => {
      // Claimed in the store first: the same id delivered to two nodes at once is stored once.
      const claim = await this.records.claim(input.id)
      if (!claim) {
        const known = await this.records.settled(input.id)
        if (!known) throw new Error(`api message ${input.id} is still being stored by another delivery`)
        return { ...known, duplicate: true }
      }
      try {
        return await this.storeClaimed(site, input)
      } catch (error) {
        await this.records.release(input.id, claim)
        throw error
      }
    })
  }

  /** Stores one claimed message and records it. */
  private async storeClaimed(
    site: Site,
    input: ApiMessage,
  ): Promise<{ conversationId: string; messageId: string; duplicate: boolean }> {
    const { store, service } = this.options
    const contactId = await this.contactFor(site.id, input)
    const [open] = (await store.listConversations({ siteIds: [site.id], contactId, limit: 20 })).filter(
      (c) => c.channel === 'api' && c.status !== 'resolved',
    )
    const sent = await service.channelSend(site, contactId, {
      channel: 'api',
      conversationId: open?.id ?? null,
      clientId: `api_${input.id}`,
      text: input.text,
      automatic: false,
    })
    await this.records.received({
      siteId: site.id,
      waMessageId: input.id,
      contactId,
      conversationId: sent.conversation.id,
      messageId: sent.message.id,
      phone: input.from,
      phoneNumberId: '',
    })
    if (!sent.duplicate) service.answer(sent.conversation, sent.message)
    return { conversationId: sent.conversation.id, messageId: sent.message.id, duplicate: sent.duplicate }
  }

  /**
   * The contact of a sender on a site: the one this channel recorded for `from`, else (when `from` is
   * a phone number) the site's contact with that number, e.g. the customer's WhatsApp contact, else a
   * new one. A phone number is kept on the contact so the other channels find it too.
   */
  private async contactFor(siteId: string, input: ApiMessage): Promise<string> {
    const { store, now } = this.options
    const phone = normalizePhone(input.from)
    const knownId = await this.records.contactFor(siteId, input.from)
    const known = knownId ? await store.getContact(knownId) : null
    if (known) {
      // Contacts made before numbers were kept get theirs the next time they write.
      if (phone && !known.phone) await store.putContact({ ...known, phone })
      return known.id
    }
    const existing = phone ? await contactByPhone(store, siteId, phone) : null
    if (existing) return existing.id
    const id = newId('ctc_')
    await store.putContact({
      id,
      siteId,
      name: input.name ?? null,
      email: null,
      ...(phone && { phone }),
      createdAt: now().toISOString(),
    })
    return id
  }

  /** Waits for replies being sent, retries included (tests). */
  drain(): Promise<void> {
    return this.outbound.drain()
  }

  /** Shutdown: cuts pending retry waits short (one last attempt each), then waits for the sends. */
  close(): Promise<void> {
    return this.outbound.close()
  }

  private async send(conversation: Conversation, message: Message, closing: AbortSignal): Promise<void> {
    const { callbackUrl, secret } = this.config
    const target = await this.records.conversation(conversation.id)
    if (!callbackUrl || !secret || !target) return
    const body = JSON.stringify({
      conversationId: conversation.id,
      messageId: message.id,
      to: target.phone,
      author: message.author,
      authorName: message.authorName,
      text: message.text,
      at: message.createdAt,
    })
    const result = await sendWithRetries(
      async () => {
        // Signed afresh on each attempt: a retry minutes later must not look like a replay.
        const timestamp = String(Math.floor(this.options.now().getTime() / 1000))
        const response = await fetch(callbackUrl, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [TIMESTAMP_HEADER]: timestamp,
            [SIGNATURE_HEADER]: sign(secret, timestamp, body),
          },
          body,
          signal: AbortSignal.timeout(15_000),
        })
        if (!response.ok) throw new HttpSendError(response.status, `the callback answered ${response.status}`)
      },
      replyRetries({
        channel: 'api',
        conversationId: conversation.id,
        log: this.options.log,
        delaysMs: this.options.retryDelaysMs,
        isTransient: isTransientHttp,
        signal: closing,
      }),
    )
    if (result.ok) return
    const failure = (result.error as Error).message
    this.options.log.error(
      { conversationId: conversation.id, failure, attempts: result.attempts },
      'api reply could not be sent',
    )
    await this.options.service.internalNote(
      conversation,
      `The reply could not be delivered to the callback URL after ${attemptsText(result.attempts)}: ${failure}`,
    )
  }
}
