/**
 * Customers: one person across channels. Contacts are unified automatically by a verified email
 * address (relay/channels/email/inbound.ts, the widget's identity) or a phone number (the messaging
 * channels); an agent merges the rest by hand.
 *
 * A merge does not rewrite conversations: the source contact gets `mergedInto`, and everything an
 * agent sees follows that link (the ContactCache resolves a contact to its customer). So a shopper's
 * own widget session keeps exactly the conversations it had (no merge can widen what an anonymous
 * browser sees), nothing is copied that an unmerge would have to take back, and an unmerge is one
 * write. Chains are kept flat: contacts merged into the source move to the target.
 */
import type { ContactMatch, CustomerIdentity, CustomerProfile } from '../../shared/customers.ts'
import type { ConversationSummary } from '../../shared/protocol.ts'
import type { ContactCache } from '../conversations/contact-cache.ts'
import { AppError } from '../errors.ts'
import type { Agent, Contact, Conversation, Store } from '../store/types.ts'
import { KeyedQueue } from '../util/keyed-queue.ts'

/** How far a `mergedInto` link is followed: merges keep chains flat, so 1 is the norm. */
const MAX_HOPS = 8
/** The most conversations a customer's timeline lists. */
export const TIMELINE_LIMIT = 500
const SEARCH_LIMIT = 20

/** The customer a contact is shown as: itself, or the contact it was merged into. */
export async function customerOf(
  store: Pick<Store, 'getContact'>,
  contact: Contact | null,
): Promise<Contact | null> {
  let current = contact
  const seen = new Set<string>()
  for (let hop = 0; current?.mergedInto && hop < MAX_HOPS; hop++) {
    if (seen.has(current.id)) break
    seen.add(current.id)
    const next = await store.getContact(current.mergedInto)
    if (!next || next.siteId !== current.siteId) break
    current = next
  }
  return current
}

/** The customer as a summary's `contact` shows it: the target's fields, the contact's own as fallback. */
export function shownAs(contact: Contact, customer: Contact): Contact {
  if (customer.id === contact.id) return contact
  return { ...customer, name: customer.name ?? contact.name, email: customer.email ?? contact.email }
}

function identityOf(contact: Contact, agents: Map<string, string>): CustomerIdentity {
  return {
    contactId: contact.id,
    name: contact.name,
    email: contact.email,
    emailVerified: contact.emailVerified === true,
    phone: contact.phone ?? null,
    createdAt: contact.createdAt,
    mergedAt: contact.mergedAt ?? null,
    mergedBy: contact.mergedBy ? (agents.get(contact.mergedBy) ?? null) : null,
  }
}

const queues = new WeakMap<Store, KeyedQueue>()

/** Merges of one store run one at a time (on this node; merges are rare and quick). */
function mergeQueue(store: Store): KeyedQueue {
  let queue = queues.get(store)
  if (!queue) {
    queue = new KeyedQueue()
    queues.set(store, queue)
  }
  return queue
}

/** How well a contact is known: 2 a verified email, 1 an address or number, 0 anonymous. */
function standing(contact: Contact): number {
  if (contact.email && contact.emailVerified) return 2
  return contact.email || contact.phone ? 1 : 0
}

export interface CustomerDeps {
  store: Store
  contacts: ContactCache
  summarize(conversation: Conversation): Promise<ConversationSummary>
}

export class Customers {
  constructor(private readonly deps: CustomerDeps) {}

  /** A contact of one of the agent's sites, or not_found (never a hint that it exists elsewhere). */
  private async contactFor(agent: Agent, id: string): Promise<Contact> {
    const contact = await this.deps.store.getContact(id)
    if (!contact || !agent.siteIds.includes(contact.siteId))
      throw new AppError('not_found', 'no such customer')
    return contact
  }

  /** The customer a contact belongs to (following merges), in the agent's sites. */
  private async customerFor(agent: Agent, id: string): Promise<Contact> {
    const customer = await customerOf(this.deps.store, await this.contactFor(agent, id))
    if (!customer) throw new AppError('not_found', 'no such customer')
    return customer
  }

  private merged(customer: Contact): Promise<Contact[]> {
    return this.deps.store.listContacts({
      siteIds: [customer.siteId],
      mergedInto: customer.id,
      limit: Number.MAX_SAFE_INTEGER,
    })
  }

  /** The conversations of the customer and the contacts merged into it, newest first. */
  private conversationsOf(customer: Contact, merged: readonly Contact[]): Promise<Conversation[]> {
    return this.deps.store.listConversations({
      siteIds: [customer.siteId],
      contactIds: [customer.id, ...merged.map((c) => c.id)],
      limit: TIMELINE_LIMIT,
    })
  }

  async profile(agent: Agent, contactId: string): Promise<CustomerProfile> {
    const customer = await this.customerFor(agent, contactId)
    const merged = await this.merged(customer)
    merged.sort((a, b) => (a.mergedAt ?? '').localeCompare(b.mergedAt ?? ''))
    const [conversations, agents] = await Promise.all([
      this.conversationsOf(customer, merged),
      this.deps.store.listAgents(),
    ])
    const names = new Map(agents.map((a) => [a.id, a.name]))
    // The timeline is in order of when each conversation began.
    conversations.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id))
    const all = [customer, ...merged]
    const firstOf = <T>(pick: (c: Contact) => T | null | undefined): T | null => {
      for (const c of all) {
        const value = pick(c)
        if (value !== null && value !== undefined) return value
      }
      return null
    }
    const withEmail = all.find((c) => c.email)
    return {
      id: customer.id,
      siteId: customer.siteId,
      name: firstOf((c) => c.name),
      email: withEmail?.email ?? null,
      emailVerified: withEmail?.emailVerified === true,
      phone: firstOf((c) => c.phone),
      vip: all.some((c) => c.vip === true),
      lifetimeValue: firstOf((c) => c.lifetimeValue),
      createdAt: customer.createdAt,
      identities: all.map((c) => identityOf(c, names)),
      conversations: await Promise.all(conversations.map((c) => this.deps.summarize(c))),
    }
  }

  /** Contacts of the agent's sites matching a name, email or phone, for "Merge with…". */
  async search(agent: Agent, query: string, excludeId?: string): Promise<ContactMatch[]> {
    let exclude: Contact | null = null
    if (excludeId) exclude = await this.customerFor(agent, excludeId)
    const found = await this.deps.store.listContacts({
      siteIds: exclude ? [exclude.siteId] : agent.siteIds,
      query,
      limit: 200,
    })
    // A merged contact is reached through its customer: offer the customer, once.
    const matches = new Map<string, Contact>()
    for (const contact of found) {
      const customer = await customerOf(this.deps.store, contact)
      if (!customer || customer.id === exclude?.id) continue
      matches.set(customer.id, customer)
      if (matches.size >= SEARCH_LIMIT) break
    }
    return Promise.all(
      [...matches.values()].map(async (c) => ({
        id: c.id,
        name: c.name,
        email: c.email,
        phone: c.phone ?? null,
        createdAt: c.createdAt,
        conversations: (await this.conversationsOf(c, await this.merged(c))).length,
      })),
    )
  }

  /**
   * Merges the customers of `sourceId` and `targetId` (same site) into one: the target stays
   * primary unless the source is better known (`standing`). Returns the merged customer's profile
   * and the conversations whose summaries changed (to push to the consoles).
   */
  merge(
    agent: Agent,
    sourceId: string,
    targetId: string,
    now: Date,
  ): Promise<{ customer: CustomerProfile; changed: Conversation[] }> {
    // One merge or unmerge at a time: two crossing merges (A into B, B into A) must not make a loop.
    return mergeQueue(this.deps.store).run('merge', () => this.mergeNow(agent, sourceId, targetId, now))
  }

  private async mergeNow(
    agent: Agent,
    sourceId: string,
    targetId: string,
    now: Date,
  ): Promise<{ customer: CustomerProfile; changed: Conversation[] }> {
    const [picked, into] = await Promise.all([
      this.customerFor(agent, sourceId),
      this.customerFor(agent, targetId),
    ])
    // The better-known contact stays primary (a verified email, then any address or number), so
    // merging a store's signed-in customer into an anonymous chat never demotes them.
    const [source, target] = standing(picked) > standing(into) ? [into, picked] : [picked, into]
    if (source.id === target.id)
      throw new AppError('invalid_payload', 'these contacts are already one customer')
    if (source.siteId !== target.siteId)
      throw new AppError('invalid_payload', 'only contacts of the same site can be merged')
    const moved = await this.merged(source)
    const at = now.toISOString()
    // The source's own merged contacts first: a failure half-way leaves every link resolvable.
    for (const contact of moved) await this.deps.store.putContact({ ...contact, mergedInto: target.id })
    await this.deps.store.putContact({ ...source, mergedInto: target.id, mergedAt: at, mergedBy: agent.id })
    this.deps.contacts.clear()
    const changed = await this.conversationsOf(source, moved)
    return { customer: await this.profile(agent, target.id), changed }
  }

  /** Takes a merged contact back out: it is its own customer again. */
  unmerge(agent: Agent, contactId: string): Promise<{ customer: CustomerProfile; changed: Conversation[] }> {
    return mergeQueue(this.deps.store).run('merge', () => this.unmergeNow(agent, contactId))
  }

  private async unmergeNow(
    agent: Agent,
    contactId: string,
  ): Promise<{ customer: CustomerProfile; changed: Conversation[] }> {
    const contact = await this.contactFor(agent, contactId)
    if (!contact.mergedInto) throw new AppError('invalid_payload', 'this contact is not merged into another')
    const formerTarget = contact.mergedInto
    await this.deps.store.putContact({ ...contact, mergedInto: null, mergedAt: null, mergedBy: null })
    this.deps.contacts.clear()
    const changed = await this.conversationsOf(contact, [])
    return { customer: await this.profile(agent, formerTarget), changed }
  }
}
