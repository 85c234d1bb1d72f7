/**
 * The helpdesk's part of the wire contract: agents' presence and routing attributes, SLA status,
 * inbox views and filters, macros, collision notices. Pure; no runtime dependency but zod.
 */
import { z } from 'zod'
import { ChannelSchema, IdSchema, PrioritySchema } from './protocol.ts'

export const PresenceSchema = z.enum(['online', 'away', 'offline'])
export type Presence = z.infer<typeof PresenceSchema>

export const TeamSchema = z.object({ id: z.string().min(1).max(64), name: z.string().min(1).max(80) })
export type Team = z.infer<typeof TeamSchema>

/** An agent as other agents see them (the inbox's assignment menu, presence dots). */
export const AgentSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  role: z.enum(['admin', 'agent']),
  presence: PresenceSchema,
  skills: z.array(z.string()),
  languages: z.array(z.string()),
  teamId: z.string().nullable(),
  capacity: z.number().int().nonnegative(),
  /** Open conversations assigned to them now. */
  load: z.number().int().nonnegative(),
})
export type AgentSummary = z.infer<typeof AgentSummarySchema>

export { type SlaState, SlaStateSchema, type SlaSummary, SlaSummarySchema } from './protocol.ts'

/** Inbox views (one list each, with a live count) and the filters that narrow any view. */
export const InboxViewSchema = z.enum(['mine', 'unassigned', 'open', 'bot', 'resolved', 'all'])
export type InboxView = z.infer<typeof InboxViewSchema>

export const InboxQuerySchema = z.object({
  view: InboxViewSchema.default('open'),
  channel: ChannelSchema.optional(),
  priority: PrioritySchema.optional(),
  tag: z.string().max(40).optional(),
  teamId: z.string().max(64).optional(),
})
export type InboxQuery = z.infer<typeof InboxQuerySchema>

export type InboxCounts = Record<InboxView, number>

export const TagSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(40)
  .regex(/^[\p{L}\p{N} _-]+$/u)

/** Manual assignment: to an agent, to a team's queue, or back to the queue (both null). */
export const AssignSchema = z.object({
  conversationId: IdSchema,
  agentId: z.string().nullable().optional(),
  teamId: z.string().nullable().optional(),
  /** Transfer note: stored as an internal note, never sent to the customer. */
  note: z.string().trim().max(2000).optional(),
})
export type Assign = z.infer<typeof AssignSchema>

export const ConversationUpdateSchema = z.object({
  conversationId: IdSchema,
  priority: PrioritySchema.optional(),
  tags: z.array(TagSchema).max(20).optional(),
})
export type ConversationUpdate = z.infer<typeof ConversationUpdateSchema>

export const ViewingSchema = z.object({ conversationId: IdSchema, viewing: z.boolean() })
export const TypingSchema = z.object({ conversationId: IdSchema, internal: z.boolean().default(false) })
export const AgentStatusSchema = z.object({ status: z.enum(['online', 'away']) })

export interface Viewers {
  conversationId: string
  viewers: { id: string; name: string }[]
}

export interface TypingNotice {
  conversationId: string
  agent: { id: string; name: string }
  internal: boolean
}

export interface AgentNotification {
  kind: 'assigned' | 'message' | 'sla_near_breach' | 'sla_breached'
  conversationId: string
  text: string
}

export const MacroActionsSchema = z.object({
  tags: z.array(TagSchema).max(20).optional(),
  priority: PrioritySchema.optional(),
  resolve: z.boolean().optional(),
})

export const MacroSchema = z.object({
  id: z.string(),
  siteId: z.string(),
  name: z.string().trim().min(1).max(80),
  /** Text with placeholders: {{contact.name}}, {{order.number}}, {{agent.name}}. */
  body: z.string().min(1).max(4000),
  actions: MacroActionsSchema.default({}),
})
export type Macro = z.infer<typeof MacroSchema>

export { MACRO_PLACEHOLDERS, type MacroContext, renderMacro } from './macros.ts'

/** Whether the widget should expect a person soon, or ask for an email address. */
export interface Availability {
  /** Inside business hours (always true without a calendar). */
  open: boolean
  agentsOnline: boolean
  /** When a person is back, if not now. */
  backAt: string | null
}
