/**
 * Read-modify-write of a site's settings (policy, identity, helpdesk: macros, teams, SLA). Each
 * change runs inside the store's atomic `updateSite`, so two edits at once — on one node or on
 * several — never both start from the same copy, and a change that throws stores nothing.
 */
import { AppError } from '../errors.ts'
import type { HelpdeskSettings, Site, Store } from '../store/types.ts'

/** A site by id, or `not_found`. */
export async function siteOrThrow(store: Pick<Store, 'getSite'>, siteId: string): Promise<Site> {
  const site = await store.getSite(siteId)
  if (!site) throw new AppError('not_found', 'no such site')
  return site
}

/** Changes a site record atomically (identity settings and the like); `not_found` when there is none. */
export async function updateSite<T>(
  store: Pick<Store, 'updateSite'>,
  siteId: string,
  change: (site: Site) => { site: Site; result: T },
): Promise<T> {
  // `change` runs once, inside the update, when the site exists; its result is kept here.
  const box: { outcome?: { result: T } } = {}
  const stored = await store.updateSite(siteId, (current) => {
    const { site, result } = change(current)
    box.outcome = { result }
    return site
  })
  if (!stored || !box.outcome) throw new AppError('not_found', 'no such site')
  return box.outcome.result
}

/**
 * Changes a site's helpdesk settings: `change` gets the current settings and returns the next ones
 * and a result; nothing is written when it throws.
 */
export function updateHelpdesk<T>(
  store: Pick<Store, 'updateSite'>,
  siteId: string,
  change: (helpdesk: HelpdeskSettings, site: Site) => { helpdesk: HelpdeskSettings; result: T },
): Promise<T> {
  return updateSite(store, siteId, (site) => {
    const { helpdesk, result } = change(site.helpdesk ?? {}, site)
    return { site: { ...site, helpdesk }, result }
  })
}
