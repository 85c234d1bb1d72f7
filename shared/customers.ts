/**
 * Customers on the wire: one person across channels. A customer is a contact plus the contacts an
 * agent merged into it (the same person who wrote from another address, number or browser); the
 * console shows their conversations on one timeline. Pure; no runtime dependency but zod.
 */
import { z } from 'zod'
import { type ConversationSummary, IdSchema } from './protocol.ts'

/** One way to reach a customer: a contact record, its own or merged into it. */
export const CustomerIdentitySchema = z.object({
  contactId: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  /** Proven by widget identity verification. */
  emailVerified: z.boolean(),
  phone: z.string().nullable(),
  createdAt: z.string(),
  /** Set on a contact merged into the customer: when and by which agent. */
  mergedAt: z.string().nullable(),
  mergedBy: z.string().nullable(),
})
export type CustomerIdentity = z.infer<typeof CustomerIdentitySchema>

export interface CustomerProfile {
  id: string
  siteId: string
  name: string | null
  email: string | null
  emailVerified: boolean
  phone: string | null
  vip: boolean
  lifetimeValue: number | null
  createdAt: string
  /** The customer's own contact first, then the contacts merged into it, oldest merge first. */
  identities: CustomerIdentity[]
  /** Every conversation of the customer on every channel, newest first. */
  conversations: ConversationSummary[]
}

/** A contact an agent may merge into the customer they are looking at. */
export interface ContactMatch {
  id: string
  name: string | null
  email: string | null
  phone: string | null
  createdAt: string
  conversations: number
}

export const CustomerRefSchema = z.object({ contactId: IdSchema })
export type CustomerRef = z.infer<typeof CustomerRefSchema>

export const CustomerSearchSchema = z.object({
  query: z.string().trim().min(2).max(120),
  /** Leave this customer (and the contacts merged into it) out of the results. */
  excludeId: IdSchema.optional(),
})
export type CustomerSearch = z.infer<typeof CustomerSearchSchema>

/** `source` becomes part of `target`: its conversations show on the target's timeline. */
export const CustomerMergeSchema = z.object({ sourceId: IdSchema, targetId: IdSchema })
export type CustomerMerge = z.infer<typeof CustomerMergeSchema>
