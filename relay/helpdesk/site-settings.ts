/**
 * Read-modify-write of a site's helpdesk settings (macros, teams). The store replaces a site whole,
 * so two edits at once must not both start from the same copy: they run one after another per
 * store and site. One node only; a cluster needs the store to offer an atomic site update.
 */
import { AppError } from '../errors.ts'
import type { HelpdeskSettings, Site, Store } from '../store/types.ts'
import { KeyedQueue } from '../util/keyed-queue.ts'

const queues = new WeakMap<Store, KeyedQueue>()

function queueFor(store: Store): KeyedQueue {
  let queue = queues.get(store)
  if (!queue) {
    queue = new KeyedQueue()
    queues.set(store, queue)
  }
  return queue
}

/** A site by id, or `not_found`. */
export async function siteOrThrow(store: Pick<Store, 'getSite'>, siteId: string): Promise<Site> {
  const site = await store.getSite(siteId)
  if (!site) throw new AppError('not_found', 'no such site')
  return site
}

/** Changes a site record through the same per-site queue (identity settings and the like). */
export function updateSite<T>(
  store: Store,
  siteId: string,
  change: (site: Site) => { site: Site; result: T },
): Promise<T> {
  return queueFor(store).run(siteId, async () => {
    const { site, result } = change(await siteOrThrow(store, siteId))
    await store.putSite(site)
    return result
  })
}

/**
 * Changes a site's helpdesk settings: `change` gets the current settings and returns the next ones
 * and a result; nothing is written when it throws.
 */
export function updateHelpdesk<T>(
  store: Store,
  siteId: string,
  change: (helpdesk: HelpdeskSettings, site: Site) => { helpdesk: HelpdeskSettings; result: T },
): Promise<T> {
  return queueFor(store).run(siteId, async () => {
    const site = await siteOrThrow(store, siteId)
    const { helpdesk, result } = change(site.helpdesk ?? {}, site)
    await store.putSite({ ...site, helpdesk })
    return result
  })
}
