/** Picks a site's orders adapter from its `orders` source, one instance per distinct source. */
import type { OrdersSource, Site } from '../store/types.ts'
import { HttpOrders } from './http.ts'
import { JsonFileOrders } from './json-file.ts'
import type { OrdersAdapter } from './types.ts'

export interface OrdersFactoryOptions {
  /** HTTP adapters' timeout per call. */
  timeoutMs?: number
}

/** A new adapter for a source. */
export function createOrdersAdapter(source: OrdersSource, options: OrdersFactoryOptions = {}): OrdersAdapter {
  switch (source.kind) {
    case 'json':
      return new JsonFileOrders(source.file)
    case 'http':
      return new HttpOrders({ url: source.url, token: source.token, timeoutMs: options.timeoutMs })
  }
}

/** Adapters by site, rebuilt when a site's source changes (the JSON adapter's file cache survives). */
export class OrdersAdapters {
  readonly #options: OrdersFactoryOptions
  readonly #bySource = new Map<string, OrdersAdapter>()

  constructor(options: OrdersFactoryOptions = {}) {
    this.#options = options
  }

  /** The site's adapter, or null when it has no orders source. */
  forSite(site: Pick<Site, 'orders'>): OrdersAdapter | null {
    if (!site.orders) return null
    const key = JSON.stringify(site.orders)
    let adapter = this.#bySource.get(key)
    if (!adapter) {
      if (this.#bySource.size >= 1000) this.#bySource.clear()
      adapter = createOrdersAdapter(site.orders, this.#options)
      this.#bySource.set(key, adapter)
    }
    return adapter
  }
}
