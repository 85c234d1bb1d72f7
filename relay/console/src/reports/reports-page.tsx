/**
 * Reports: a site's figures for a period (and a channel) as cards, the daily series as a chart,
 * SLA compliance per channel, and "Download CSV" of the same. Read from `GET /api/sites/:site/reports`
 * (relay/metrics; definitions in docs/metrics.md). A lazy chunk: loaded the first time it is shown.
 */
import type { ComponentChildren } from 'preact'
import { useMemo, useState } from 'preact/hooks'
import type { Channel } from '../../../../shared/protocol.ts'
import type { DailyFigures, Report } from '../../../../shared/reports.ts'
import type { MessageKey } from '../i18n.ts'
import { useRemote } from '../settings/use-remote.ts'
import { useI18n } from '../views/context.ts'
import { createReportsApi, csvUrl, type ReportsApi, type SiteRef } from './api.ts'
import { DailyChart, type Series } from './daily-chart.tsx'
import { DASH, dayIn, decimal, duration, percent } from './format.ts'
import { CHANNELS, type ReportsRoute, reportsHash } from './route.ts'
import './reports.css'
import { SitePicker, siteOf, useSites } from '../sites.tsx'

interface Props {
  route: ReportsRoute
  api?: ReportsApi
}

export function ReportsPage({ route, api: given }: Props) {
  const { t } = useI18n()
  const api = useMemo(() => given ?? createReportsApi(), [given])
  const { sites, failure } = useSites(api.sites)

  if (failure)
    return (
      <main class="reports-page" id="conversation">
        <p role="alert">{failure}</p>
      </main>
    )
  if (!sites) return <main class="reports-page muted">{t('kb.loading')}</main>
  if (sites.length === 0) return <main class="reports-page muted">{t('kb.noSites')}</main>
  const siteId = siteOf(sites, route.site)
  return <SiteReport api={api} route={{ ...route, site: siteId }} siteId={siteId} sites={sites} />
}

function SiteReport({
  api,
  route,
  siteId,
  sites,
}: {
  api: ReportsApi
  route: ReportsRoute
  siteId: string
  sites: SiteRef[]
}) {
  const { t, locale, error: describe } = useI18n()
  const { from, to, channel } = route
  const remote = useRemote(() => api.report(siteId, { from, to, channel }), [api, siteId, from, to, channel])
  const report = remote.data
  const go = (patch: Partial<ReportsRoute>) => {
    location.hash = reportsHash({ ...route, ...patch })
  }
  const shownFrom = from ?? (report ? dayIn(report.from, report.timeZone) : '')
  const shownTo = to ?? (report ? dayIn(Date.parse(report.to) - 1, report.timeZone) : '')

  return (
    <main class="reports-page" id="conversation" aria-labelledby="reports-title">
      <h2 id="reports-title">{t('reports.title')}</h2>
      <form class="report-controls" onSubmit={(e) => e.preventDefault()}>
        <SitePicker sites={sites} siteId={siteId} onPick={(site) => go({ site })} class="" />
        <label>
          <span>{t('reports.from')}</span>
          <input
            type="date"
            value={shownFrom}
            max={shownTo}
            onChange={(e) => go({ from: e.currentTarget.value || null })}
          />
        </label>
        <label>
          <span>{t('reports.to')}</span>
          <input
            type="date"
            value={shownTo}
            min={shownFrom}
            onChange={(e) => go({ to: e.currentTarget.value || null })}
          />
        </label>
        <label>
          <span>{t('reports.channel')}</span>
          <select
            value={channel ?? ''}
            onChange={(e) => go({ channel: (e.currentTarget.value || null) as Channel | null })}
          >
            <option value="">{t('reports.allChannels')}</option>
            {CHANNELS.map((c) => (
              <option key={c} value={c}>
                {t(`channel.${c}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <a class="btn" href={csvUrl(siteId, { from, to, channel })} download>
          {t('reports.csv')}
        </a>
      </form>
      {remote.error ? (
        <p role="alert">{describe(remote.error)}</p>
      ) : !report ? (
        <p class="muted" aria-busy="true">
          {t('kb.loading')}
        </p>
      ) : (
        <Figures report={report} locale={locale} busy={remote.loading} />
      )}
    </main>
  )
}

function Card({
  id,
  title,
  figure,
  children,
}: {
  id: string
  title: string
  figure: string
  children?: ComponentChildren
}) {
  return (
    <section class="report-card" aria-labelledby={`card-${id}`}>
      <h3 id={`card-${id}`}>{title}</h3>
      <p class="report-figure">{figure}</p>
      {children && <p class="muted report-detail">{children}</p>}
    </section>
  )
}

function Figures({ report: r, locale, busy }: { report: Report; locale: string; busy: boolean }) {
  const { t } = useI18n()
  const n = (v: number | null, digits = 1) => decimal(v, digits, locale)
  const series: Record<string, Series> = {
    conversations: {
      label: t('reports.conversations'),
      value: (d) => d.conversations,
      format: (v) => n(v, 0),
    },
    resolutions: { label: t('reports.resolutions'), value: (d) => d.resolutions, format: (v) => n(v, 0) },
    csat: { label: t('reports.csat'), value: (d: DailyFigures) => d.csatAverage, format: (v) => n(v, 2) },
    firstResponse: {
      label: t('reports.firstResponse'),
      value: (d) => d.firstResponseMedianMs,
      format: duration,
    },
    breaches: { label: t('reports.slaBreaches'), value: (d) => d.slaBreaches, format: (v) => n(v, 0) },
  }
  const [picked, setPicked] = useState('conversations')
  const shown = series[picked] ?? (series.conversations as Series)
  return (
    <div aria-busy={busy}>
      <div class="report-cards">
        <Card id="conversations" title={t('reports.conversations')} figure={n(r.conversations, 0)}>
          {t('reports.resolvedCount', { count: r.resolutions })}
        </Card>
        <Card
          id="first-response"
          title={t('reports.firstResponse')}
          figure={duration(r.firstResponse.medianMs)}
        >
          {t('reports.p90', { time: duration(r.firstResponse.p90Ms) })} ·{' '}
          {t('reports.waiting', { count: r.firstResponse.unanswered })}
        </Card>
        <Card
          id="resolution"
          title={t('reports.resolutionTime')}
          figure={duration(r.resolutionTime.medianMs)}
        >
          {t('reports.p90', { time: duration(r.resolutionTime.p90Ms) })}
        </Card>
        <Card id="sla" title={t('reports.sla')} figure={percent(r.sla.overall.compliance, locale)}>
          {t('reports.breachedOf', { breached: r.sla.overall.breached, decided: r.sla.overall.decided })}
        </Card>
        <Card
          id="csat"
          title={t('reports.csat')}
          figure={r.csat.average === null ? DASH : `${n(r.csat.average)} / 5`}
        >
          {t('reports.csatDetail', {
            satisfied: percent(r.csat.satisfiedShare, locale),
            rate: percent(r.csat.responseRate, locale),
            count: r.csat.responses,
          })}
        </Card>
        <Card id="self-service" title={t('reports.selfService')} figure={percent(r.selfService.rate, locale)}>
          {t('reports.selfServiceDetail', {
            count: r.selfService.selfService,
            helpful: percent(r.selfService.helpfulShare, locale),
            votes: r.selfService.helpfulVotes + r.selfService.notHelpfulVotes,
          })}
        </Card>
        <Card
          id="sentiment"
          title={t('reports.sentiment')}
          figure={decimal(r.sentiment.averageShift, 2, locale, true)}
        >
          {t('reports.sentimentDetail', {
            start: decimal(r.sentiment.averageStart, 2, locale),
            end: decimal(r.sentiment.averageEnd, 2, locale),
            count: r.sentiment.conversations,
          })}
        </Card>
        <Card
          id="effort"
          title={t('reports.effort')}
          figure={r.effort.average === null ? DASH : `${n(r.effort.average)} / 5`}
        >
          {t('reports.effortDetail', {
            actions: n(r.effort.actionsPerResolution),
            count: r.effort.ratings,
          })}
        </Card>
        <Card
          id="contact-to-action"
          title={t('reports.contactToAction')}
          figure={n(r.contactToAction.averageMessages)}
        >
          {t('reports.contactToActionDetail', {
            transfers: n(r.contactToAction.averageTransfers),
            minutes: n(r.contactToAction.averageMinutes),
          })}
        </Card>
      </div>

      <section class="report-section" aria-labelledby="daily-title">
        <div class="report-section-head">
          <h3 id="daily-title">{t('reports.daily')}</h3>
          <label>
            <span class="visually-hidden">{t('reports.series')}</span>
            <select value={picked} onChange={(e) => setPicked(e.currentTarget.value)}>
              {Object.entries(series).map(([key, s]) => (
                <option key={key} value={key}>
                  {s.label}
                </option>
              ))}
            </select>
          </label>
        </div>
        <DailyChart days={r.daily} series={shown} title={t('reports.daily')} />
      </section>

      <section class="report-section" aria-labelledby="sla-title">
        <h3 id="sla-title">{t('reports.slaByChannel')}</h3>
        {r.sla.channels.length === 0 ? (
          <p class="muted">{t('reports.noCycles')}</p>
        ) : (
          <table class="report-table">
            <thead>
              <tr>
                <th scope="col">{t('reports.channel')}</th>
                <th scope="col">{t('reports.cycles')}</th>
                <th scope="col">{t('reports.breached')}</th>
                <th scope="col">{t('reports.sla')}</th>
              </tr>
            </thead>
            <tbody>
              {r.sla.channels.map((c) => (
                <tr key={c.channel}>
                  <th scope="row">{t(`channel.${c.channel}` as MessageKey)}</th>
                  <td>{c.cycles}</td>
                  <td>{c.breached}</td>
                  <td>{percent(c.compliance, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <p class="muted report-note">{t('reports.note', { zone: r.timeZone })}</p>
    </div>
  )
}
