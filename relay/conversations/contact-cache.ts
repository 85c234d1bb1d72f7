/** Contacts by id, cached as promises so concurrent lookups share one read and keep their order. */
import type { Contact, Store } from '../store/types.ts'

export class ContactCache {
  private readonly entries = new Map<string, Promise<Contact | null>>()
  private static readonly MAX = 5000

  constructor(private readonly store: Store) {}

  get(id: string): Promise<Contact | null> {
    let entry = this.entries.get(id)
    if (!entry) {
      if (this.entries.size >= ContactCache.MAX) this.entries.clear()
      entry = this.store.getContact(id)
      this.entries.set(id, entry)
      // A failed read must not stay cached.
      entry.catch(() => this.entries.delete(id))
    }
    return entry
  }

  invalidate(id: string): void {
    this.entries.delete(id)
  }
}
