/**
 * Who a conversation's contact is shown as to agents, by contact id: the contact itself, or the
 * customer it was merged into (relay/contacts/customers.ts), with the contact's own name and email
 * as fallbacks. Cached as promises so concurrent lookups share one read and keep their order; an
 * entry lives a few seconds, so a change written elsewhere (a name the store sent, an email left in
 * the widget) shows without every writer having to know about this cache.
 */
import { customerOf, shownAs } from '../contacts/customers.ts'
import type { Contact, Store } from '../store/types.ts'

const TTL_MS = 5_000

export class ContactCache {
  private readonly entries = new Map<string, { at: number; value: Promise<Contact | null> }>()
  private static readonly MAX = 5000

  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  get(id: string): Promise<Contact | null> {
    const at = this.now()
    const cached = this.entries.get(id)
    if (cached && at - cached.at < TTL_MS) return cached.value
    if (this.entries.size >= ContactCache.MAX) this.entries.clear()
    const value = this.lookup(id)
    this.entries.set(id, { at, value })
    // A failed read must not stay cached.
    value.catch(() => this.entries.delete(id))
    return value
  }

  private async lookup(id: string): Promise<Contact | null> {
    const contact = await this.store.getContact(id)
    const customer = await customerOf(this.store, contact)
    return contact && customer ? shownAs(contact, customer) : contact
  }

  invalidate(id: string): void {
    this.entries.delete(id)
  }

  /** After a merge or unmerge: any cached contact may now be shown as someone else. */
  clear(): void {
    this.entries.clear()
  }
}
