/**
 * Reports for a site's agents: `GET /api/sites/:site/reports?from=&to=&channel=` (the figures and a
 * daily series, relay/metrics) and `GET /api/sites/:site/reports.csv` (the same as CSV). Computed
 * from the audit log on each request; definitions in docs/metrics.md.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { ReportQuerySchema } from '../../shared/reports.ts'
import { siteOrThrow } from '../helpdesk/site-settings.ts'
import { reportCsv } from '../metrics/csv.ts'
import { loadRecords } from '../metrics/load.ts'
import { periodOf } from '../metrics/period.ts'
import { computeReport, type ReportInput, reportRows } from '../metrics/report.ts'
import { resolveHelpdesk } from '../sla/site-settings.ts'
import { requireSiteAgent } from './auth-guard.ts'
import { parse, SiteParamsSchema } from './validate.ts'

export async function reportRoutes(app: FastifyInstance): Promise<void> {
  const { store } = app.parley

  /** The checked request as the metrics read it: who may ask, which period, which records. */
  async function inputOf(request: FastifyRequest): Promise<ReportInput> {
    const { site: id } = parse(SiteParamsSchema, request.params)
    await requireSiteAgent(request, id)
    const query = parse(ReportQuerySchema, request.query, 'query')
    const site = await siteOrThrow(store, id)
    // The site's own day: its business-hours time zone when it has one.
    const timeZone = resolveHelpdesk(site).businessHours?.site?.timeZone ?? 'UTC'
    const { from, to } = periodOf(query, app.parley.now(), timeZone)
    const [records, articles] = await Promise.all([loadRecords(store, id, from), store.listArticles(id)])
    return { siteId: id, records, articles, from, to, timeZone, channel: query.channel ?? null }
  }

  app.get('/api/sites/:site/reports', async (request, reply) => {
    const input = await inputOf(request)
    reply.header('Cache-Control', 'no-store')
    return { ok: true, data: computeReport(input) }
  })

  app.get('/api/sites/:site/reports.csv', async (request, reply) => {
    const input = await inputOf(request)
    const day = (d: Date) => d.toISOString().slice(0, 10)
    const name = `parley-${input.siteId}-${day(input.from)}-${day(input.to)}${input.channel ? `-${input.channel}` : ''}.csv`
    reply
      .header('Cache-Control', 'no-store')
      .header('Content-Type', 'text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, '_')}"`)
    return reportCsv(reportRows(input))
  })
}
