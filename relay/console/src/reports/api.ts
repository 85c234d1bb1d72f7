/** The reports HTTP API as the console calls it (same origin, the session cookie). */
import type { Report } from '../../../../shared/reports.ts'
import { sendJson } from '../http.ts'
import { fetchSites, type SiteRef } from '../sites.tsx'
import { type ReportsRoute, reportQuery } from './route.ts'

export type { SiteRef }

const base = (siteId: string) => `/api/sites/${encodeURIComponent(siteId)}/reports`

/** Where "Download CSV" points: the same period and channel as the page. */
export function csvUrl(siteId: string, route: Omit<ReportsRoute, 'site'>): string {
  const query = reportQuery(route)
  return `${base(siteId)}.csv${query ? `?${query}` : ''}`
}

export function createReportsApi(fetchImpl: typeof fetch = (...args) => fetch(...args)) {
  return {
    sites: () => fetchSites(fetchImpl),
    report: (siteId: string, route: Omit<ReportsRoute, 'site'>) => {
      const query = reportQuery(route)
      return sendJson<Report>(fetchImpl, 'GET', `${base(siteId)}${query ? `?${query}` : ''}`)
    },
  }
}

export type ReportsApi = ReturnType<typeof createReportsApi>
