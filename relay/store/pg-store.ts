/**
 * The PostgreSQL Store, for running several relay nodes on one database. Tables and migrations:
 * `migrations/*.sql` (applied at init(), see pg-migrations.ts), all in one schema.
 *
 * Each record is kept whole in a `json` column, so it reads back exactly as written; the fields
 * that are filtered, sorted or unique are also typed columns. Atomicity comes from row locks, not
 * from this process: updateConversation, appendMessage and putAction lock the conversation's row
 * (`SELECT … FOR UPDATE`) in a transaction, so no other change of that conversation interleaves,
 * whichever node makes it, and updateSite locks the site's row the same way; a UNIQUE
 * (conversation_id, client_id) backs the client id dedupe, and the records' primary key
 * (namespace, key) the keyed records' putRecordIfAbsent.
 */
import { isDeepStrictEqual } from 'node:util'
import pg from 'pg'
import type { ActionRequest, ActionStatus } from '../../shared/policy.ts'
import type { AuditEvent, ConversationStatus, Message } from '../../shared/protocol.ts'
import { AppError } from '../errors.ts'
import { appended } from './append.ts'
import { loadMigrations, migrate } from './pg-migrations.ts'
import { asJson, checkNamespace } from './record-values.ts'
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

export interface PgStoreOptions {
  /** `postgres://user:password@host:port/database`. */
  connectionString: string
  /** Where the tables live; created at init() when missing. Default `public`. */
  schema?: string
  /** Clock for message times; injected so tests choose. */
  now?: () => Date
  /** Connections this node keeps open at most; default 10. */
  maxConnections?: number
  /**
   * An idle pooled connection failed (the server restarted, the network dropped): pg discards it
   * and opens another when needed. Default: a process warning.
   */
  onIdleError?: (error: Error) => void
}

const DEFAULT_LIMIT = 200
const UNIQUE_VIOLATION = '23505'

/** host:port/database of a connection string, without credentials, for error messages. */
export function describeDatabase(connectionString: string): string {
  try {
    const url = new URL(connectionString)
    return `${url.hostname || 'localhost'}:${url.port || '5432'}${url.pathname}`
  } catch {
    return 'the configured database'
  }
}

/** One SQL condition list with its numbered parameters. */
class Where {
  readonly parts: string[] = []
  readonly params: unknown[] = []

  add(sql: (param: (value: unknown) => string) => string): void {
    this.parts.push(sql((value) => `$${this.params.push(value)}`))
  }

  param(value: unknown): string {
    return `$${this.params.push(value)}`
  }

  toString(): string {
    return this.parts.length ? `WHERE ${this.parts.join(' AND ')}` : ''
  }
}

function limitOf(limit: number | undefined): number {
  return Math.max(0, Math.floor(limit ?? DEFAULT_LIMIT))
}

/** Text for a search column: PostgreSQL text cannot hold U+0000, and search never needs it. */
function searchable(value: string | null | undefined): string | null {
  return value == null ? null : value.toLowerCase().replaceAll('\u0000', '')
}

const json = (value: unknown): string => JSON.stringify(value)

/** The PostgreSQL Store: one pool per node, every atomic operation a transaction. */
export class PgStore implements Store {
  readonly schema: string
  #pool: pg.Pool
  #now: () => Date
  #state: 'new' | 'starting' | 'ready' | 'closed' = 'new'
  #starting: Promise<void> | null = null
  #inflight = new Set<Promise<unknown>>()
  #target: string
  /** Schema-qualified table names. */
  #t: Record<
    | 'sites'
    | 'agents'
    | 'sessions'
    | 'contacts'
    | 'conversations'
    | 'messages'
    | 'events'
    | 'articles'
    | 'actions'
    | 'records',
    string
  >

  constructor(options: PgStoreOptions) {
    this.schema = options.schema ?? 'public'
    this.#now = options.now ?? (() => new Date())
    this.#target = describeDatabase(options.connectionString)
    this.#pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.maxConnections ?? 10,
      connectionTimeoutMillis: 10_000,
    })
    const onIdleError =
      options.onIdleError ??
      ((error: Error) => process.emitWarning(`pg store: idle connection failed: ${error.message}`))
    this.#pool.on('error', onIdleError)
    const s = pg.escapeIdentifier(this.schema)
    this.#t = {
      sites: `${s}.sites`,
      agents: `${s}.agents`,
      sessions: `${s}.sessions`,
      contacts: `${s}.contacts`,
      conversations: `${s}.conversations`,
      messages: `${s}.messages`,
      events: `${s}.events`,
      articles: `${s}.articles`,
      actions: `${s}.actions`,
      records: `${s}.records`,
    }
  }

  /** Connects and applies pending migrations (once across nodes that start together). */
  init(): Promise<void> {
    if (this.#state === 'ready') return Promise.resolve()
    if (this.#state === 'closed') return Promise.reject(new Error('pg store: closed'))
    this.#starting ??= this.#start().then(
      () => {
        if (this.#state === 'starting') this.#state = 'ready'
      },
      (error: unknown) => {
        this.#starting = null
        if (this.#state === 'starting') this.#state = 'new'
        throw error
      },
    )
    this.#state = 'starting'
    return this.#starting
  }

  async #start(): Promise<void> {
    const migrations = await loadMigrations()
    let client: pg.PoolClient
    try {
      client = await this.#pool.connect()
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message || cause.name : String(cause)
      throw new Error(`pg store: cannot connect to ${this.#target}: ${reason}`, { cause })
    }
    let broken: Error | undefined
    try {
      await migrate(client, this.schema, migrations)
    } catch (error) {
      broken = error instanceof Error ? error : new Error(String(error))
      throw error
    } finally {
      client.release(broken)
    }
  }

  /** Waits for every accepted call, then closes the connections; later calls reject. */
  async close(): Promise<void> {
    if (this.#state === 'closed') return
    const starting = this.#starting
    this.#state = 'closed'
    await Promise.allSettled([...(starting ? [starting] : []), ...this.#inflight])
    await this.#pool.end()
  }

  // -------------------------------------------------------------------------------------------
  // Sites, agents, sessions
  // -------------------------------------------------------------------------------------------

  getSite(id: string): Promise<Site | null> {
    return this.#one<Site>(`SELECT data FROM ${this.#t.sites} WHERE id = $1`, [id])
  }

  putSite(site: Site): Promise<void> {
    const data = json(site)
    return this.#exec(
      `INSERT INTO ${this.#t.sites} (id, data) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET data = EXCLUDED.data`,
      [site.id, data],
    )
  }

  updateSite(id: string, mutate: (current: Site) => Site | null): Promise<Site | null> {
    return this.#transaction(async (client) => {
      // The row lock holds every other node's update of this site until the commit.
      const found = await client.query<{ data: Site }>(
        `SELECT data FROM ${this.#t.sites} WHERE id = $1 FOR UPDATE`,
        [id],
      )
      const current = found.rows[0]?.data
      if (!current) return null
      const changed = mutate(structuredClone(current))
      if (changed === null) return current
      if (changed.id !== id) throw new Error('pg store: an update may not change the site id')
      const data = json(changed)
      await client.query(`UPDATE ${this.#t.sites} SET data = $2 WHERE id = $1`, [id, data])
      return JSON.parse(data) as Site
    })
  }

  listSites(): Promise<Site[]> {
    return this.#many<Site>(`SELECT data FROM ${this.#t.sites} ORDER BY position`, [])
  }

  getAgent(id: string): Promise<Agent | null> {
    return this.#one<Agent>(`SELECT data FROM ${this.#t.agents} WHERE id = $1`, [id])
  }

  getAgentByEmail(email: string): Promise<Agent | null> {
    return this.#one<Agent>(`SELECT data FROM ${this.#t.agents} WHERE email_lower = $1`, [
      email.trim().toLowerCase(),
    ])
  }

  putAgent(agent: Agent): Promise<void> {
    const data = json(agent)
    const email = agent.email.toLowerCase()
    return this.#run(async () => {
      try {
        await this.#pool.query(
          `INSERT INTO ${this.#t.agents} (id, email_lower, data) VALUES ($1, $2, $3)
           ON CONFLICT (id) DO UPDATE SET email_lower = EXCLUDED.email_lower, data = EXCLUDED.data`,
          [agent.id, email, data],
        )
      } catch (error) {
        // Login looks agents up by email, so two agents may never share one.
        if ((error as { code?: string }).code === UNIQUE_VIOLATION)
          throw new Error(`pg store: email ${agent.email} already belongs to another agent`, { cause: error })
        throw error
      }
    })
  }

  listAgents(): Promise<Agent[]> {
    return this.#many<Agent>(`SELECT data FROM ${this.#t.agents} ORDER BY position`, [])
  }

  putSession(session: Session): Promise<void> {
    const data = json(session)
    return this.#exec(
      `INSERT INTO ${this.#t.sessions} (id, agent_id, data) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET agent_id = EXCLUDED.agent_id, data = EXCLUDED.data`,
      [session.id, session.agentId, data],
    )
  }

  getSession(id: string): Promise<Session | null> {
    return this.#one<Session>(`SELECT data FROM ${this.#t.sessions} WHERE id = $1`, [id])
  }

  deleteSession(id: string): Promise<void> {
    return this.#exec(`DELETE FROM ${this.#t.sessions} WHERE id = $1`, [id])
  }

  // -------------------------------------------------------------------------------------------
  // Contacts
  // -------------------------------------------------------------------------------------------

  getContact(id: string): Promise<Contact | null> {
    return this.#one<Contact>(`SELECT data FROM ${this.#t.contacts} WHERE id = $1`, [id])
  }

  putContact(contact: Contact): Promise<void> {
    const data = json(contact)
    return this.#exec(
      `INSERT INTO ${this.#t.contacts} (id, site_id, created_at, name_lower, email_lower, phone, merged_into, data)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (id) DO UPDATE SET site_id = EXCLUDED.site_id, created_at = EXCLUDED.created_at,
         name_lower = EXCLUDED.name_lower, email_lower = EXCLUDED.email_lower, phone = EXCLUDED.phone,
         merged_into = EXCLUDED.merged_into, data = EXCLUDED.data`,
      [
        contact.id,
        contact.siteId,
        contact.createdAt,
        searchable(contact.name),
        searchable(contact.email),
        searchable(contact.phone),
        contact.mergedInto ?? null,
        data,
      ],
    )
  }

  /** Substring of the lowercased name or email, or (3+ digits) of the phone; newest first. */
  listContacts(filter: ContactFilter): Promise<Contact[]> {
    const where = new Where()
    where.add((p) => `site_id = ANY(${p(filter.siteIds)}::text[])`)
    if (filter.mergedInto !== undefined) where.add((p) => `merged_into = ${p(filter.mergedInto)}`)
    const query = searchable(filter.query?.trim()) ?? ''
    const digits = query.replace(/[^0-9]/g, '')
    if (query) {
      const q = where.param(query)
      const phone = digits.length >= 3 ? ` OR strpos(phone, ${where.param(digits)}) > 0` : ''
      where.parts.push(`(strpos(name_lower, ${q}) > 0 OR strpos(email_lower, ${q}) > 0${phone})`)
    }
    return this.#many<Contact>(
      `SELECT data FROM ${this.#t.contacts} ${where} ORDER BY created_at DESC, id DESC LIMIT ${where.param(limitOf(filter.limit))}`,
      where.params,
    )
  }

  // -------------------------------------------------------------------------------------------
  // Conversations
  // -------------------------------------------------------------------------------------------

  createConversation(conversation: Conversation, event: AuditEvent): Promise<Conversation> {
    const data = json(conversation)
    const created = json(event)
    if (event.conversationId !== conversation.id) {
      return Promise.reject(new Error('pg store: the created event belongs to another conversation'))
    }
    return this.#transaction(async (client) => {
      await client.query(
        `INSERT INTO ${this.#t.conversations} (id, site_id, contact_id, status, updated_at, data)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [
          conversation.id,
          conversation.siteId,
          conversation.contactId,
          conversation.status,
          conversation.updatedAt,
          data,
        ],
      )
      await client.query(`INSERT INTO ${this.#t.events} (conversation_id, data) VALUES ($1, $2)`, [
        conversation.id,
        created,
      ])
      return JSON.parse(data) as Conversation
    })
  }

  getConversation(id: string): Promise<Conversation | null> {
    return this.#one<Conversation>(`SELECT data FROM ${this.#t.conversations} WHERE id = $1`, [id])
  }

  listConversations(filter: ConversationFilter): Promise<Conversation[]> {
    const where = new Where()
    where.add((p) => `site_id = ANY(${p(filter.siteIds)}::text[])`)
    if (filter.statuses) where.add((p) => `status = ANY(${p(filter.statuses)}::text[])`)
    if (filter.contactId !== undefined) where.add((p) => `contact_id = ${p(filter.contactId)}`)
    if (filter.contactIds !== undefined) where.add((p) => `contact_id = ANY(${p(filter.contactIds)}::text[])`)
    return this.#many<Conversation>(
      `SELECT data FROM ${this.#t.conversations} ${where} ORDER BY updated_at DESC, id DESC LIMIT ${where.param(limitOf(filter.limit))}`,
      where.params,
    )
  }

  updateConversation(id: string, mutate: (current: Conversation) => Mutation): Promise<Mutation | null> {
    return this.#transaction(async (client) => {
      const current = await this.#lockConversation(client, id)
      if (!current) return null
      const result = mutate(structuredClone(current))
      if (!result.ok) return structuredClone(result)
      if (result.conversation.id !== id) throw new Error('pg store: a mutation may not change the id')
      // The store owns lastSeq: only appendMessage moves it.
      const next = JSON.parse(json({ ...result.conversation, lastSeq: current.lastSeq })) as Conversation
      const event = result.event ? (JSON.parse(json(result.event)) as AuditEvent) : null
      if (event !== null || !isDeepStrictEqual(next, current)) {
        await this.#writeConversation(client, next)
        if (event)
          await client.query(`INSERT INTO ${this.#t.events} (conversation_id, data) VALUES ($1, $2)`, [
            id,
            json(event),
          ])
      }
      return { ok: true, conversation: next, event }
    })
  }

  appendMessage(
    message: NewMessage,
    options?: { requireStatus?: ConversationStatus[] },
  ): Promise<AppendResult> {
    const input = structuredClone(message)
    const id = input.conversationId
    return this.#transaction(async (client): Promise<AppendResult> => {
      const current = await this.#lockConversation(client, id)
      if (!current) throw new AppError('not_found', `conversation ${id} not found`)
      if (input.clientId !== null) {
        const stored = await client.query<{ data: Message }>(
          `SELECT data FROM ${this.#t.messages} WHERE conversation_id = $1 AND client_id = $2`,
          [id, input.clientId],
        )
        const duplicate = stored.rows[0]?.data
        if (duplicate) return { ok: true, message: duplicate, conversation: current, duplicate: true }
      }
      if (options?.requireStatus && !options.requireStatus.includes(current.status)) {
        return { ok: false, conversation: current }
      }
      const createdAt = this.#now().toISOString()
      const { message: saved, conversation } = appended(current, input, createdAt)
      const stored = json(saved)
      await client.query(
        `INSERT INTO ${this.#t.messages} (conversation_id, seq, client_id, data) VALUES ($1, $2, $3, $4)`,
        [id, saved.seq, saved.clientId, stored],
      )
      await this.#writeConversation(client, conversation)
      // What a later read returns (JSON drops undefined fields), not the objects built here.
      return {
        ok: true,
        message: JSON.parse(stored) as Message,
        conversation: JSON.parse(json(conversation)) as Conversation,
        duplicate: false,
      }
    })
  }

  listMessages(conversationId: string, afterSeq = 0): Promise<Message[]> {
    return this.#many<Message>(
      `SELECT data FROM ${this.#t.messages} WHERE conversation_id = $1 AND seq > $2 ORDER BY seq`,
      [conversationId, afterSeq],
    )
  }

  listEvents(conversationId: string): Promise<AuditEvent[]> {
    return this.#many<AuditEvent>(
      `SELECT data FROM ${this.#t.events} WHERE conversation_id = $1 ORDER BY position`,
      [conversationId],
    )
  }

  // -------------------------------------------------------------------------------------------
  // Knowledge base
  // -------------------------------------------------------------------------------------------

  /** The site's articles in slug order. */
  listArticles(siteId: string): Promise<Article[]> {
    return this.#many<Article>(`SELECT data FROM ${this.#t.articles} WHERE site_id = $1 ORDER BY slug`, [
      siteId,
    ])
  }

  putArticle(article: Article): Promise<void> {
    const data = json(article)
    return this.#exec(
      `INSERT INTO ${this.#t.articles} (site_id, slug, data) VALUES ($1, $2, $3)
       ON CONFLICT (site_id, slug) DO UPDATE SET data = EXCLUDED.data`,
      [article.siteId, article.slug, data],
    )
  }

  deleteArticle(siteId: string, slug: string): Promise<void> {
    return this.#exec(`DELETE FROM ${this.#t.articles} WHERE site_id = $1 AND slug = $2`, [siteId, slug])
  }

  // -------------------------------------------------------------------------------------------
  // Action requests
  // -------------------------------------------------------------------------------------------

  putAction(action: ActionRequest, options?: { ifStatus?: ActionStatus[] }): Promise<boolean> {
    const data = json(action)
    const id = action.conversationId
    return this.#transaction(async (client) => {
      // The conversation's lock serialises this with every other write of that conversation.
      if (!(await this.#lockConversation(client, id)))
        throw new AppError('not_found', `conversation ${id} not found`)
      const found = await client.query<{ conversation_id: string; site_id: string; status: ActionStatus }>(
        `SELECT conversation_id, site_id, status FROM ${this.#t.actions} WHERE id = $1 FOR UPDATE`,
        [action.id],
      )
      const stored = found.rows[0]
      if (stored && (stored.conversation_id !== id || stored.site_id !== action.siteId)) {
        throw new Error(`pg store: action ${action.id} belongs to another conversation`)
      }
      if (options?.ifStatus && (!stored || !options.ifStatus.includes(stored.status))) return false
      await client.query(
        `INSERT INTO ${this.#t.actions} (id, conversation_id, site_id, status, created_at, data)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, created_at = EXCLUDED.created_at, data = EXCLUDED.data`,
        [action.id, id, action.siteId, action.status, action.createdAt, data],
      )
      return true
    })
  }

  getAction(id: string): Promise<ActionRequest | null> {
    return this.#one<ActionRequest>(`SELECT data FROM ${this.#t.actions} WHERE id = $1`, [id])
  }

  listActions(filter: ActionFilter): Promise<ActionRequest[]> {
    const where = new Where()
    where.add((p) => `site_id = ANY(${p(filter.siteIds)}::text[])`)
    if (filter.conversationId !== undefined) where.add((p) => `conversation_id = ${p(filter.conversationId)}`)
    if (filter.statuses) where.add((p) => `status = ANY(${p(filter.statuses)}::text[])`)
    return this.#many<ActionRequest>(
      `SELECT data FROM ${this.#t.actions} ${where} ORDER BY created_at DESC, id DESC LIMIT ${where.param(limitOf(filter.limit))}`,
      where.params,
    )
  }

  // -------------------------------------------------------------------------------------------
  // Internals
  // -------------------------------------------------------------------------------------------

  /** Runs one call, tracked so close() can wait for it; refused before init() and after close(). */
  // -------------------------------------------------------------------------------------------
  // Keyed records
  // -------------------------------------------------------------------------------------------

  async getRecord(namespace: string, key: string): Promise<unknown | null> {
    checkNamespace(namespace)
    return this.#run(async () => {
      const found = await this.#pool.query<{ value: unknown }>(
        `SELECT value FROM ${this.#t.records} WHERE namespace = $1 AND key = $2`,
        [namespace, key],
      )
      return found.rows[0]?.value ?? null
    })
  }

  async putRecord(namespace: string, key: string, value: unknown): Promise<void> {
    checkNamespace(namespace)
    const data = json(asJson(value))
    return this.#exec(
      `INSERT INTO ${this.#t.records} (namespace, key, value) VALUES ($1, $2, $3)
       ON CONFLICT (namespace, key) DO UPDATE SET value = EXCLUDED.value`,
      [namespace, key, data],
    )
  }

  async putRecordIfAbsent(namespace: string, key: string, value: unknown): Promise<boolean> {
    checkNamespace(namespace)
    const data = json(asJson(value))
    return this.#run(async () => {
      // The primary key decides between racing nodes: one insert wins, the others do nothing.
      const inserted = await this.#pool.query(
        `INSERT INTO ${this.#t.records} (namespace, key, value) VALUES ($1, $2, $3)
         ON CONFLICT (namespace, key) DO NOTHING`,
        [namespace, key, data],
      )
      return inserted.rowCount === 1
    })
  }

  async updateRecord(
    namespace: string,
    key: string,
    mutate: (current: unknown | null) => unknown,
  ): Promise<unknown | null> {
    checkNamespace(namespace)
    for (;;) {
      const result = await this.#transaction(async (client) => {
        const found = await client.query<{ value: unknown }>(
          `SELECT value FROM ${this.#t.records} WHERE namespace = $1 AND key = $2 FOR UPDATE`,
          [namespace, key],
        )
        const exists = found.rows.length > 0
        const current = found.rows[0]?.value ?? null
        const changed = mutate(current === null ? null : structuredClone(current))
        if (changed === null || changed === undefined) return { value: current }
        const data = json(asJson(changed))
        if (exists) {
          await client.query(`UPDATE ${this.#t.records} SET value = $3 WHERE namespace = $1 AND key = $2`, [
            namespace,
            key,
            data,
          ])
          return { value: JSON.parse(data) as unknown }
        }
        // No row to lock: another node may insert the key meanwhile; then look again, under its lock.
        const inserted = await client.query(
          `INSERT INTO ${this.#t.records} (namespace, key, value) VALUES ($1, $2, $3)
           ON CONFLICT (namespace, key) DO NOTHING`,
          [namespace, key, data],
        )
        return inserted.rowCount === 1 ? { value: JSON.parse(data) as unknown } : null
      })
      if (result) return result.value
    }
  }

  #run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#state === 'new' || this.#state === 'starting')
      return Promise.reject(new Error('pg store: init() has not completed'))
    if (this.#state === 'closed') return Promise.reject(new Error('pg store: closed, call refused'))
    const pending = task()
    this.#inflight.add(pending)
    const forget = (): void => {
      this.#inflight.delete(pending)
    }
    pending.then(forget, forget)
    return pending
  }

  #exec(sql: string, params: unknown[]): Promise<void> {
    return this.#run(async () => {
      await this.#pool.query(sql, params)
    })
  }

  /** The `data` of the first row, or null. Each call parses fresh objects: callers get copies. */
  #one<T>(sql: string, params: unknown[]): Promise<T | null> {
    return this.#run(async () => (await this.#pool.query<{ data: T }>(sql, params)).rows[0]?.data ?? null)
  }

  #many<T>(sql: string, params: unknown[]): Promise<T[]> {
    return this.#run(async () => (await this.#pool.query<{ data: T }>(sql, params)).rows.map((r) => r.data))
  }

  /** Runs `work` in a transaction on one connection; any error rolls back. */
  #transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.#run(async () => {
      const client = await this.#pool.connect()
      let broken: Error | undefined
      try {
        await client.query('BEGIN')
        const result = await work(client)
        await client.query('COMMIT')
        return result
      } catch (error) {
        try {
          await client.query('ROLLBACK')
        } catch (rollbackError) {
          // A connection that cannot roll back is not given to the next caller.
          broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError))
        }
        throw error
      } finally {
        client.release(broken)
      }
    })
  }

  /** The conversation, its row locked until the transaction ends; null when it does not exist. */
  async #lockConversation(client: pg.PoolClient, id: string): Promise<Conversation | null> {
    const found = await client.query<{ data: Conversation }>(
      `SELECT data FROM ${this.#t.conversations} WHERE id = $1 FOR UPDATE`,
      [id],
    )
    return found.rows[0]?.data ?? null
  }

  async #writeConversation(client: pg.PoolClient, c: Conversation): Promise<void> {
    await client.query(
      `UPDATE ${this.#t.conversations} SET site_id = $2, contact_id = $3, status = $4, updated_at = $5, data = $6
       WHERE id = $1`,
      [c.id, c.siteId, c.contactId, c.status, c.updatedAt, json(c)],
    )
  }
}
