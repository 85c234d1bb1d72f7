/**
 * Prometheus figures for operators (`GET /metrics`, relay/http/metrics-routes.ts): per site, the
 * conversations open now and the report's figures over the trailing 24 hours, plus the process's
 * default metrics. Computed from the audit log at scrape time (at most once per `cacheMs`), on a
 * registry of this relay's own. Labels are site keys, channels, statuses and quantiles only: never a
 * secret, a name or anything a shopper wrote.
 */
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client'
import { ConversationStatusSchema } from '../../shared/protocol.ts'
import type { Store } from '../store/types.ts'
import { loadRecords } from './load.ts'
import { computeReport } from './report.ts'

export const WINDOW_MS = 24 * 60 * 60 * 1000
const SCAN_LIMIT = 100_000

export interface PrometheusMetrics {
  readonly contentType: string
  /** The exposition text, recomputed when older than `cacheMs`. */
  scrape(): Promise<string>
}

export function createPrometheusMetrics(deps: {
  store: Store
  now: () => Date
  cacheMs?: number
}): PrometheusMetrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'parley_' })
  const gauge = (name: string, help: string, labelNames: string[]) =>
    new Gauge({ name, help, labelNames, registers: [registry] })
  const day = '(last 24 hours)'
  const g = {
    open: gauge('parley_conversations_open', 'Conversations not resolved, by status', ['site', 'status']),
    started: gauge('parley_conversations_started', `Conversations created ${day}`, ['site']),
    resolutions: gauge('parley_resolutions', `Resolutions ${day}`, ['site']),
    selfService: gauge('parley_self_service_rate', `Self-service resolutions / resolutions ${day}`, ['site']),
    firstResponse: gauge('parley_first_response_seconds', `First human reply after handoff ${day}`, [
      'site',
      'quantile',
    ]),
    resolution: gauge('parley_resolution_seconds', `Time to resolution ${day}`, ['site', 'quantile']),
    slaCycles: gauge('parley_sla_cycles', `Human cycles started ${day}`, ['site', 'channel']),
    slaBreached: gauge('parley_sla_breached', `Cycles started ${day} with an SLA breach`, [
      'site',
      'channel',
    ]),
    slaCompliance: gauge('parley_sla_compliance_ratio', `Decided cycles without a breach ${day}`, [
      'site',
      'channel',
    ]),
    csatAverage: gauge('parley_csat_average', `Average CSAT score, 1-5 ${day}`, ['site']),
    csatResponses: gauge('parley_csat_responses', `CSAT ratings ${day}`, ['site']),
    csatSatisfied: gauge('parley_csat_satisfied_ratio', `CSAT ratings of 4 or 5 / ratings ${day}`, ['site']),
    csatRate: gauge('parley_csat_response_ratio', `Rated web resolutions / web resolutions ${day}`, ['site']),
    sentimentShift: gauge(
      'parley_sentiment_shift_average',
      `Shopper sentiment, last - first message ${day}`,
      ['site'],
    ),
    effort: gauge('parley_agent_effort_average', `Agent effort rating, 1 low - 5 high ${day}`, ['site']),
    actions: gauge('parley_agent_actions_per_resolution', `Agent actions per human resolution ${day}`, [
      'site',
    ]),
    messagesBefore: gauge(
      'parley_contact_messages_before_action',
      `Shopper messages before the first meaningful action ${day}`,
      ['site'],
    ),
    transfersBefore: gauge(
      'parley_transfers_before_action',
      `Transfers before the first meaningful action ${day}`,
      ['site'],
    ),
    minutesBefore: gauge(
      'parley_minutes_before_action',
      `Minutes before the first meaningful action ${day}`,
      ['site'],
    ),
  }
  const cacheMs = deps.cacheMs ?? 15_000
  let cached: { at: number; text: Promise<string> } | null = null

  /** Sets a gauge unless there was nothing to measure (a missing series, not a false zero). */
  const put = (gauge: Gauge, labels: Record<string, string>, value: number | null) => {
    if (value !== null) gauge.set(labels, value)
  }
  const seconds = (ms: number | null) => (ms === null ? null : ms / 1000)

  async function refresh(): Promise<string> {
    for (const gauge of Object.values(g)) gauge.reset()
    const now = deps.now()
    const from = new Date(now.getTime() - WINDOW_MS)
    for (const site of await deps.store.listSites()) {
      const s = { site: site.id }
      const open = await deps.store.listConversations({
        siteIds: [site.id],
        statuses: ['bot', 'queued', 'assigned'],
        limit: SCAN_LIMIT,
      })
      for (const status of ConversationStatusSchema.options.filter((x) => x !== 'resolved')) {
        g.open.set({ ...s, status }, open.filter((c) => c.status === status).length)
      }
      const [records, articles] = await Promise.all([
        loadRecords(deps.store, site.id, from),
        deps.store.listArticles(site.id),
      ])
      const r = computeReport({ siteId: site.id, records, articles, from, to: now })
      g.started.set(s, r.conversations)
      g.resolutions.set(s, r.resolutions)
      put(g.selfService, s, r.selfService.rate)
      put(g.firstResponse, { ...s, quantile: '0.5' }, seconds(r.firstResponse.medianMs))
      put(g.firstResponse, { ...s, quantile: '0.9' }, seconds(r.firstResponse.p90Ms))
      put(g.resolution, { ...s, quantile: '0.5' }, seconds(r.resolutionTime.medianMs))
      put(g.resolution, { ...s, quantile: '0.9' }, seconds(r.resolutionTime.p90Ms))
      for (const c of r.sla.channels) {
        const labels = { ...s, channel: c.channel }
        g.slaCycles.set(labels, c.cycles)
        g.slaBreached.set(labels, c.breached)
        put(g.slaCompliance, labels, c.compliance)
      }
      put(g.csatAverage, s, r.csat.average)
      g.csatResponses.set(s, r.csat.responses)
      put(g.csatSatisfied, s, r.csat.satisfiedShare)
      put(g.csatRate, s, r.csat.responseRate)
      put(g.sentimentShift, s, r.sentiment.averageShift)
      put(g.effort, s, r.effort.average)
      put(g.actions, s, r.effort.actionsPerResolution)
      put(g.messagesBefore, s, r.contactToAction.averageMessages)
      put(g.transfersBefore, s, r.contactToAction.averageTransfers)
      put(g.minutesBefore, s, r.contactToAction.averageMinutes)
    }
    return registry.metrics()
  }

  return {
    contentType: registry.contentType,
    scrape() {
      const at = Date.now()
      if (!cached || at - cached.at >= cacheMs) {
        const text = refresh()
        cached = { at, text }
        // A failed scrape is not kept: the next one tries again.
        text.catch(() => {
          if (cached?.text === text) cached = null
        })
      }
      return cached.text
    },
  }
}
