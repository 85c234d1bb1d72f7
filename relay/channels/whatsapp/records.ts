/**
 * The WhatsApp channel's own records, beside the store (which stays channel-neutral), in
 * `DATA_DIR/whatsapp/index.json`: WhatsApp message id → stored message (so a retried delivery is
 * stored and answered once), (site, phone) → contact, and per conversation the customer's number and
 * the business number (`phone_number_id`) that replies go out from.
 * The signed generic webhook API (relay/channels/api) keeps the same records in `DATA_DIR/api/`.
 * lowdb's JSONFile writes atomically (temp file + rename); writes are serialised.
 */
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { JSONFile } from 'lowdb/node'
import { KeyedQueue } from '../../util/keyed-queue.ts'

export interface WaConversation {
  /** The customer's WhatsApp id (their phone number, digits only). */
  phone: string
  /** The business number that received the customer's latest message; replies are sent from it (empty for the API channel). */
  phoneNumberId: string
}

interface Index {
  messages: Record<string, { conversationId: string; messageId: string }>
  contacts: Record<string, string>
  conversations: Record<string, WaConversation>
}

const empty = (): Index => ({ messages: {}, contacts: {}, conversations: {} })

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

  /** Records one inbound message: its id, the contact's number and the conversation's numbers. */
  received(input: {
    siteId: string
    waMessageId: string
    contactId: string
    conversationId: string
    messageId: string
    phone: string
    phoneNumberId: string
  }): Promise<void> {
    return this.update((index) => {
      index.messages[input.waMessageId] = { conversationId: input.conversationId, messageId: input.messageId }
      index.contacts[`${input.siteId} ${input.phone}`] = input.contactId
      index.conversations[input.conversationId] = { phone: input.phone, phoneNumberId: input.phoneNumberId }
    })
  }

  private update(change: (index: Index) => void): Promise<void> {
    return this.queue.run('index', async () => {
      const next = structuredClone(this.index)
      change(next)
      await this.file.write(next)
      this.index = next
    })
  }
}
