/**
 * The WhatsApp channel's own records, kept in the Store's keyed records (namespaces
 * `whatsapp.messages`, `.contacts`, `.conversations`, `.sent`, `.deliveries`), so every node on a
 * shared store sees them and a webhook may reach any node: WhatsApp message id → stored message (so
 * a retried delivery is stored and answered once, claimed with putRecordIfAbsent before it is
 * stored), (site, phone) → contact, per conversation the customer's number, the business number
 * (`phone_number_id`) that replies go out from and when the customer last wrote (the 24-hour
 * window), and for our replies their WhatsApp id and latest delivery status.
 * The signed generic webhook API (relay/channels/api) and Messenger keep the same records in the
 * `api.` and `messenger.` namespaces (Messenger's `phone` is the page-scoped id, its
 * `phoneNumberId` the page). Records written before, in `DATA_DIR/<channel>/index.json`, are
 * imported once at init().
 */
import { randomUUID } from 'node:crypto'
import path from 'node:path'
import { JSONFile } from 'lowdb/node'
import type { DeliveryState, DeliveryStatus } from '../../../shared/protocol.ts'
import type { Store } from '../../store/types.ts'

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

/** A stored message, as a channel's message id leads to it. */
export interface MessageRef {
  conversationId: string
  messageId: string
}

/** A delivered id being stored by some node; taken over once `at` is older than CLAIM_LEASE_MS. */
interface Claim {
  claim: string
  at: string
}

/** What `DATA_DIR/<channel>/index.json` held, before the records moved into the store. */
interface Index {
  messages: Record<string, MessageRef>
  contacts: Record<string, string>
  conversations: Record<string, WaConversation>
  /** Our replies: WhatsApp message id (wamid) → stored message. */
  sent: Record<string, MessageRef>
  /** conversation id → message id → latest status. */
  deliveries: Record<string, Record<string, Delivery>>
}

/** WhatsApp's customer-service window: free-form replies only this long after the customer's last message. */
export const REPLY_WINDOW_MS = 24 * 60 * 60 * 1000

/**
 * How long a claimed message id waits for its message to be stored before another delivery of it
 * may take over (the node that claimed it died, or its store write failed).
 */
export const CLAIM_LEASE_MS = 2 * 60 * 1000

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

const isClaim = (value: unknown): value is Claim =>
  typeof value === 'object' && value !== null && typeof (value as Partial<Claim>).claim === 'string'

export class WhatsAppRecords {
  private readonly store: Store
  private readonly legacyFile: string
  private readonly ns: Record<
    'messages' | 'contacts' | 'conversations' | 'sent' | 'deliveries' | 'meta',
    string
  >
  private readonly now: () => Date

  constructor(store: Store, dataDir: string, folder = 'whatsapp', now: () => Date = () => new Date()) {
    this.store = store
    this.now = now
    this.legacyFile = path.join(dataDir, folder, 'index.json')
    this.ns = {
      messages: `${folder}.messages`,
      contacts: `${folder}.contacts`,
      conversations: `${folder}.conversations`,
      sent: `${folder}.sent`,
      deliveries: `${folder}.deliveries`,
      meta: `${folder}.meta`,
    }
  }

  /**
   * Imports `DATA_DIR/<channel>/index.json`, once: when the store has no import mark for the
   * channel. Nothing the store already holds is overwritten (a node without the file may have
   * written newer records); the file itself is left where it is.
   */
  async init(): Promise<void> {
    if (await this.store.getRecord(this.ns.meta, 'imported')) return
    const index = await new JSONFile<Partial<Index>>(this.legacyFile).read()
    if (!index) return
    const puts: Array<[string, string, unknown]> = []
    const add = (namespace: string, entries: Record<string, unknown> | undefined): void => {
      for (const [key, value] of Object.entries(entries ?? {})) puts.push([namespace, key, value])
    }
    add(this.ns.messages, index.messages)
    add(this.ns.contacts, index.contacts)
    add(this.ns.conversations, index.conversations)
    add(this.ns.sent, index.sent)
    add(this.ns.deliveries, index.deliveries)
    for (let i = 0; i < puts.length; i += 50)
      await Promise.all(
        puts.slice(i, i + 50).map(([ns, key, value]) => this.store.putRecordIfAbsent(ns, key, value)),
      )
    await this.store.putRecord(this.ns.meta, 'imported', {
      at: this.now().toISOString(),
      from: this.legacyFile,
      records: puts.length,
    })
  }

  /** The stored message of a message id, if it was delivered and stored before. */
  async message(waMessageId: string): Promise<MessageRef | null> {
    const found = await this.store.getRecord(this.ns.messages, waMessageId)
    return found === null || isClaim(found) ? null : (found as MessageRef)
  }

  /**
   * Claims a delivered message id before its message is stored: a token when this delivery is the
   * one to store it, null when the id was delivered before or is being stored right now (on any
   * node). A claim older than CLAIM_LEASE_MS, or released, is taken over.
   */
  async claim(waMessageId: string): Promise<string | null> {
    const token = randomUUID()
    const claim: Claim = { claim: token, at: this.now().toISOString() }
    if (await this.store.putRecordIfAbsent(this.ns.messages, waMessageId, claim)) return token
    const expired = this.now().getTime() - CLAIM_LEASE_MS
    const after = await this.store.updateRecord(this.ns.messages, waMessageId, (current) =>
      isClaim(current) && Date.parse(current.at) <= expired ? claim : undefined,
    )
    return isClaim(after) && after.claim === token ? token : null
  }

  /** Gives a claim up (storing the message failed): the sender's retry may store it at once. */
  async release(waMessageId: string, token: string): Promise<void> {
    await this.store.updateRecord(this.ns.messages, waMessageId, (current) =>
      isClaim(current) && current.claim === token
        ? { claim: token, at: new Date(0).toISOString() }
        : undefined,
    )
  }

  /** The stored message of an id claimed elsewhere, once it is stored; null if that takes over `waitMs`. */
  async settled(waMessageId: string, waitMs = 5000): Promise<MessageRef | null> {
    const until = Date.now() + waitMs
    for (;;) {
      const known = await this.message(waMessageId)
      if (known || Date.now() >= until) return known
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }

  async contactFor(siteId: string, phone: string): Promise<string | null> {
    return ((await this.store.getRecord(this.ns.contacts, `${siteId} ${phone}`)) as string | null) ?? null
  }

  async conversation(conversationId: string): Promise<WaConversation | null> {
    return (await this.store.getRecord(this.ns.conversations, conversationId)) as WaConversation | null
  }

  /** When the customer's latest message arrived (ISO); null when unknown. */
  async lastInboundAt(conversationId: string): Promise<string | null> {
    return (await this.conversation(conversationId))?.lastInboundAt ?? null
  }

  /** Until when a free-form reply can reach the customer; null when their last message's time is unknown. */
  async replyWindowEndsAt(conversationId: string): Promise<string | null> {
    const last = await this.lastInboundAt(conversationId)
    return last ? new Date(Date.parse(last) + REPLY_WINDOW_MS).toISOString() : null
  }

  /** The latest status of each reply of a conversation that WhatsApp reported on. */
  async deliveries(conversationId: string): Promise<DeliveryStatus[]> {
    const kept = (await this.store.getRecord(this.ns.deliveries, conversationId)) as Record<
      string,
      Delivery
    > | null
    return Object.entries(kept ?? {}).map(([messageId, delivery]) =>
      wire(conversationId, messageId, delivery),
    )
  }

  /**
   * Records one inbound message: its id (replacing its claim), the contact's number, the
   * conversation's numbers and `at` (its arrival).
   */
  async received(input: {
    siteId: string
    waMessageId: string
    contactId: string
    conversationId: string
    messageId: string
    phone: string
    phoneNumberId: string
    at?: string
  }): Promise<void> {
    const ref: MessageRef = { conversationId: input.conversationId, messageId: input.messageId }
    await Promise.all([
      this.store.putRecord(this.ns.messages, input.waMessageId, ref),
      this.store.putRecord(this.ns.contacts, `${input.siteId} ${input.phone}`, input.contactId),
      this.store.updateRecord(this.ns.conversations, input.conversationId, (current) => {
        const lastInboundAt = input.at ?? (current as WaConversation | null)?.lastInboundAt
        return {
          phone: input.phone,
          phoneNumberId: input.phoneNumberId,
          ...(lastInboundAt && { lastInboundAt }),
        }
      }),
    ])
  }

  /**
   * The customer of a known conversation wrote at `at`: recorded before their message is stored, so
   * the summary agents get with it already shows the new window.
   */
  async inbound(conversationId: string, at: string): Promise<void> {
    await this.store.updateRecord(this.ns.conversations, conversationId, (current) =>
      current ? { ...(current as WaConversation), lastInboundAt: at } : undefined,
    )
  }

  /** Records the WhatsApp id the Graph API gave one of our replies. */
  async sent(input: { waMessageId: string; conversationId: string; messageId: string }): Promise<void> {
    const ref: MessageRef = { conversationId: input.conversationId, messageId: input.messageId }
    await this.store.putRecord(this.ns.sent, input.waMessageId, ref)
  }

  /**
   * Applies a status callback to the reply it is about. Returns the new status, or null when the id is
   * not one of our replies or the status is not newer than the one kept (nothing is written then).
   */
  async statusReceived(waMessageId: string, delivery: Delivery): Promise<DeliveryStatus | null> {
    const reply = (await this.store.getRecord(this.ns.sent, waMessageId)) as MessageRef | null
    if (!reply) return null
    let changed: DeliveryStatus | null = null
    // One record per conversation, updated atomically: two nodes' callbacks never move a status back.
    await this.store.updateRecord(this.ns.deliveries, reply.conversationId, (current) => {
      const kept = (current ?? {}) as Record<string, Delivery>
      const known = kept[reply.messageId]
      if (known && RANK[delivery.status] <= RANK[known.status]) return undefined
      changed = wire(reply.conversationId, reply.messageId, delivery)
      return { ...kept, [reply.messageId]: delivery }
    })
    return changed
  }
}
