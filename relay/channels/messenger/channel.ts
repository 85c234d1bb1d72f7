/**
 * The Messenger channel, in the shape of the Messenger Platform webhook: `entry[].messaging[]`
 * with `sender.id` (the page-scoped id), `recipient.id` (the page) and `message.{mid,text,attachments}`.
 * Same handshake and signature as WhatsApp; replies go to `POST {graph}/me/messages` with the page token,
 * within Messenger's windows (window.ts).
 */
import { z } from 'zod'
import { newId } from '../../../shared/ids.ts'
import { MAX_MESSAGE_LENGTH, type Message } from '../../../shared/protocol.ts'
import type { ConversationService, Logger } from '../../conversations/service.ts'
import { AppError } from '../../errors.ts'
import type { Conversation, Site, Store } from '../../store/types.ts'
import { KeyedQueue } from '../../util/keyed-queue.ts'
import { type ReplySender, replyForwarder } from '../replies.ts'
import { attemptsText, HttpSendError, isTransientHttp, replyRetries, sendWithRetries } from '../retry.ts'
import { WhatsAppRecords } from '../whatsapp/records.ts'
import type { MessengerConfig } from './config.ts'
import { humanAgentWindowEndsAt, messagingFor, windowClosedNote } from './window.ts'

const EventSchema = z.object({
  sender: z.object({ id: z.string().min(1) }),
  recipient: z.object({ id: z.string().min(1) }),
  timestamp: z.number().optional(),
  message: z
    .object({
      mid: z.string().min(1),
      text: z.string().optional(),
      is_echo: z.boolean().optional(),
      attachments: z
        .array(z.object({ type: z.string(), payload: z.object({ url: z.string().optional() }).nullish() }))
        .optional(),
    })
    .optional(),
  delivery: z.object({ mids: z.array(z.string()).optional() }).optional(),
  read: z.object({ watermark: z.number().optional() }).optional(),
})
type MessengerEvent = z.infer<typeof EventSchema>

export const MessengerWebhookSchema = z.object({
  object: z.literal('page'),
  entry: z.array(z.object({ id: z.string().optional(), messaging: z.array(EventSchema).optional() })),
})

export interface MessengerChannelOptions {
  config: MessengerConfig
  siteId: string
  dataDir: string
  store: Store
  service: ConversationService
  log: Logger
  now: () => Date
  /** Waits between attempts of a failed reply; defaults to retry.ts `DEFAULT_RETRY_DELAYS_MS`. */
  retryDelaysMs?: readonly number[]
}

function textOf(message: NonNullable<MessengerEvent['message']>): string {
  const parts = message.text ? [message.text] : []
  for (const a of message.attachments ?? [])
    parts.push(`[${a.type}]${a.payload?.url ? ` ${a.payload.url}` : ''}`)
  const text = parts.join('\n') || '[empty message]'
  return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : text
}

export class MessengerChannel {
  readonly config: MessengerConfig
  readonly records: WhatsAppRecords
  private readonly options: MessengerChannelOptions
  private readonly inbound = new KeyedQueue()
  private readonly outbound: ReplySender

  constructor(options: MessengerChannelOptions) {
    this.options = options
    this.config = options.config
    this.records = new WhatsAppRecords(options.store, options.dataDir, 'messenger', options.now)
    this.outbound = replyForwarder('messenger', (conversation, message, closing) =>
      this.send(conversation, message, closing),
    )
    if (options.config.appSecret) options.service.observe(this.outbound)
  }

  async start(): Promise<void> {
    if (this.config.appSecret) await this.records.init()
  }

  /** One verified webhook body: messages stored (once per `mid`), deliveries and reads logged. */
  async deliver(body: unknown): Promise<{ stored: number; duplicates: number; statuses: number }> {
    const parsed = MessengerWebhookSchema.safeParse(body)
    if (!parsed.success) throw new AppError('invalid_payload', 'not a Messenger webhook payload')
    const site = await this.options.store.getSite(this.options.siteId)
    if (!site) throw new AppError('not_found', `no site ${this.options.siteId}`)
    const result = { stored: 0, duplicates: 0, statuses: 0 }
    for (const event of parsed.data.entry.flatMap((e) => e.messaging ?? [])) {
      const message = event.message
      if (!message || message.is_echo) {
        if (event.delivery || event.read) {
          this.options.log.info(
            { sender: event.sender.id, delivery: event.delivery, read: event.read },
            'messenger status',
          )
          result.statuses++
        }
        continue
      }
      const stored = await this.inbound.run(`${site.id}:${event.sender.id}`, async () => {
        // Claimed in the store first: a redelivery reaching another node is refused too.
        const claim = await this.records.claim(message.mid)
        if (!claim) return false
        try {
          return await this.storeClaimed(site, event, message)
        } catch (error) {
          await this.records.release(message.mid, claim)
          throw error
        }
      })
      if (stored) result.stored++
      else result.duplicates++
    }
    return result
  }

  /** Stores one claimed message and records it; false when the store already had it (by its client id). */
  private async storeClaimed(
    site: Site,
    event: MessengerEvent,
    message: NonNullable<MessengerEvent['message']>,
  ): Promise<boolean> {
    const { store, service, now } = this.options
    let contactId = await this.records.contactFor(site.id, event.sender.id)
    if (!contactId || !(await store.getContact(contactId))) {
      contactId = newId('ctc_')
      await store.putContact({
        id: contactId,
        siteId: site.id,
        name: null,
        email: null,
        createdAt: now().toISOString(),
      })
    }
    const [open] = (await store.listConversations({ siteIds: [site.id], contactId, limit: 20 })).filter(
      (c) => c.channel === 'messenger' && c.status !== 'resolved',
    )
    // The windows run from when the message reached us (by the injected clock), recorded before it
    // is stored so the summary agents get with it already shows the new window.
    const at = now().toISOString()
    if (open) await this.records.inbound(open.id, at)
    const sent = await service.channelSend(site, contactId, {
      channel: 'messenger',
      conversationId: open?.id ?? null,
      clientId: `fb_${message.mid}`,
      text: textOf(message),
      automatic: false,
    })
    await this.records.received({
      siteId: site.id,
      waMessageId: message.mid,
      contactId,
      conversationId: sent.conversation.id,
      messageId: sent.message.id,
      phone: event.sender.id,
      phoneNumberId: event.recipient.id,
      at,
    })
    if (sent.duplicate) return false
    service.answer(sent.conversation, sent.message)
    return true
  }

  /** Until when an agent's reply reaches the person (their last message + 7 days); null when unknown. */
  async replyWindowEndsAt(conversationId: string): Promise<string | null> {
    return humanAgentWindowEndsAt(await this.records.lastInboundAt(conversationId))
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
    const target = await this.records.conversation(conversation.id)
    if (!target) return
    const messaging = messagingFor(message.author, target.lastInboundAt ?? null, this.options.now())
    if ('closedAt' in messaging) {
      this.options.log.info(
        { conversationId: conversation.id, messageId: message.id },
        'messenger reply held: the 7-day human agent window closed',
      )
      return this.options.service.internalNote(conversation, windowClosedNote(messaging.closedAt))
    }
    const url = `${this.config.graphApiUrl}/me/messages`
    const body = JSON.stringify({
      recipient: { id: target.phone },
      ...messaging,
      message: { text: message.text.slice(0, 2000) },
    })
    const result = await sendWithRetries(
      async () => {
        const response = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(this.config.pageToken && { authorization: `Bearer ${this.config.pageToken}` }),
          },
          body,
          signal: AbortSignal.timeout(15_000),
        })
        if (!response.ok)
          throw new HttpSendError(response.status, `the Graph API answered ${response.status}`)
      },
      replyRetries({
        channel: 'messenger',
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
      { conversationId: conversation.id, url, failure, attempts: result.attempts },
      'messenger reply could not be sent',
    )
    await this.options.service.internalNote(
      conversation,
      `The Messenger reply could not be sent after ${attemptsText(result.attempts)}: ${failure}`,
    )
  }
}
