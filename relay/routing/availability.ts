/**
 * Whether a shopper can expect a person: inside the site's business hours and with an agent
 * online. Computed when a widget connects, again when presence changes and on every tick (hours
 * open and close by themselves); pushed to the site's widgets only when it flips.
 */
import type { Availability } from '../../shared/helpdesk.ts'
import type { Logger } from '../conversations/service.ts'
import { calendarFor, isOpen, nextOpening } from '../sla/business-hours.ts'
import { resolveHelpdesk } from '../sla/site-settings.ts'
import type { Store } from '../store/types.ts'

export interface AvailabilityDeps {
  store: Store
  /** Whether any agent of the site is online (away does not count). */
  anyOnline(siteId: string): boolean
  now: () => Date
  log: Logger
  /** Delivers a change to the site's widgets. */
  push(siteId: string, availability: Availability): void
}

function same(a: Availability, b: Availability): boolean {
  return a.open === b.open && a.agentsOnline === b.agentsOnline && a.backAt === b.backAt
}

export class AvailabilityService {
  readonly #deps: AvailabilityDeps
  /** The last value each site's widgets were given. */
  readonly #last = new Map<string, Availability>()

  constructor(deps: AvailabilityDeps) {
    this.#deps = deps
  }

  /** A site's availability now (what `session:ready` carries). */
  async forSite(siteId: string): Promise<Availability> {
    const availability = await this.#compute(siteId)
    if (!this.#last.has(siteId)) this.#last.set(siteId, availability)
    return availability
  }

  /** Recomputes a site's availability and pushes it if it changed. */
  async refresh(siteId: string): Promise<void> {
    const before = this.#last.get(siteId)
    // A site no widget has asked about yet has nobody to tell.
    if (!before) return
    const next = await this.#compute(siteId)
    if (same(before, next)) return
    this.#last.set(siteId, next)
    this.#deps.push(siteId, next)
  }

  /** Refreshes every site a widget has asked about. */
  async tick(): Promise<void> {
    for (const siteId of [...this.#last.keys()]) await this.refresh(siteId)
  }

  async #compute(siteId: string): Promise<Availability> {
    const now = this.#deps.now()
    const settings = resolveHelpdesk(await this.#deps.store.getSite(siteId))
    const calendar = calendarFor(settings.businessHours, null)
    const open = isOpen(now, calendar)
    let backAt: string | null = null
    if (!open) {
      try {
        backAt = nextOpening(now, calendar)?.toISOString() ?? null
      } catch (error) {
        this.#deps.log.error({ err: error, siteId }, 'next opening could not be computed')
      }
    }
    return { open, agentsOnline: this.#deps.anyOnline(siteId), backAt }
  }
}
