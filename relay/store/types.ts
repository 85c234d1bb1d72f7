/**
 * The one storage interface. Default implementation: lowdb files under a data directory
 * (`lowdb-store.ts`); a PostgreSQL implementation passes the same contract tests (`contract.ts`).
 * Every method resolves only once the write is durable.
 */

import type { Macro, Team } from '../../shared/helpdesk.ts'
import type { ActionRequest, ActionStatus, Policy } from '../../shared/policy.ts'
import type {
  AuditEvent,
  Author,
  BotMeta,
  Channel,
  ConversationStatus,
  Message,
  Priority,
  Resolution,
  Source,
  WireError,
} from '../../shared/protocol.ts'
import type { BusinessHoursConfig } from '../sla/business-hours.ts'
import type { SlaPolicyConfig } from '../sla/policy.ts'

export interface Site {
  /** The public site key used in the script tag (`data-site`). */
  id: string
  name: string
  /** Origins allowed to open widget connections; the relay's own origin is always allowed. */
  allowedOrigins: string[]
  botName: string
  /** Secret for widget identity verification (HMAC of the shopper's email or user id). */
  identitySecret?: string
  /** Refuse widget connections without a verified identity. */
  requireIdentity?: boolean
  /** The bot's action policy; DEFAULT_POLICY when unset. */
  policy?: Policy
  /** Helpdesk settings; defaults apply when unset (see relay/sla, relay/routing). */
  helpdesk?: HelpdeskSettings
  /** Where the site's orders come from; none means the bot cannot look orders up. */
  orders?: OrdersSource
  /** The site's support address (lowercase): inbound email to it, or to its `+<token>` reply form, is theirs. */
  supportEmail?: string
  createdAt: string
}

export interface HelpdeskSettings {
  /** Auto-assignment on by default. */
  autoAssign?: boolean
  /** Reassign when the assignee has not answered within this long; null = never. */
  reassignAfterMs?: number | null
  /** SLA targets (relay/sla/policy.ts SlaPolicyConfigSchema). */
  sla?: SlaPolicyConfig
  /** Business hours (relay/sla/business-hours.ts BusinessHoursConfigSchema). */
  businessHours?: BusinessHoursConfig | null
  teams?: Team[]
  macros?: Macro[]
}

export type OrdersSource =
  /** A JSON file of orders (the demo's `examples/demo/orders.json`). */
  | { kind: 'json'; file: string }
  /** A generic endpoint: `GET {url}/orders/{number}` with `Authorization: Bearer {token}`. */
  | { kind: 'http'; url: string; token: string }

export interface Agent {
  id: string
  email: string
  name: string
  role: 'admin' | 'agent'
  /** scrypt hash, `scrypt$N$r$p$saltB64$hashB64`. */
  passwordHash: string
  siteIds: string[]
  createdAt: string
  /** Routing (all optional: older records and the first admin have none). */
  skills?: string[]
  languages?: string[]
  teamId?: string | null
  /** Concurrent conversations; unset: never auto-assigned (relay/routing/presence.ts `capacityOf`); new agents get 5. */
  capacity?: number
  /** Desktop notifications and sound, as the agent set them. */
  notifications?: boolean
}

export interface Session {
  /** sha256 of the cookie token: a leaked store does not leak live sessions. */
  id: string
  agentId: string
  createdAt: string
  expiresAt: string
}

export interface Contact {
  id: string
  siteId: string
  name: string | null
  email: string | null
  /** True only when `email` was proven (identity verification); only then does it prove order ownership. */
  emailVerified?: boolean
  /** A phone number as a messaging channel reports it (digits only, e.g. WhatsApp's `wa_id`). */
  phone?: string | null
  /** Customer value from the store's side, when known: raises the priority at handoff (relay/routing/priority.ts). */
  vip?: boolean
  lifetimeValue?: number
  createdAt: string
  /**
   * Set when an agent merged this contact into another (the customer it is shown as). Its
   * conversations keep their contactId, so the shopper's own access never widens; the console groups
   * them under the target (relay/contacts). Cleared by an unmerge.
   */
  mergedInto?: string | null
  mergedAt?: string | null
  mergedBy?: string | null
}

export interface ContactFilter {
  siteIds: string[]
  /** Case-insensitive substring of the name, email or phone (digits); none: every contact. */
  query?: string
  /** Only contacts merged into this one. */
  mergedInto?: string
  /** Newest `createdAt` first; default 200. */
  limit?: number
}

export interface Conversation {
  id: string
  siteId: string
  contactId: string
  channel: Channel
  status: ConversationStatus
  priority: Priority
  handoffReason: string | null
  handoffSummary: string | null
  assigneeId: string | null
  assigneeName: string | null
  /** Set once a human has replied or owned it; a reopened conversation then goes to the queue. */
  humanInvolved: boolean
  /** Highest message seq; 0 before the first message. */
  lastSeq: number
  /** The shopper's latest message, shortened for the inbox. */
  preview: string
  createdAt: string
  updatedAt: string
  tags?: string[]
  /** The team whose queue it is in (routing), if any. */
  teamId?: string | null
  /** The shopper's language (routing), e.g. `en`. */
  language?: string | null
  /** Skills an agent needs to take it, e.g. `billing`. */
  skills?: string[]
  /** When the current assignee got it; the no-answer timer runs from here. */
  assignedAt?: string | null
  /** Internal notes stored so far: the shopper's gapless seq skips them (relay/helpdesk/shopper-view.ts). */
  internalCount?: number
  /** The current resolution and its ratings (one CSAT, one agent effort); null once reopened. */
  resolution?: Resolution | null
}

export interface Article {
  siteId: string
  slug: string
  title: string
  tags: string[]
  verified: boolean
  /** Markdown body without front matter. */
  body: string
  /** Public URL of the article; null means the relay's own help page. */
  url: string | null
  /** Shopper questions this article answered, learnt from agents' resolutions; indexed for retrieval. */
  examples?: string[]
  /** Set when an agent marked a bot answer citing it as wrong. */
  needsReview?: boolean
  /** Self-service votes from the widget. */
  helpful?: number
  notHelpful?: number
  updatedAt: string
}

/** A message before the store gives it an id, a seq and a time. */
export interface NewMessage {
  conversationId: string
  clientId: string | null
  author: Author
  authorId: string | null
  authorName: string | null
  text: string
  sources: Source[]
  /** Bot messages: how the bot decided. */
  bot?: BotMeta
  /** An internal note between agents: never delivered to the shopper. */
  internal?: boolean
}

export type AppendResult =
  | { ok: true; message: Message; conversation: Conversation; duplicate: boolean }
  /** `requireStatus` was given and the conversation was in another status: nothing stored. */
  | { ok: false; conversation: Conversation }

/** What a conversation mutator returns: the new state and its audit event, or a refusal. */
export type Mutation =
  | { ok: true; conversation: Conversation; event: AuditEvent | null }
  | { ok: false; error: WireError }

export interface ConversationFilter {
  siteIds: string[]
  statuses?: ConversationStatus[]
  contactId?: string
  /** Conversations of any of these contacts (a customer and the contacts merged into it). */
  contactIds?: string[]
  /** Newest `updatedAt` first; default 200. */
  limit?: number
}

export interface ActionFilter {
  siteIds: string[]
  conversationId?: string
  statuses?: ActionStatus[]
  /** Newest `createdAt` first; default 200. */
  limit?: number
}

export interface Store {
  init(): Promise<void>
  /** Finishes pending writes and releases files or connections. */
  close(): Promise<void>

  getSite(id: string): Promise<Site | null>
  /** Stores a site whole (creation, seed, tests); changes to an existing site go through updateSite. */
  putSite(site: Site): Promise<void>
  /**
   * Atomic read-modify-write of one site: `mutate` sees the current record (no other update or put
   * of that site interleaves, on one node or many) and the site it returns is stored; null leaves
   * the site as it is. When `mutate` throws, nothing is stored and the error propagates (how a
   * setting is refused). Resolves to the stored site; null when the site does not exist, without
   * calling `mutate`. The id may not change.
   */
  updateSite(id: string, mutate: (current: Site) => Site | null): Promise<Site | null>
  listSites(): Promise<Site[]>

  getAgent(id: string): Promise<Agent | null>
  getAgentByEmail(email: string): Promise<Agent | null>
  putAgent(agent: Agent): Promise<void>
  listAgents(): Promise<Agent[]>

  putSession(session: Session): Promise<void>
  getSession(id: string): Promise<Session | null>
  deleteSession(id: string): Promise<void>

  getContact(id: string): Promise<Contact | null>
  putContact(contact: Contact): Promise<void>
  listContacts(filter: ContactFilter): Promise<Contact[]>

  /** Stores a new conversation with its `created` event. */
  createConversation(conversation: Conversation, event: AuditEvent): Promise<Conversation>
  getConversation(id: string): Promise<Conversation | null>
  listConversations(filter: ConversationFilter): Promise<Conversation[]>
  /**
   * Atomic read-modify-write of one conversation: `mutate` sees the current state (no other
   * update of that conversation interleaves, on one node or many) and its result is stored with
   * its audit event. A refusal stores nothing. Null when the conversation does not exist.
   */
  updateConversation(id: string, mutate: (current: Conversation) => Mutation): Promise<Mutation | null>

  /**
   * Appends a message with the next seq. A message whose clientId is already stored in that
   * conversation is not stored again: the stored one comes back with `duplicate: true`.
   * With `requireStatus`, appends only while the conversation is in one of those statuses
   * (checked atomically with the append: how the bot is kept silent once a human owns it).
   * Updates the conversation's lastSeq, updatedAt and, for shopper messages, preview; an internal
   * note (`internal: true`) is stored with that flag and counted in `internalCount`.
   */
  appendMessage(
    message: NewMessage,
    options?: { requireStatus?: ConversationStatus[] },
  ): Promise<AppendResult>
  /** Messages with seq > afterSeq, in seq order. */
  listMessages(conversationId: string, afterSeq?: number): Promise<Message[]>
  listEvents(conversationId: string): Promise<AuditEvent[]>

  listArticles(siteId: string): Promise<Article[]>
  putArticle(article: Article): Promise<void>
  deleteArticle(siteId: string, slug: string): Promise<void>

  /**
   * Stores (or replaces) a bot action request, kept with its conversation, which must exist.
   * With `ifStatus`, replaces only while the stored request is in one of those statuses (an atomic
   * compare-and-set: how two agents approving at once apply it once); false when refused.
   */
  putAction(action: ActionRequest, options?: { ifStatus?: ActionStatus[] }): Promise<boolean>
  getAction(id: string): Promise<ActionRequest | null>
  listActions(filter: ActionFilter): Promise<ActionRequest[]>

  /**
   * Keyed records for what has no table of its own (the messaging channels' indexes: a delivered
   * message id, a contact's number, a conversation's reply target). `namespace` is lowercase
   * letters, digits, `.`, `_` or `-` (it names a folder in the lowdb store); `value` is JSON data,
   * read back as written. Null when nothing is stored under that key.
   */
  getRecord(namespace: string, key: string): Promise<unknown | null>
  /** Stores (or replaces) one keyed record. */
  putRecord(namespace: string, key: string, value: unknown): Promise<void>
  /**
   * Stores the record only when the key has none: true when stored, false when one was there
   * (which is left as it is). Atomic on one node or many: of calls racing on one key, one is true.
   */
  putRecordIfAbsent(namespace: string, key: string, value: unknown): Promise<boolean>
  /**
   * Atomic read-modify-write of one keyed record: `mutate` sees the current value (null when none;
   * no other put or update of that key interleaves, on one node or many) and the value it returns
   * is stored; null or undefined leaves the record as it is. When `mutate` throws, nothing is
   * stored and the error propagates. Resolves to the record as it then is.
   */
  updateRecord(
    namespace: string,
    key: string,
    mutate: (current: unknown | null) => unknown,
  ): Promise<unknown | null>
}
