/**
 * The email channel's own records, beside the store (which stays channel-neutral):
 *
 *   email/index.json                 Message-ID → conversation, and (site, address) → contact
 *   email/threads/<conversation>.json the thread's subject, its Message-IDs in order, and per stored
 *                                    message the full original (text, HTML, attachment list)
 *   email/attachments/<id>           attachment bytes
 *
 * lowdb's JSONFile writes atomically (temp file + rename); writes of one file are serialised.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { JSONFile } from 'lowdb/node'
import type { EmailAttachment, EmailOriginal } from '../../../shared/email.ts'
import { newId } from '../../../shared/ids.ts'
import { KeyedQueue } from '../../util/keyed-queue.ts'

/** An attachment as kept (its bytes only when within MAX_ATTACHMENT_BYTES). */
export type AttachmentMeta = EmailAttachment

/** One email of a conversation, as received or sent: what agents read as its original. */
export type EmailMeta = EmailOriginal

export interface Thread {
  subject: string
  /** Every Message-ID of the thread, oldest first (the References of the next reply). */
  messageIds: string[]
  /** The latest inbound Message-ID: what the next reply answers. */
  lastInbound: string | null
  /** By the id of the stored conversation message. */
  messages: Record<string, EmailMeta>
}

interface Index {
  messageIds: Record<string, string>
  contacts: Record<string, string>
}

/** The largest attachment kept on disk; larger ones keep their metadata only. */
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024

export class EmailRecords {
  private readonly dir: string
  private readonly queue = new KeyedQueue()
  private index: Index = { messageIds: {}, contacts: {} }
  private readonly indexFile: JSONFile<Index>

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'email')
    this.indexFile = new JSONFile<Index>(path.join(this.dir, 'index.json'))
  }

  async init(): Promise<void> {
    await mkdir(path.join(this.dir, 'threads'), { recursive: true })
    await mkdir(path.join(this.dir, 'attachments'), { recursive: true })
    this.index = (await this.indexFile.read()) ?? { messageIds: {}, contacts: {} }
  }

  /** The conversation a Message-ID belongs to (one we sent or received). */
  conversationFor(messageId: string): string | null {
    return this.index.messageIds[messageId] ?? null
  }

  contactFor(siteId: string, address: string): string | null {
    return this.index.contacts[`${siteId} ${address.toLowerCase()}`] ?? null
  }

  setContact(siteId: string, address: string, contactId: string): Promise<void> {
    return this.updateIndex((index) => {
      index.contacts[`${siteId} ${address.toLowerCase()}`] = contactId
    })
  }

  async thread(conversationId: string): Promise<Thread | null> {
    return (await this.threadFile(conversationId).read()) ?? null
  }

  /** Stores one email of a conversation and indexes its Message-ID. */
  async record(conversationId: string, storedMessageId: string, meta: EmailMeta): Promise<void> {
    await this.queue.run(`thread:${conversationId}`, async () => {
      const file = this.threadFile(conversationId)
      const thread: Thread = (await file.read()) ?? {
        subject: meta.subject,
        messageIds: [],
        lastInbound: null,
        messages: {},
      }
      const next: Thread = {
        subject: thread.subject || meta.subject,
        messageIds: thread.messageIds.includes(meta.messageId)
          ? thread.messageIds
          : [...thread.messageIds, meta.messageId],
        lastInbound: meta.direction === 'in' ? meta.messageId : thread.lastInbound,
        messages: { ...thread.messages, [storedMessageId]: meta },
      }
      await file.write(next)
    })
    await this.updateIndex((index) => {
      index.messageIds[meta.messageId] = conversationId
    })
  }

  /** Keeps an attachment's bytes when they are within the limit. */
  async saveAttachment(input: {
    filename: string
    contentType: string
    content: Buffer
  }): Promise<AttachmentMeta> {
    const id = newId('att_')
    const stored = input.content.length <= MAX_ATTACHMENT_BYTES
    if (stored) await writeFile(path.join(this.dir, 'attachments', id), input.content, { mode: 0o600 })
    return {
      id,
      filename: input.filename,
      contentType: input.contentType,
      size: input.content.length,
      stored,
    }
  }

  readAttachment(id: string): Promise<Buffer> {
    if (!/^att_[A-Za-z0-9_-]+$/.test(id)) throw new Error('bad attachment id')
    return readFile(path.join(this.dir, 'attachments', id))
  }

  private threadFile(conversationId: string): JSONFile<Thread> {
    if (!/^[A-Za-z0-9_-]+$/.test(conversationId)) throw new Error('bad conversation id')
    return new JSONFile<Thread>(path.join(this.dir, 'threads', `${conversationId}.json`))
  }

  private updateIndex(change: (index: Index) => void): Promise<void> {
    return this.queue.run('index', async () => {
      const next = structuredClone(this.index)
      change(next)
      await this.indexFile.write(next)
      this.index = next
    })
  }
}
