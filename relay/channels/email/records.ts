/**
 * The email channel's own records. In the Store's keyed records, so every node on a shared store
 * threads a reply wherever it arrives:
 *
 *   email.message-ids   Message-ID → conversation (one we sent or received)
 *   email.contacts      (site, address) → contact
 *   email.threads       conversation → the thread's subject, its Message-IDs in order, and per
 *                       stored message the full original (text, HTML, attachment list)
 *
 * Still files in the data directory: `email/attachments/<id>`, the attachment bytes (so a
 * multi-node relay needs that folder shared for agents to download them from any node).
 * `email/index.json` and `email/threads/*.json` of before are imported once at init().
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { JSONFile } from 'lowdb/node'
import type { EmailAttachment, EmailOriginal } from '../../../shared/email.ts'
import { newId } from '../../../shared/ids.ts'
import type { Store } from '../../store/types.ts'

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

const NS = {
  messageIds: 'email.message-ids',
  contacts: 'email.contacts',
  threads: 'email.threads',
  meta: 'email.meta',
} as const

const contactKey = (siteId: string, address: string): string => `${siteId} ${address.toLowerCase()}`

export class EmailRecords {
  private readonly dir: string
  private readonly store: Store
  private readonly now: () => Date

  constructor(store: Store, dataDir: string, now: () => Date = () => new Date()) {
    this.store = store
    this.now = now
    this.dir = path.join(dataDir, 'email')
  }

  async init(): Promise<void> {
    await mkdir(path.join(this.dir, 'attachments'), { recursive: true })
    await this.importFiles()
  }

  /** The conversation a Message-ID belongs to (one we sent or received). */
  async conversationFor(messageId: string): Promise<string | null> {
    return ((await this.store.getRecord(NS.messageIds, messageId)) as string | null) ?? null
  }

  async contactFor(siteId: string, address: string): Promise<string | null> {
    return ((await this.store.getRecord(NS.contacts, contactKey(siteId, address))) as string | null) ?? null
  }

  setContact(siteId: string, address: string, contactId: string): Promise<void> {
    return this.store.putRecord(NS.contacts, contactKey(siteId, address), contactId)
  }

  async thread(conversationId: string): Promise<Thread | null> {
    return (await this.store.getRecord(NS.threads, conversationId)) as Thread | null
  }

  /** Stores one email of a conversation and indexes its Message-ID. */
  async record(conversationId: string, storedMessageId: string, meta: EmailMeta): Promise<void> {
    // Atomic per conversation: two nodes recording emails of one thread keep both.
    await this.store.updateRecord(NS.threads, conversationId, (current) => {
      const thread = (current as Thread | null) ?? {
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
      return next
    })
    await this.store.putRecord(NS.messageIds, meta.messageId, conversationId)
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

  /**
   * Imports `email/index.json` and `email/threads/*.json`, once: when the store has no import mark
   * for the channel. Nothing the store already holds is overwritten; the files are left in place.
   */
  private async importFiles(): Promise<void> {
    if (await this.store.getRecord(NS.meta, 'imported')) return
    const puts: Array<[string, string, unknown]> = []
    const index = await new JSONFile<Partial<Index>>(path.join(this.dir, 'index.json')).read()
    for (const [key, value] of Object.entries(index?.messageIds ?? {})) puts.push([NS.messageIds, key, value])
    for (const [key, value] of Object.entries(index?.contacts ?? {})) puts.push([NS.contacts, key, value])
    const threads = path.join(this.dir, 'threads')
    const names = await readdir(threads).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return []
      throw error
    })
    for (const name of names) {
      const match = /^([A-Za-z0-9_-]+)\.json$/.exec(name)
      if (!match?.[1]) continue
      const thread = await new JSONFile<Thread>(path.join(threads, name)).read()
      if (thread) puts.push([NS.threads, match[1], thread])
    }
    if (!puts.length) return
    for (let i = 0; i < puts.length; i += 50)
      await Promise.all(
        puts.slice(i, i + 50).map(([ns, key, value]) => this.store.putRecordIfAbsent(ns, key, value)),
      )
    await this.store.putRecord(NS.meta, 'imported', { at: this.now().toISOString(), records: puts.length })
  }
}
