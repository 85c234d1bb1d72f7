/**
 * The WhatsApp channel's own records, beside the store (which stays channel-neutral), in
 * `DATA_DIR/whatsapp/index.json`: WhatsApp message id → stored message (so a retried delivery is
 * stored and answered once), (site, phone) → contact, per conversation the customer's number, the
 * business number (`phone_number_id`) that replies go out from and when the customer last wrote
 * (the 24-hour window), and for our replies their WhatsApp id and latest delivery status.
 * The signed generic webhook API (relay/channels/api) and Messenger keep the same records in
 * `DATA_DIR/api/` and `DATA_DIR/messenger/` (Messenger's `phone` is the page-scoped id, its
 * `phoneNumberId` the page).
 * lowdb's JSONFile writes atomically (temp file + rename); writes are serialised.
 */
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { JSONFile } from 'lowdb/node'
import type { DeliveryState, DeliveryStatus } from '../../../shared/protocol.ts'
import { KeyedQueue } from '../../util/keyed-queue.ts'

export interface WaConversation {
  /** The customer's WhatsApp id (their phone number, digits only). */
  phone: string
  /** The business number that received the customer's latest message; replies are sent from it (empty for the API channel). */
  phoneNumberId: string
  /** When the customer's latest message arrived (ISO); absent in records older than the window check. */
  lastInboundAt?: string
}

/** One reply's latest status; the error as WhatsApp gave it, when failed. */
interface Delivery {
  status: DeliveryState
  at: string
  error?: { code: number | null; title: string | null }
}

interface Index {
  messages: Record<string, { conversationId: string; messageId: string }>
  contacts: Record<string, string>
  conversations: Record<string, WaConversation>
  /** Our replies: WhatsApp message id (wamid) → stored message. */
  sent: Record<string, { conversationId: string; messageId: string }>
  /** conversation id → message id → latest status. */
  deliveries: Record<string, Record<string, Delivery>>
}

const empty = (): Index => ({ messages: {}, contacts: {}, conversations: {}, sent: {}, deliveries: {} })

/** WhatsApp's customer-service window: free-form replies only this long after the customer's last message. */
export const REPLY_WINDOW_MS = 24 * 60 * 60 * 1000

/** Statuses only move forward; `failed` is final. */
const RANK: Record<DeliveryState, number> = { sent: 1, delivered: 2, read: 3, failed: 4 }

/** `Title (code)`, as agents read a failure. */
export function errorText(error: Delivery['error']): string {
  const title = error?.title || 'no reason given'
  return error?.code != null ? `${title} (${error.code})` : title
}

function wire(conversationId: string, messageId: string, delivery: Delivery): DeliveryStatus {
  return {
    conversationId,
    messageId,
    status: delivery.status,
    at: delivery.at,
    ...(delivery.status === 'failed' && { error: errorText(delivery.error) }),
  }
}

export class WhatsAppRecords {
  private readonly dir: string
  private readonly file: JSONFile<Index>
  private readonly queue = new KeyedQueue()
  private index: Index = empty()

  constructor(dataDir: string, folder = 'whatsapp') {
    this.dir = path.join(dataDir, folder)
    this.file = new JSONFile<Index>(path.join(this.dir, 'index.json'))
  }

  async init(): Promise<void> {
    await mkdir(this.dir, { recursive: true })
    this.index = { ...empty(), ...(await this.file.read()) }
  }

  /** The stored message of a WhatsApp message id, if it was delivered before. */
  message(waMessageId: string): { conversationId: string; messageId: string } | null {
    return this.index.messages[waMessageId] ?? null
  }

  contactFor(siteId: string, phone: string): string | null {
    return this.index.contacts[`${siteId} ${phone}`] ?? null
  }

  conversation(conversationId: string): WaConversation | null {
    return this.index.conversations[conversationId] ?? null
  }

  /** When the customer's latest message arrived (ISO); null when unknown. */
  lastInboundAt(conversationId: string): string | null {
    return this.index.conversations[conversationId]?.lastInboundAt ?? null
  }

  /** Until when a free-form reply can reach the customer; null when their last message's time is unknown. */
  replyWindowEndsAt(conversationId: string): string | null {
    const last = this.index.conversations[conversationId]?.lastInboundAt
    return last ? new Date(Date.parse(last) + REPLY_WINDOW_MS).toISOString() : null
  }

  /** The latest status of each reply of a conversation that WhatsApp reported on. */
  deliveries(conversationId: string): DeliveryStatus[] {
    return Object.entries(this.index.deliveries[conversationId] ?? {}).map(([messageId, delivery]) =>
      wire(conversationId, messageId, delivery),
    )
  }

  /** Records one inbound message: its id, the contact's number, the conversation's numbers and `at` (its arrival). */
  received(input: {
    siteId: string
    waMessageId: string
    contactId: string
    conversationId: string
    messageId: string
    phone: string
    phoneNumberId: string
    at?: string
  }): Promise<void> {
    return this.update((index) => {
      index.messages[input.waMessageId] = { conversationId: input.conversationId, messageId: input.messageId }
      index.contacts[`${input.siteId} ${input.phone}`] = input.contactId
      const lastInboundAt = input.at ?? index.conversations[input.conversationId]?.lastInboundAt
      index.conversations[input.conversationId] = {
        phone: input.phone,
        phoneNumberId: input.phoneNumberId,
        ...(lastInboundAt && { lastInboundAt }),
      }
    })
  }

  /**
   * The customer of a known conversation wrote at `at`: recorded before their message is stored, so
   * the summary agents get with it already shows the new window.
   */
  inbound(conversationId: string, at: string): Promise<void> {
    return this.update((index) => {
      const known = index.conversations[conversationId]
      if (known) index.conversations[conversationId] = { ...known, lastInboundAt: at }
    })
  }

  /** Records the WhatsApp id the Graph API gave one of our replies. */
  sent(input: { waMessageId: string; conversationId: string; messageId: string }): Promise<void> {
    return this.update((index) => {
      index.sent[input.waMessageId] = { conversationId: input.conversationId, messageId: input.messageId }
    })
  }

  /**
   * Applies a status callback to the reply it is about. Returns the new status, or null when the id is
   * not one of our replies or the status is not newer than the one kept (nothing is written then).
   */
  async statusReceived(waMessageId: string, delivery: Delivery): Promise<DeliveryStatus | null> {
    let changed: DeliveryStatus | null = null
    await this.update((index) => {
      const reply = index.sent[waMessageId]
      if (!reply) return false
      const current = index.deliveries[reply.conversationId]?.[reply.messageId]
      if (current && RANK[delivery.status] <= RANK[current.status]) return false
      index.deliveries[reply.conversationId] = {
        ...index.deliveries[reply.conversationId],
        [reply.messageId]: delivery,
      }
      changed = wire(reply.conversationId, reply.messageId, delivery)
    })
    return changed
  }

  /** Serialised copy-on-write; a change that returns false leaves the file alone. */
  private update(change: (index: Index) => undefined | false): Promise<void> {
    return this.queue.run('index', async () => {
      const next = structuredClone(this.index)
      if (change(next) === false) return
      await this.file.write(next)
      this.index = next
    })
  }
}
