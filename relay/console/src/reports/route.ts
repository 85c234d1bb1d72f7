/**
 * The reports page's hash route: `#/reports`, with `?site=ID`, `from` and `to` (days, `YYYY-MM-DD`)
 * and `channel`. Anything else is not this page.
 */
import type { Channel } from '../../../../shared/protocol.ts'

export const CHANNELS: readonly Channel[] = ['web', 'email', 'whatsapp', 'messenger', 'api']

export interface ReportsRoute {
  site: string | null
  from: string | null
  to: string | null
  channel: Channel | null
}

const DAY = /^\d{4}-\d{2}-\d{2}$/

export function reportsRouteFromHash(hash: string): ReportsRoute | null {
  const [route = '', query = ''] = hash.replace(/^#/, '').split('?')
  if (route !== '/reports') return null
  const params = new URLSearchParams(query)
  const day = (name: string) => {
    const value = params.get(name)
    return value && DAY.test(value) ? value : null
  }
  const channel = params.get('channel')
  return {
    site: params.get('site'),
    from: day('from'),
    to: day('to'),
    channel: CHANNELS.find((c) => c === channel) ?? null,
  }
}

/** The query string of a report request (and of the page's hash), without empty parts. */
export function reportQuery(route: Omit<ReportsRoute, 'site'>): string {
  const params = new URLSearchParams()
  if (route.from) params.set('from', route.from)
  if (route.to) params.set('to', route.to)
  if (route.channel) params.set('channel', route.channel)
  return params.toString()
}

export function reportsHash(route: ReportsRoute): string {
  const params = new URLSearchParams()
  if (route.site) params.set('site', route.site)
  const query = [params.toString(), reportQuery(route)].filter(Boolean).join('&')
  return `#/reports${query ? `?${query}` : ''}`
}
