/**
 * Inbound WhatsApp deliveries → conversation messages. Each message continues its contact's open
 * WhatsApp conversation or starts one; a WhatsApp message id already recorded is a retry and is
 * neither stored nor answered again. Status callbacks update our replies' delivery status
 * (statuses.ts) and create no customer message.
 */
import { newId } from '../../../shared/ids.ts'
import { MAX_MESSAGE_LENGTH } from '../../../shared/protocol.ts'
import { contactByPhone } from '../../contacts/phone.ts'
import type { ConversationService, Logger } from '../../conversations/service.ts'
import { AppError } from '../../errors.ts'
import type { Site, Store } from '../../store/types.ts'
import { KeyedQueue } from '../../util/keyed-queue.ts'
import { textOf, type WaMessage, WaValueSchema, WaWebhookSchema } from './payload.ts'
import type { WhatsAppRecords } from './records.ts'
import { applyStatus, type StatusDeps } from './statuses.ts'

export interface InboundDeps extends StatusDeps {
  store: Store
  service: ConversationService
  records: WhatsAppRecords
  log: Logger
  now: () => Date
}

export interface DeliveryResult {
  stored: number
  duplicates: number
  statuses: number
}

/** Handles one verified webhook body; throws `invalid_payload` when it is not in the documented shape. */
export class WhatsAppInbound {
  private readonly deps: InboundDeps
  /** One customer's messages are handled one at a time, so a retry racing its original is still a duplicate. */
  private readonly queue = new KeyedQueue()

  constructor(deps: InboundDeps) {
    this.deps = deps
  }

  async deliver(site: Site, body: unknown): Promise<DeliveryResult> {
    const parsed = WaWebhookSchema.safeParse(body)
    if (!parsed.success) throw new AppError('invalid_payload', 'not a WhatsApp webhook payload')
    const result: DeliveryResult = { stored: 0, duplicates: 0, statuses: 0 }
    for (const entry of parsed.data.entry) {
      for (const change of entry.changes) {
        if (change.field !== 'messages') continue
        const value = WaValueSchema.safeParse(change.value)
        if (!value.success) throw new AppError('invalid_payload', 'a messages change without metadata')
        const { metadata, contacts = [], messages = [], statuses = [] } = value.data
        for (const status of statuses) {
          await applyStatus(this.deps, status)
          result.statuses++
        }
        for (const message of messages) {
          const profile = contacts.find((c) => c.wa_id === message.from) ?? contacts[0]
          const stored = await this.queue.run(`${site.id}:${message.from}`, () =>
            this.message(site, metadata.phone_number_id, message, profile?.profile?.name ?? null),
          )
          if (stored) result.stored++
          else result.duplicates++
        }
      }
    }
    return result
  }

  /** Stores one message and lets the bot answer; false when it was a redelivery. */
  private async message(
    site: Site,
    phoneNumberId: string,
    message: WaMessage,
    name: string | null,
  ): Promise<boolean> {
    const { records, log } = this.deps
    // Claimed in the store before anything is stored: a redelivery reaching another node is refused too.
    const claim = await records.claim(message.id)
    if (!claim) {
      log.info({ waMessageId: message.id }, 'whatsapp redelivery ignored')
      return false
    }
    try {
      return await this.storeClaimed(site, phoneNumberId, message, name)
    } catch (error) {
      await records.release(message.id, claim)
      throw error
    }
  }

  /** Stores a claimed message and records it; false when the store already had it (by its client id). */
  private async storeClaimed(
    site: Site,
    phoneNumberId: string,
    message: WaMessage,
    name: string | null,
  ): Promise<boolean> {
    const { store, service, records, now } = this.deps
    const phone = message.from.replace(/\D/g, '')
    const contactId = await this.contactFor(site, phone, name)
    const [open] = (await store.listConversations({ siteIds: [site.id], contactId, limit: 20 })).filter(
      (c) => c.channel === 'whatsapp' && c.status !== 'resolved',
    )
    const text = textOf(message)
    // The window runs from when the message reached us (by the injected clock, not the sender's timestamp).
    const at = now().toISOString()
    if (open) await records.inbound(open.id, at)
    const {
      conversation,
      message: stored,
      duplicate,
    } = await service.channelSend(site, contactId, {
      channel: 'whatsapp',
      conversationId: open?.id ?? null,
      clientId: `wa_${message.id}`.slice(0, 120),
      text: text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : text,
      automatic: false,
    })
    await records.received({
      siteId: site.id,
      waMessageId: message.id,
      contactId,
      conversationId: conversation.id,
      messageId: stored.id,
      phone,
      phoneNumberId,
      at,
    })
    if (duplicate) return false
    service.answer(conversation, stored)
    return true
  }

  /**
   * The contact of a WhatsApp number on a site: the one recorded for it, else the site's contact
   * with that number (e.g. from an SMS on the generic webhook API), else created on its first message.
   */
  private async contactFor(site: Site, phone: string, name: string | null): Promise<string> {
    const { store, records, now } = this.deps
    const known = await records.contactFor(site.id, phone)
    const existing =
      (known ? await store.getContact(known) : null) ?? (await contactByPhone(store, site.id, phone))
    if (existing) {
      if (name && !existing.name) await store.putContact({ ...existing, name })
      return existing.id
    }
    const id = newId('ctc_')
    // The number is as WhatsApp reports it; it is not an identity check for orders (no emailVerified).
    await store.putContact({ id, siteId: site.id, name, email: null, phone, createdAt: now().toISOString() })
    return id
  }
}
