/**
 * The wire contract between the relay, the widget and the console: schemas, the types derived
 * from them, the socket.io event maps, the ack envelope and the closed list of error codes.
 * No DOM, no Node, no runtime dependency but zod. The widget imports types only (erased at build).
 */
import { z } from 'zod'
import type {
  ContactMatch,
  CustomerMerge,
  CustomerProfile,
  CustomerRef,
  CustomerSearch,
} from './customers.ts'
import type {
  AgentNotification,
  AgentSummary,
  Assign,
  Availability,
  ConversationUpdate,
  InboxCounts,
  InboxQuery,
  Macro,
  Team,
  TypingNotice,
  Viewers,
} from './helpdesk.ts'
import { type ActionRequest, ActionStatusSchema } from './policy.ts'

export const PROTOCOL_VERSION = 1

/** socket.io namespaces. */
export const WIDGET_NAMESPACE = '/widget'
export const CONSOLE_NAMESPACE = '/console'

// ---------------------------------------------------------------------------------------------
// Errors and acks
// ---------------------------------------------------------------------------------------------

export const ERROR_CODES = [
  'invalid_payload',
  'unauthorized',
  'forbidden',
  'not_found',
  'unknown_site',
  'origin_not_allowed',
  'protocol_mismatch',
  'already_assigned',
  'not_assignee',
  'invalid_transition',
  'rate_limited',
  'internal_error',
  /** The site accepts only shoppers its store identified (`parley('identify', …)` with a valid hash). */
  'identity_required',
] as const
export const ErrorCodeSchema = z.enum(ERROR_CODES)
export type ErrorCode = z.infer<typeof ErrorCodeSchema>

export const WireErrorSchema = z.object({
  code: ErrorCodeSchema,
  /** English, for logs and developers; UIs translate by code. */
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
})
export type WireError = z.infer<typeof WireErrorSchema>

/** Every socket event is acknowledged with one of these. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: WireError }
export type AckFn<T> = (ack: Ack<T>) => void

// ---------------------------------------------------------------------------------------------
// Entities on the wire
// ---------------------------------------------------------------------------------------------

export const IdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/)
/** Client-generated id carried by every sent message; a retry with the same id is stored once. */
export const ClientIdSchema = z
  .string()
  .min(8)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/)
export const MAX_MESSAGE_LENGTH = 4000
export const MessageTextSchema = z
  .string()
  .max(MAX_MESSAGE_LENGTH)
  .refine((s) => s.trim().length > 0, { message: 'empty message' })

export const ConversationStatusSchema = z.enum(['bot', 'queued', 'assigned', 'resolved'])
export type ConversationStatus = z.infer<typeof ConversationStatusSchema>

export const AuthorSchema = z.enum(['contact', 'bot', 'agent', 'system'])
export type Author = z.infer<typeof AuthorSchema>

export const PrioritySchema = z.enum(['urgent', 'high', 'normal', 'low'])
export type Priority = z.infer<typeof PrioritySchema>

export const ChannelSchema = z.enum(['web', 'email', 'whatsapp', 'messenger', 'api'])
export type Channel = z.infer<typeof ChannelSchema>

/** A knowledge-base article or tool result that grounds a bot answer. */
export const SourceSchema = z.object({
  slug: z.string(),
  title: z.string(),
  url: z.string().nullable(),
})
export type Source = z.infer<typeof SourceSchema>

export const MessageSchema = z.object({
  id: IdSchema,
  conversationId: IdSchema,
  /** 1-based, gapless, per conversation: the order of record and the replay cursor. */
  seq: z.number().int().positive(),
  clientId: z.string().nullable(),
  author: AuthorSchema,
  authorId: z.string().nullable(),
  /** Display name: the agent's name for agent messages, the bot's name for bot messages. */
  authorName: z.string().nullable(),
  text: z.string(),
  sources: z.array(SourceSchema),
  createdAt: z.string(),
  /** An internal note between agents: never sent to the customer. */
  internal: z.boolean().optional(),
  /** Bot messages only: how the bot decided (for QA and review ordering). */
  bot: z
    .object({
      outcome: z.enum(['answer', 'clarify', 'tool', 'decline', 'handoff', 'greeting']),
      confidence: z.number().nullable(),
      intent: z.string(),
      provider: z.string(),
    })
    .optional(),
})
export type Message = z.infer<typeof MessageSchema>
export type BotMeta = NonNullable<Message['bot']>

export const AssigneeSchema = z.object({ id: z.string(), name: z.string() })

/** A 1–5 rating: the shopper's satisfaction (CSAT), or an agent's effort (1 low – 5 high). */
export const RatingScoreSchema = z.number().int().min(1).max(5)
export const MAX_CSAT_COMMENT_LENGTH = 1000

/**
 * The conversation's current resolution, cleared when it reopens: when, by which agent (null: not
 * an agent, or resolved before this was recorded), and the ratings given for it, at most one each.
 */
export const ResolutionSchema = z.object({
  at: z.string(),
  agentId: z.string().nullable(),
  csat: z.object({ score: RatingScoreSchema, comment: z.string().nullable(), at: z.string() }).optional(),
  effort: z.object({ score: RatingScoreSchema, agentId: z.string(), at: z.string() }).optional(),
})
export type Resolution = z.infer<typeof ResolutionSchema>

export const SlaStateSchema = z.enum(['ok', 'near_breach', 'breached', 'met'])
export type SlaState = z.infer<typeof SlaStateSchema>

/** A conversation's SLA as the console shows it. Times are ISO strings. */
export const SlaSummarySchema = z.object({
  /** The next target that matters: first response until one was sent, then resolution. */
  dueAt: z.string().nullable(),
  firstResponseDue: z.string().nullable(),
  resolutionDue: z.string().nullable(),
  firstResponseAt: z.string().nullable(),
  state: SlaStateSchema,
  /** Business time left to `dueAt` (negative once breached). */
  timeLeftMs: z.number().nullable(),
})
export type SlaSummary = z.infer<typeof SlaSummarySchema>

/** What an agent sees of a conversation in the inbox and the conversation view. */
export const ConversationSummarySchema = z.object({
  id: IdSchema,
  siteId: z.string(),
  channel: ChannelSchema,
  status: ConversationStatusSchema,
  priority: PrioritySchema,
  handoffReason: z.string().nullable(),
  handoffSummary: z.string().nullable(),
  assignee: AssigneeSchema.nullable(),
  contact: z.object({ id: z.string(), name: z.string().nullable(), email: z.string().nullable() }),
  /** The shopper's latest message, shortened. */
  preview: z.string(),
  lastSeq: z.number().int().nonnegative(),
  createdAt: z.string(),
  updatedAt: z.string(),
  tags: z.array(z.string()).optional(),
  teamId: z.string().nullable().optional(),
  language: z.string().nullable().optional(),
  /** Null while the bot handles it (SLA clocks start at handoff). */
  sla: SlaSummarySchema.nullable().optional(),
  /**
   * Until when an agent's reply can reach the customer: WhatsApp 24 h after their last message (later
   * only a template can), Messenger 7 days (the human-agent tag; later nothing can). Null when that
   * time is not known; absent on channels without a window.
   */
  replyWindowEndsAt: z.string().nullable().optional(),
  /** While resolved: who resolved it and its ratings (CSAT from the shopper, effort from the agent). */
  resolution: ResolutionSchema.nullable().optional(),
})
export type ConversationSummary = z.infer<typeof ConversationSummarySchema>

export const DeliveryStateSchema = z.enum(['sent', 'delivered', 'read', 'failed'])
export type DeliveryState = z.infer<typeof DeliveryStateSchema>

/**
 * What a messaging channel reported last about one reply (only forward: sent < delivered < read;
 * failed is final). `at` is when the channel says it happened; `error` only when failed.
 */
export const DeliveryStatusSchema = z.object({
  conversationId: IdSchema,
  messageId: IdSchema,
  status: DeliveryStateSchema,
  at: z.string(),
  error: z.string().optional(),
})
export type DeliveryStatus = z.infer<typeof DeliveryStatusSchema>

/** What a shopper sees of their own conversation. */
export const WidgetConversationSchema = z.object({
  id: IdSchema,
  status: ConversationStatusSchema,
  assigneeName: z.string().nullable(),
  lastSeq: z.number().int().nonnegative(),
  /** Resolved and already rated by the shopper (`csat:rate`): the widget does not ask again. */
  rated: z.boolean().optional(),
})
export type WidgetConversation = z.infer<typeof WidgetConversationSchema>

export const AuditEventTypeSchema = z.enum([
  'created',
  'bot_answered',
  'handoff',
  'assigned',
  'resolved',
  'reopened',
  /** The bot attempted an action (allowed or refused), with its inputs and the policy's verdict. */
  'action_requested',
  /** A human approved or rejected a suggested action. */
  'action_decided',
  /** An agent marked a bot answer correct or wrong. */
  'bot_reviewed',
  /** Back to the (team's) queue: manual unassign, assignee offline, or no answer in time. */
  'unassigned',
  /** Priority or tags changed. */
  'updated',
  /** A first-response or resolution target was missed. */
  'sla_breached',
  /** The shopper rated a resolution (`{ score, comment? }`, actor the contact). */
  'csat',
  /** The resolving agent rated the effort a resolution took (`{ score }`, 1 low – 5 high). */
  'agent_effort',
])
export type AuditEventType = z.infer<typeof AuditEventTypeSchema>

export const ActorSchema = z.object({
  kind: z.enum(['contact', 'bot', 'agent', 'system']),
  id: z.string().nullable(),
})
export type Actor = z.infer<typeof ActorSchema>

/** One line of a conversation's audit log; metrics are computed from these. */
export const AuditEventSchema = z.object({
  id: IdSchema,
  conversationId: IdSchema,
  type: AuditEventTypeSchema,
  actor: ActorSchema,
  at: z.string(),
  data: z.record(z.string(), z.unknown()),
})
export type AuditEvent = z.infer<typeof AuditEventSchema>

export const AgentProfileSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(['admin', 'agent']),
})
export type AgentProfile = z.infer<typeof AgentProfileSchema>

// ---------------------------------------------------------------------------------------------
// Widget namespace
// ---------------------------------------------------------------------------------------------

/** socket.io handshake `auth` of a widget connection. */
/**
 * A shopper the store's backend vouches for: `userHash` is the lowercase hex HMAC-SHA256 of the
 * email (or of the user id when there is no email) with the site's identity secret.
 */
export const WidgetIdentitySchema = z
  .object({
    email: z.string().trim().toLowerCase().pipe(z.email()).optional(),
    userId: z.string().trim().min(1).max(128).optional(),
    name: z.string().trim().max(120).optional(),
    userHash: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .refine((i) => i.email !== undefined || i.userId !== undefined, { message: 'email or userId is required' })
export type WidgetIdentity = z.infer<typeof WidgetIdentitySchema>

export const WidgetAuthSchema = z.object({
  site: z.string().min(1).max(64),
  token: z.string().max(512).optional(),
  protocol: z.literal(PROTOCOL_VERSION),
  identity: WidgetIdentitySchema.optional(),
})
export type WidgetAuth = z.infer<typeof WidgetAuthSchema>

export const WidgetResumeSchema = z.object({
  /** Omitted: the shopper's latest conversation on this site. */
  conversationId: IdSchema.optional(),
  /** Highest seq the client has; the ack carries every message after it, in order. */
  afterSeq: z.number().int().nonnegative(),
})
export type WidgetResume = z.infer<typeof WidgetResumeSchema>

export const WidgetSendSchema = z.object({
  clientId: ClientIdSchema,
  text: MessageTextSchema,
  /** Omitted on the first message: the relay continues the open conversation or starts one. */
  conversationId: IdSchema.optional(),
})
export type WidgetSend = z.infer<typeof WidgetSendSchema>

/** Self-service: searching the site's verified help articles from the widget. */
export const KbSearchSchema = z.object({ query: z.string().trim().min(1).max(200) })
export type KbSearch = z.infer<typeof KbSearchSchema>
const KbSlugSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z0-9][a-z0-9-]*$/)
export const KbArticleRefSchema = z.object({ slug: KbSlugSchema })
export type KbArticleRef = z.infer<typeof KbArticleRefSchema>
/** "Was this helpful?" on an article the shopper read. */
export const KbFeedbackSchema = z.object({ slug: KbSlugSchema, helpful: z.boolean() })
export type KbFeedback = z.infer<typeof KbFeedbackSchema>

export interface KbSearchResult {
  slug: string
  title: string
  /** Plain text, a couple of sentences. */
  excerpt: string
  /** The article's public page: absolute, or relative to the relay (`/help/SITE/SLUG`). */
  url: string
}

/** A verified article for the widget's article view; `body` is Markdown, rendered as text. */
export interface KbArticle {
  slug: string
  title: string
  body: string
  url: string
}

/** "How did we do?" after a resolution: one rating per resolution, by the conversation's shopper. */
export const CsatRateSchema = z.object({
  conversationId: IdSchema,
  score: RatingScoreSchema,
  comment: z.string().trim().max(MAX_CSAT_COMMENT_LENGTH).optional(),
})
export type CsatRate = z.infer<typeof CsatRateSchema>

export const ContactEmailSchema = z.object({ email: z.string().trim().toLowerCase().pipe(z.email()) })

export interface SessionReady {
  /** Bearer token for this shopper on this site; the widget keeps it across reloads. */
  token: string
  contactId: string
  /** The fixed disclosure shown before the first message (and stored as the conversation's first). */
  greeting: string
  botName: string
  protocol: number
  /** Whether a person is around; when not, the widget offers to take an email address. */
  availability?: Availability
  /** True when the handshake's identity was verified: the chat is linked to that contact. */
  verified?: boolean
}

export interface ResumeResult {
  conversation: WidgetConversation | null
  messages: Message[]
}

export interface MessageDelta {
  conversationId: string
  /** Groups the deltas of one bot reply still being generated. */
  draftId: string
  text: string
}

export interface WidgetClientToServer {
  'conversation:resume': (payload: WidgetResume, ack: AckFn<ResumeResult>) => void
  'message:send': (
    payload: WidgetSend,
    ack: AckFn<{ message: Message; conversation: WidgetConversation }>,
  ) => void
  /** Verified articles only, best first, at most 5. */
  'kb:search': (payload: KbSearch, ack: AckFn<{ results: KbSearchResult[] }>) => void
  'kb:article': (payload: KbArticleRef, ack: AckFn<{ article: KbArticle }>) => void
  /** `counted` is false for a repeated vote of the same shopper on the same article. */
  'kb:feedback': (payload: KbFeedback, ack: AckFn<{ counted: boolean }>) => void
  /** The shopper leaves an email so a reply reaches them when nobody is around. */
  'contact:email': (payload: { email: string }, ack: AckFn<{ email: string }>) => void
  /**
   * Rates the resolved conversation (not_found: not this shopper's; invalid_transition: not resolved,
   * or already rated differently; the same rating again is acknowledged without a second record).
   */
  'csat:rate': (payload: CsatRate, ack: AckFn<{ conversation: WidgetConversation }>) => void
}

export interface WidgetServerToClient {
  'session:ready': (payload: SessionReady) => void
  'message:new': (message: Message) => void
  'message:delta': (delta: MessageDelta) => void
  'conversation:updated': (conversation: WidgetConversation) => void
  'availability:changed': (availability: Availability) => void
}

// ---------------------------------------------------------------------------------------------
// Console namespace (authenticated by the session cookie sent with the handshake)
// ---------------------------------------------------------------------------------------------

export const InboxFilterSchema = z.enum(['open', 'bot', 'queued', 'assigned', 'resolved', 'all'])
export type InboxFilter = z.infer<typeof InboxFilterSchema>

export const InboxListSchema = z.object({ filter: InboxFilterSchema.default('open') })
export const ConversationRefSchema = z.object({ conversationId: IdSchema })
export type ConversationRef = z.infer<typeof ConversationRefSchema>

export const ConsoleSendSchema = z.object({
  conversationId: IdSchema,
  clientId: ClientIdSchema,
  text: MessageTextSchema,
})
export type ConsoleSend = z.infer<typeof ConsoleSendSchema>

/** `action:list`: the bot's action requests in the agent's sites, newest first. */
export const ActionListSchema = z.object({
  conversationId: IdSchema.optional(),
  statuses: z.array(ActionStatusSchema).max(5).optional(),
})
export type ActionList = z.infer<typeof ActionListSchema>

/** `action:decide`: approve or reject a pending (suggested) action; the note is shown to the shopper. */
export const ActionDecideSchema = z.object({
  actionId: IdSchema,
  approve: z.boolean(),
  note: z.string().trim().max(500).optional(),
})
export type ActionDecide = z.infer<typeof ActionDecideSchema>

/** `effort:rate`: the resolving agent's one-click "How much effort was this?" (1 low – 5 high). */
export const EffortRateSchema = z.object({ conversationId: IdSchema, score: RatingScoreSchema })
export type EffortRate = z.infer<typeof EffortRateSchema>

export interface ConversationDetail {
  conversation: ConversationSummary
  messages: Message[]
  events: AuditEvent[]
  /** The bot's action requests in this conversation, newest first (pending ones await a decision). */
  actions?: ActionRequest[]
  /** The latest delivery status of each reply the channel reported on (WhatsApp); later ones come as `message:delivery`. */
  deliveries?: DeliveryStatus[]
}

export interface ConsoleClientToServer {
  'inbox:list': (
    payload: { filter?: InboxFilter },
    ack: AckFn<{ conversations: ConversationSummary[] }>,
  ) => void
  /** Loads a conversation and subscribes to its live messages. */
  'conversation:open': (payload: ConversationRef, ack: AckFn<ConversationDetail>) => void
  'conversation:close': (payload: ConversationRef, ack: AckFn<null>) => void
  'conversation:claim': (payload: ConversationRef, ack: AckFn<{ conversation: ConversationSummary }>) => void
  'conversation:resolve': (
    payload: ConversationRef,
    ack: AckFn<{ conversation: ConversationSummary }>,
  ) => void
  'message:send': (payload: ConsoleSend, ack: AckFn<{ message: Message }>) => void
  'action:list': (payload: ActionList, ack: AckFn<{ actions: ActionRequest[] }>) => void
  'action:decide': (payload: ActionDecide, ack: AckFn<{ action: ActionRequest }>) => void
  /** One inbox view with filters, and the live count of every view. */
  'inbox:query': (
    payload: InboxQuery,
    ack: AckFn<{ conversations: ConversationSummary[]; counts: InboxCounts }>,
  ) => void
  /** Assign to an agent or a team, transfer with a note, or unassign (both null). */
  'conversation:assign': (payload: Assign, ack: AckFn<{ conversation: ConversationSummary }>) => void
  'conversation:update': (
    payload: ConversationUpdate,
    ack: AckFn<{ conversation: ConversationSummary }>,
  ) => void
  /** An internal note: visible to agents only, allowed to anyone who can see the conversation. */
  'note:add': (payload: ConsoleSend, ack: AckFn<{ message: Message }>) => void
  'conversation:viewing': (payload: { conversationId: string; viewing: boolean }, ack: AckFn<Viewers>) => void
  'conversation:typing': (payload: { conversationId: string; internal?: boolean }, ack: AckFn<null>) => void
  'agent:status': (payload: { status: 'online' | 'away' }, ack: AckFn<{ agent: AgentSummary }>) => void
  'agents:list': (
    payload: Record<string, never>,
    ack: AckFn<{ agents: AgentSummary[]; teams: Team[] }>,
  ) => void
  'macro:list': (payload: Record<string, never>, ack: AckFn<{ macros: Macro[] }>) => void
  /** A customer with every identity merged into it and their conversations on every channel. */
  'customer:get': (payload: CustomerRef, ack: AckFn<{ customer: CustomerProfile }>) => void
  'customer:search': (payload: CustomerSearch, ack: AckFn<{ contacts: ContactMatch[] }>) => void
  'customer:merge': (payload: CustomerMerge, ack: AckFn<{ customer: CustomerProfile }>) => void
  /** Takes a merged contact back out; the ack carries the customer it was part of. */
  'customer:unmerge': (payload: CustomerRef, ack: AckFn<{ customer: CustomerProfile }>) => void
  /** Once per resolution, by the agent who resolved it (forbidden for others; invalid_transition when open or rated). */
  'effort:rate': (payload: EffortRate, ack: AckFn<{ conversation: ConversationSummary }>) => void
}

export interface ConsoleServerToClient {
  'session:ready': (payload: { agent: AgentProfile; protocol: number }) => void
  /** A conversation in the agent's sites was created or changed. */
  'conversation:upserted': (conversation: ConversationSummary) => void
  /** A message in a conversation the agent has open. */
  'message:new': (message: Message) => void
  'message:delta': (delta: MessageDelta) => void
  /** A bot action request of the agent's sites was created or decided. */
  'action:upserted': (action: ActionRequest) => void
  'inbox:counts': (counts: InboxCounts) => void
  /** Who else has a conversation open (collision warning). */
  'conversation:viewers': (viewers: Viewers) => void
  'conversation:typing': (notice: TypingNotice) => void
  'agent:presence': (agent: AgentSummary) => void
  /** For the agent this socket belongs to: a new assignment, a message, an SLA warning. */
  notification: (notification: AgentNotification) => void
  /** A reply in a conversation the agent has open was sent, delivered, read or failed (newer status only). */
  'message:delivery': (status: DeliveryStatus) => void
}

// ---------------------------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------------------------

export const LoginSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  password: z.string().min(1).max(256),
})
export type Login = z.infer<typeof LoginSchema>

/** Name of the console's httpOnly session cookie. */
export const SESSION_COOKIE = 'parley_session'
