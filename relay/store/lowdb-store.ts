/**
 * The default Store: lowdb JSON files under one data directory, partitioned so that the cost of
 * a write does not grow with total history.
 *
 *   sites.json, agents.json, sessions.json   small lists, rewritten whole
 *   contacts/<id>.json                       one contact (all kept in memory: contacts are small,
 *                                            and the console searches them)
 *   conversations/<id>.json                  one conversation: its record, messages, audit events and
 *                                            the bot's action requests
 *   kb/<siteId>.json                         one site's knowledge-base articles
 *   records/<namespace>/<key>.json           one keyed record (the channels' indexes), see lowdb-records.ts
 *
 * Each file is written by lowdb's JSONFile (steno: temp file + rename, so a reader never sees a
 * half-written file). Mutations of one file are serialised by a per-file promise chain, and the
 * in-memory state is replaced only after the write succeeded.
 */
import { mkdir, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { JSONFile } from 'lowdb/node'
import type { ActionRequest, ActionStatus } from '../../shared/policy.ts'
import type { AuditEvent, ConversationStatus, Message } from '../../shared/protocol.ts'
import { AppError } from '../errors.ts'
import { appended } from './append.ts'
import { fileNameFor, Lru } from './lowdb-files.ts'
import { RecordFiles } from './lowdb-records.ts'
import { asJson } from './record-values.ts'
import type {
  ActionFilter,
  Agent,
  AppendResult,
  Article,
  Contact,
  ContactFilter,
  Conversation,
  ConversationFilter,
  Mutation,
  NewMessage,
  Session,
  Site,
  Store,
} from './types.ts'

/** What one `conversations/<id>.json` holds. */
export interface ConversationFile {
  conversation: Conversation
  messages: Message[]
  events: AuditEvent[]
  /** The bot's action requests in this conversation; absent in files written before actions existed. */
  actions?: ActionRequest[]
}

export interface LowdbStoreOptions {
  dir: string
  /** Clock for message times; injected so tests choose. */
  now?: () => Date
  /** How many conversation files stay loaded; the conversation index itself is always in memory. */
  cacheSize?: number
}

export { fileNameFor }

const DEFAULT_LIMIT = 200
const SCAN_CONCURRENCY = 16

/** A contact search: the query in its name or email, or (with 3+ digits) in its phone number. */
function matchesContact(c: Contact, query: string, digits: string): boolean {
  if (c.name?.toLowerCase().includes(query)) return true
  if (c.email?.toLowerCase().includes(query)) return true
  return digits.length >= 3 && (c.phone ?? '').includes(digits)
}

/** Runs tasks one after another per key; different keys run concurrently. */
class KeyedMutex {
  #tails = new Map<string, Promise<void>>()

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const prev = this.#tails.get(key) ?? Promise.resolve()
    const result = prev.then(task)
    const tail = result.then(
      () => undefined,
      () => undefined,
    )
    this.#tails.set(key, tail)
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key)
    })
    return result
  }
}

/** Reads a JSON file: null when missing, a clear error naming the file for anything else. */
async function readJson<T>(
  file: JSONFile<T>,
  path: string,
  check: (data: unknown) => boolean,
): Promise<T | null> {
  let data: T | null
  try {
    data = await file.read()
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause)
    throw new Error(`lowdb store: cannot read ${path}: ${reason}`, { cause })
  }
  if (data !== null && !check(data)) throw new Error(`lowdb store: unexpected content in ${path}`)
  return data
}

function isConversationFile(data: unknown): boolean {
  const d = data as Partial<ConversationFile> | null
  return (
    typeof d === 'object' &&
    d !== null &&
    typeof d.conversation?.id === 'string' &&
    Array.isArray(d.messages) &&
    Array.isArray(d.events)
  )
}

const isArray = (data: unknown): boolean => Array.isArray(data)
const isObject = (data: unknown): boolean => typeof data === 'object' && data !== null && !Array.isArray(data)

/** A small list file (sites, agents, sessions) kept whole in memory and rewritten whole. */
class ListFile<T extends { id: string }> {
  readonly path: string
  #file: JSONFile<T[]>
  items = new Map<string, T>()

  constructor(path: string) {
    this.path = path
    this.#file = new JSONFile<T[]>(path)
  }

  async load(): Promise<void> {
    const data = await readJson(this.#file, this.path, isArray)
    this.items = new Map((data ?? []).map((item) => [item.id, item]))
  }

  /** Writes the next state, then adopts it: a failed write leaves memory as it was on disk. */
  async commit(next: Map<string, T>): Promise<void> {
    await this.#file.write([...next.values()])
    this.items = next
  }
}

interface LoadedConversation {
  file: JSONFile<ConversationFile>
  data: ConversationFile
  /** Dedupe index of this conversation's client ids. */
  byClientId: Map<string, Message>
}

function loaded(file: JSONFile<ConversationFile>, data: ConversationFile): LoadedConversation {
  const byClientId = new Map<string, Message>()
  for (const m of data.messages) if (m.clientId !== null) byClientId.set(m.clientId, m)
  return { file, data, byClientId }
}

/** The default Store: embedded lowdb files, one per conversation. */
export class LowdbStore implements Store {
  readonly dir: string
  #now: () => Date
  #mutex = new KeyedMutex()
  #inflight = new Set<Promise<unknown>>()
  #state: 'new' | 'ready' | 'closed' = 'new'

  #sites: ListFile<Site>
  #agents: ListFile<Agent>
  #sessions: ListFile<Session>
  /** Every conversation record, so listing needs no disk reads. */
  #index = new Map<string, Conversation>()
  /** Every action request (few and small), so listing and lookup by id need no disk reads. */
  #actions = new Map<string, ActionRequest>()
  #conversations: Lru<string, LoadedConversation>
  /** Every contact, loaded at init. */
  #contacts = new Map<string, Contact>()
  #articles: Lru<string, Article[]>
  #records: RecordFiles

  constructor(options: LowdbStoreOptions) {
    this.dir = options.dir
    this.#now = options.now ?? (() => new Date())
    const cacheSize = options.cacheSize ?? 1000
    this.#conversations = new Lru(cacheSize)
    this.#articles = new Lru(cacheSize)
    this.#sites = new ListFile(join(this.dir, 'sites.json'))
    this.#agents = new ListFile(join(this.dir, 'agents.json'))
    this.#sessions = new ListFile(join(this.dir, 'sessions.json'))
    this.#records = new RecordFiles(join(this.dir, 'records'), cacheSize)
  }

  /** Creates the folders, loads the small files and indexes every conversation file. */
  async init(): Promise<void> {
    if (this.#state === 'ready') return
    if (this.#state === 'closed') throw new Error('lowdb store: closed')
    for (const sub of ['conversations', 'contacts', 'kb'])
      await mkdir(join(this.dir, sub), { recursive: true })
    await Promise.all([this.#sites.load(), this.#agents.load(), this.#sessions.load()])
    // steno leaves `.name.json.tmp` behind only if a write was interrupted; those are not data.
    const names = (await readdir(join(this.dir, 'conversations'))).filter(
      (n) => n.endsWith('.json') && !n.startsWith('.'),
    )
    let next = 0
    const worker = async (): Promise<void> => {
      while (next < names.length) {
        const name = names[next++]
        if (name === undefined) break
        const path = join(this.dir, 'conversations', name)
        const file = new JSONFile<ConversationFile>(path)
        const data = await readJson(file, path, isConversationFile)
        if (data === null) continue
        this.#index.set(data.conversation.id, data.conversation)
        for (const action of data.actions ?? []) this.#actions.set(action.id, action)
        this.#conversations.set(data.conversation.id, loaded(file, data))
      }
    }
    await Promise.all(Array.from({ length: SCAN_CONCURRENCY }, worker))
    await this.#loadContacts()
    this.#state = 'ready'
  }

  async #loadContacts(): Promise<void> {
    const dir = join(this.dir, 'contacts')
    const names = (await readdir(dir)).filter((n) => n.endsWith('.json') && !n.startsWith('.'))
    let next = 0
    const worker = async (): Promise<void> => {
      while (next < names.length) {
        const name = names[next++]
        if (name === undefined) break
        const path = join(dir, name)
        const data = await readJson(new JSONFile<Contact>(path), path, isObject)
        if (data && typeof data.id === 'string') this.#contacts.set(data.id, data)
      }
    }
    await Promise.all(Array.from({ length: SCAN_CONCURRENCY }, worker))
  }

  /** Waits for every accepted write; later writes reject. */
  async close(): Promise<void> {
    this.#state = 'closed'
    await Promise.allSettled([...this.#inflight])
  }

  // -------------------------------------------------------------------------------------------
  // Sites, agents, sessions
  // -------------------------------------------------------------------------------------------

  async getSite(id: string): Promise<Site | null> {
    this.#assertReady()
    return copyOrNull(this.#sites.items.get(id))
  }

  putSite(site: Site): Promise<void> {
    return this.#putListItem(this.#sites, site)
  }

  updateSite(id: string, mutate: (current: Site) => Site | null): Promise<Site | null> {
    const list = this.#sites
    // Under sites.json's mutex, which putSite also takes: nothing else writes the file meanwhile.
    return this.#write(list.path, async () => {
      const current = list.items.get(id)
      if (!current) return null
      const changed = mutate(structuredClone(current))
      if (changed === null) return structuredClone(current)
      if (changed.id !== id) throw new Error('lowdb store: an update may not change the site id')
      const next = new Map(list.items)
      next.set(id, structuredClone(changed))
      await list.commit(next)
      return structuredClone(changed)
    })
  }

  async listSites(): Promise<Site[]> {
    this.#assertReady()
    return structuredClone([...this.#sites.items.values()])
  }

  async getAgent(id: string): Promise<Agent | null> {
    this.#assertReady()
    return copyOrNull(this.#agents.items.get(id))
  }

  async getAgentByEmail(email: string): Promise<Agent | null> {
    this.#assertReady()
    const wanted = email.trim().toLowerCase()
    for (const agent of this.#agents.items.values()) {
      if (agent.email.toLowerCase() === wanted) return structuredClone(agent)
    }
    return null
  }

  putAgent(agent: Agent): Promise<void> {
    return this.#putListItem(this.#agents, agent, (items) => {
      const email = agent.email.toLowerCase()
      for (const other of items.values()) {
        // Login looks agents up by email, so two agents may never share one.
        if (other.id !== agent.id && other.email.toLowerCase() === email) {
          throw new Error(`lowdb store: email ${agent.email} already belongs to agent ${other.id}`)
        }
      }
    })
  }

  async listAgents(): Promise<Agent[]> {
    this.#assertReady()
    return structuredClone([...this.#agents.items.values()])
  }

  putSession(session: Session): Promise<void> {
    return this.#putListItem(this.#sessions, session)
  }

  async getSession(id: string): Promise<Session | null> {
    this.#assertReady()
    return copyOrNull(this.#sessions.items.get(id))
  }

  deleteSession(id: string): Promise<void> {
    return this.#write(this.#sessions.path, async () => {
      if (!this.#sessions.items.has(id)) return
      const next = new Map(this.#sessions.items)
      next.delete(id)
      await this.#sessions.commit(next)
    })
  }

  // -------------------------------------------------------------------------------------------
  // Contacts
  // -------------------------------------------------------------------------------------------

  async getContact(id: string): Promise<Contact | null> {
    this.#assertReady()
    return copyOrNull(this.#contacts.get(id))
  }

  putContact(contact: Contact): Promise<void> {
    const value = structuredClone(contact)
    const path = this.#contactPath(contact.id)
    return this.#write(path, async () => {
      await new JSONFile<Contact>(path).write(value)
      this.#contacts.set(value.id, value)
    })
  }

  async listContacts(filter: ContactFilter): Promise<Contact[]> {
    this.#assertReady()
    const sites = new Set(filter.siteIds)
    const query = filter.query?.trim().toLowerCase() ?? ''
    const digits = query.replace(/[^0-9]/g, '')
    const found: Contact[] = []
    for (const c of this.#contacts.values()) {
      if (!sites.has(c.siteId)) continue
      if (filter.mergedInto !== undefined && c.mergedInto !== filter.mergedInto) continue
      if (query && !matchesContact(c, query, digits)) continue
      found.push(c)
    }
    found.sort((a, b) => compareDesc(a.createdAt, b.createdAt) || compareDesc(a.id, b.id))
    return structuredClone(found.slice(0, filter.limit ?? DEFAULT_LIMIT))
  }

  // -------------------------------------------------------------------------------------------
  // Conversations
  // -------------------------------------------------------------------------------------------

  createConversation(conversation: Conversation, event: AuditEvent): Promise<Conversation> {
    const record = structuredClone(conversation)
    const created = structuredClone(event)
    if (created.conversationId !== record.id) {
      return Promise.reject(new Error('lowdb store: the created event belongs to another conversation'))
    }
    const path = this.#conversationPath(record.id)
    return this.#write(path, async () => {
      if (this.#index.has(record.id)) throw new Error(`lowdb store: conversation ${record.id} already exists`)
      const file = new JSONFile<ConversationFile>(path)
      const data: ConversationFile = { conversation: record, messages: [], events: [created] }
      await file.write(data)
      this.#index.set(record.id, record)
      this.#conversations.set(record.id, loaded(file, data))
      return structuredClone(record)
    })
  }

  async getConversation(id: string): Promise<Conversation | null> {
    this.#assertReady()
    return copyOrNull(this.#index.get(id))
  }

  async listConversations(filter: ConversationFilter): Promise<Conversation[]> {
    this.#assertReady()
    const sites = new Set(filter.siteIds)
    const statuses = filter.statuses ? new Set<ConversationStatus>(filter.statuses) : null
    const found: Conversation[] = []
    for (const c of this.#index.values()) {
      if (!sites.has(c.siteId)) continue
      if (statuses && !statuses.has(c.status)) continue
      if (filter.contactId !== undefined && c.contactId !== filter.contactId) continue
      if (filter.contactIds !== undefined && !filter.contactIds.includes(c.contactId)) continue
      found.push(c)
    }
    found.sort((a, b) => compareDesc(a.updatedAt, b.updatedAt) || compareDesc(a.id, b.id))
    return structuredClone(found.slice(0, filter.limit ?? DEFAULT_LIMIT))
  }

  updateConversation(id: string, mutate: (current: Conversation) => Mutation): Promise<Mutation | null> {
    return this.#write(this.#conversationPath(id), async () => {
      const entry = await this.#loadConversation(id)
      if (!entry) return null
      const current = entry.data.conversation
      const result = mutate(structuredClone(current))
      if (!result.ok) return structuredClone(result)
      if (result.conversation.id !== id) throw new Error('lowdb store: a mutation may not change the id')
      // The store owns lastSeq: only appendMessage moves it.
      const conversation: Conversation = { ...structuredClone(result.conversation), lastSeq: current.lastSeq }
      const event = result.event ? structuredClone(result.event) : null
      const unchanged = event === null && JSON.stringify(conversation) === JSON.stringify(current)
      if (!unchanged) {
        const events = event ? [...entry.data.events, event] : entry.data.events
        await this.#commitConversation(id, entry, { ...entry.data, conversation, events })
      }
      return { ok: true, conversation: structuredClone(conversation), event: structuredClone(event) }
    })
  }

  appendMessage(
    message: NewMessage,
    options?: { requireStatus?: ConversationStatus[] },
  ): Promise<AppendResult> {
    const input = structuredClone(message)
    const id = input.conversationId
    return this.#write(this.#conversationPath(id), async () => {
      const entry = await this.#loadConversation(id)
      if (!entry) throw new AppError('not_found', `conversation ${id} not found`)
      const current = entry.data.conversation
      const stored = input.clientId === null ? undefined : entry.byClientId.get(input.clientId)
      if (stored) {
        return {
          ok: true,
          message: structuredClone(stored),
          conversation: structuredClone(current),
          duplicate: true,
        }
      }
      if (options?.requireStatus && !options.requireStatus.includes(current.status)) {
        return { ok: false, conversation: structuredClone(current) }
      }
      const createdAt = this.#now().toISOString()
      const { message: saved, conversation } = appended(current, input, createdAt)
      await this.#commitConversation(id, entry, {
        ...entry.data,
        conversation,
        messages: [...entry.data.messages, saved],
      })
      if (saved.clientId !== null) entry.byClientId.set(saved.clientId, saved)
      return {
        ok: true,
        message: structuredClone(saved),
        conversation: structuredClone(conversation),
        duplicate: false,
      }
    })
  }

  async listMessages(conversationId: string, afterSeq = 0): Promise<Message[]> {
    const entry = await this.#readConversation(conversationId)
    if (!entry) return []
    return structuredClone(entry.data.messages.filter((m) => m.seq > afterSeq))
  }

  async listEvents(conversationId: string): Promise<AuditEvent[]> {
    const entry = await this.#readConversation(conversationId)
    return entry ? structuredClone(entry.data.events) : []
  }

  // -------------------------------------------------------------------------------------------
  // Knowledge base
  // -------------------------------------------------------------------------------------------

  /** The site's articles in slug order. */
  async listArticles(siteId: string): Promise<Article[]> {
    this.#assertReady()
    const cached = this.#articles.get(siteId)
    const articles = cached ?? (await this.#mutex.run(this.#kbPath(siteId), () => this.#loadArticles(siteId)))
    return structuredClone(articles)
  }

  putArticle(article: Article): Promise<void> {
    const value = structuredClone(article)
    return this.#updateArticles(value.siteId, (list) =>
      [...list.filter((a) => a.slug !== value.slug), value].sort((a, b) => compareAsc(a.slug, b.slug)),
    )
  }

  deleteArticle(siteId: string, slug: string): Promise<void> {
    return this.#updateArticles(siteId, (list) => list.filter((a) => a.slug !== slug))
  }

  // -------------------------------------------------------------------------------------------
  // Action requests
  // -------------------------------------------------------------------------------------------

  putAction(action: ActionRequest, options?: { ifStatus?: ActionStatus[] }): Promise<boolean> {
    const value = structuredClone(action)
    const id = value.conversationId
    return this.#write(this.#conversationPath(id), async () => {
      const entry = await this.#loadConversation(id)
      if (!entry) throw new AppError('not_found', `conversation ${id} not found`)
      const stored = this.#actions.get(value.id)
      if (stored && (stored.conversationId !== id || stored.siteId !== value.siteId)) {
        throw new Error(`lowdb store: action ${value.id} belongs to another conversation`)
      }
      if (options?.ifStatus && (!stored || !options.ifStatus.includes(stored.status))) return false
      const actions = [...(entry.data.actions ?? []).filter((a) => a.id !== value.id), value]
      await this.#commitConversation(id, entry, { ...entry.data, actions })
      this.#actions.set(value.id, value)
      return true
    })
  }

  async getAction(id: string): Promise<ActionRequest | null> {
    this.#assertReady()
    return copyOrNull(this.#actions.get(id))
  }

  async listActions(filter: ActionFilter): Promise<ActionRequest[]> {
    this.#assertReady()
    const sites = new Set(filter.siteIds)
    const statuses = filter.statuses ? new Set<ActionStatus>(filter.statuses) : null
    const found = [...this.#actions.values()].filter(
      (a) =>
        sites.has(a.siteId) &&
        (filter.conversationId === undefined || a.conversationId === filter.conversationId) &&
        (!statuses || statuses.has(a.status)),
    )
    found.sort((a, b) => compareDesc(a.createdAt, b.createdAt) || compareDesc(a.id, b.id))
    return structuredClone(found.slice(0, filter.limit ?? DEFAULT_LIMIT))
  }

  // -------------------------------------------------------------------------------------------
  // Keyed records
  // -------------------------------------------------------------------------------------------

  async getRecord(namespace: string, key: string): Promise<unknown | null> {
    this.#assertReady()
    const hit = this.#records.cached(namespace, key)
    if (hit) return copyOrNull(hit.value ?? undefined)
    const path = this.#records.pathOf(namespace, key)
    return copyOrNull((await this.#mutex.run(path, () => this.#records.read(namespace, key))) ?? undefined)
  }

  async putRecord(namespace: string, key: string, value: unknown): Promise<void> {
    const data = asJson(value)
    return this.#write(this.#records.pathOf(namespace, key), () => this.#records.write(namespace, key, data))
  }

  async putRecordIfAbsent(namespace: string, key: string, value: unknown): Promise<boolean> {
    const data = asJson(value)
    return this.#write(this.#records.pathOf(namespace, key), async () => {
      if (await this.#records.has(namespace, key)) return false
      await this.#records.write(namespace, key, data)
      return true
    })
  }

  async updateRecord(
    namespace: string,
    key: string,
    mutate: (current: unknown | null) => unknown,
  ): Promise<unknown | null> {
    return this.#write(this.#records.pathOf(namespace, key), async () => {
      const current = await this.#records.read(namespace, key)
      const changed = mutate(copyOrNull(current ?? undefined))
      if (changed === null || changed === undefined) return copyOrNull(current ?? undefined)
      const data = asJson(changed)
      await this.#records.write(namespace, key, data)
      return structuredClone(data)
    })
  }

  // -------------------------------------------------------------------------------------------
  // Internals
  // -------------------------------------------------------------------------------------------

  #assertReady(): void {
    if (this.#state === 'new') throw new Error('lowdb store: init() has not been called')
  }

  /** Runs one mutation of one file under its mutex, tracked so close() can wait for it. */
  #write<T>(key: string, task: () => Promise<T>): Promise<T> {
    if (this.#state === 'new') return Promise.reject(new Error('lowdb store: init() has not been called'))
    if (this.#state === 'closed') return Promise.reject(new Error('lowdb store: closed, write refused'))
    const pending = this.#mutex.run(key, task)
    this.#inflight.add(pending)
    const forget = (): void => {
      this.#inflight.delete(pending)
    }
    pending.then(forget, forget)
    return pending
  }

  #putListItem<T extends { id: string }>(
    list: ListFile<T>,
    item: T,
    check?: (items: Map<string, T>) => void,
  ): Promise<void> {
    const value = structuredClone(item)
    return this.#write(list.path, async () => {
      check?.(list.items)
      const next = new Map(list.items)
      next.set(value.id, value)
      await list.commit(next)
    })
  }

  /** A conversation's loaded file; call only while holding that conversation's mutex. */
  async #loadConversation(id: string): Promise<LoadedConversation | null> {
    if (!this.#index.has(id)) return null
    const cached = this.#conversations.get(id)
    if (cached) return cached
    const path = this.#conversationPath(id)
    const file = new JSONFile<ConversationFile>(path)
    const data = await readJson(file, path, isConversationFile)
    if (!data) throw new Error(`lowdb store: ${path} disappeared`)
    const entry = loaded(file, data)
    this.#conversations.set(id, entry)
    return entry
  }

  /** For reads: the cached file at once, else loaded under the mutex so no write interleaves. */
  async #readConversation(id: string): Promise<LoadedConversation | null> {
    this.#assertReady()
    if (!this.#index.has(id)) return null
    return (
      this.#conversations.get(id) ??
      this.#mutex.run(this.#conversationPath(id), () => this.#loadConversation(id))
    )
  }

  /** Writes a conversation's next state, then adopts it in the cache and the index. */
  async #commitConversation(id: string, entry: LoadedConversation, next: ConversationFile): Promise<void> {
    await entry.file.write(next)
    entry.data = next
    this.#index.set(id, next.conversation)
    this.#conversations.set(id, entry)
  }

  async #loadArticles(siteId: string): Promise<Article[]> {
    const cached = this.#articles.get(siteId)
    if (cached) return cached
    const path = this.#kbPath(siteId)
    const list = (await readJson(new JSONFile<Article[]>(path), path, isArray)) ?? []
    this.#articles.set(siteId, list)
    return list
  }

  #updateArticles(siteId: string, change: (list: Article[]) => Article[]): Promise<void> {
    const path = this.#kbPath(siteId)
    return this.#write(path, async () => {
      const next = change(await this.#loadArticles(siteId))
      await new JSONFile<Article[]>(path).write(next)
      this.#articles.set(siteId, next)
    })
  }

  #conversationPath(id: string): string {
    return join(this.dir, 'conversations', fileNameFor(id))
  }

  #contactPath(id: string): string {
    return join(this.dir, 'contacts', fileNameFor(id))
  }

  #kbPath(siteId: string): string {
    return join(this.dir, 'kb', fileNameFor(siteId))
  }
}

function copyOrNull<T>(value: T | undefined): T | null {
  return value === undefined ? null : structuredClone(value)
}

function compareAsc(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function compareDesc(a: string, b: string): number {
  return compareAsc(b, a)
}
