/**
 * The widget's side of availability: its socket hears `availability:changed` for its site, and a
 * shopper nobody can answer now leaves an email address (`contact:email`), stored on their contact
 * as unverified so the reply can reach them (by email once that channel lands).
 */
import { ContactEmailSchema } from '../../shared/protocol.ts'
import type { ContactCache } from '../conversations/contact-cache.ts'
import type { Logger } from '../conversations/service.ts'
import { AppError } from '../errors.ts'
import type { AvailabilityService } from '../routing/availability.ts'
import { availabilityRoom } from '../routing/runtime.ts'
import type { Contact, Store } from '../store/types.ts'
import { handle } from './handler.ts'
import type { Limiter, LimitOptions } from './limits.ts'

export interface WidgetAvailabilityDeps {
  store: Store
  availability: Pick<AvailabilityService, 'forSite'>
  contacts: ContactCache
  log: Logger
  /** The contact changed: agents' summaries of their conversation show it. */
  contactChanged?(siteId: string, contactId: string): void
  now: () => Date
}

export interface WidgetAvailabilitySocket {
  data: { siteId: string; contactId: string }
  join(room: string): unknown
  on(event: 'contact:email', listener: (payload: unknown, ack: unknown) => void): unknown
}

/** A shopper fixing a typo is fine; a script filling the store with addresses is not. */
export const CONTACT_EMAIL_LIMIT: LimitOptions = { points: 5, duration: 60 }

/** Wires availability pushes and `contact:email` (limited per shopper by `emails`) on one widget socket. */
export function registerWidgetAvailability(
  socket: WidgetAvailabilitySocket,
  deps: WidgetAvailabilityDeps,
  emails: Limiter,
): void {
  const { siteId, contactId } = socket.data
  void socket.join(availabilityRoom(siteId))

  socket.on(
    'contact:email',
    handle('contact:email', ContactEmailSchema, deps.log, async ({ email }) => {
      if (!(await emails.consume(`${siteId}:${contactId}`)))
        throw new AppError('rate_limited', 'too many changes, wait a minute')
      const current = await deps.store.getContact(contactId)
      // A proven address is the shopper's identity (it proves order ownership): a typed one never replaces it.
      if (current?.emailVerified && current.email) return { email: current.email }
      const next: Contact = current
        ? { ...current, email, emailVerified: false }
        : {
            id: contactId,
            siteId,
            name: null,
            email,
            emailVerified: false,
            createdAt: deps.now().toISOString(),
          }
      await deps.store.putContact(next)
      deps.contacts.invalidate(contactId)
      deps.contactChanged?.(siteId, contactId)
      return { email }
    }),
  )
}

/** What `session:ready` carries, or nothing if it cannot be computed now (the widget then assumes open). */
export async function readyAvailability(
  deps: Pick<WidgetAvailabilityDeps, 'availability' | 'log'>,
  siteId: string,
) {
  try {
    return { availability: await deps.availability.forSite(siteId) }
  } catch (error) {
    deps.log.error({ err: error, siteId }, 'availability could not be computed')
    return {}
  }
}
