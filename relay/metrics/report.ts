/**
 * A site's report for a period (and optionally one channel): the facts of its conversations
 * (relay/metrics/facts.ts) that fall in [from, to), added up, and the same per day in the report's
 * time zone. Pure: the caller loads the records (relay/metrics/load.ts). Definitions: docs/metrics.md.
 */
import { DateTime } from 'luxon'
import type { Channel } from '../../shared/protocol.ts'
import type { DailyFigures, Report, ReportFigures, SlaChannelFigures } from '../../shared/reports.ts'
import { scoreSentiment } from '../bot/sentiment.ts'
import type { Article } from '../store/types.ts'
import {
  type ConversationFacts,
  type ConversationRecord,
  type CycleFact,
  factsOf,
  type RequestFact,
  type ResolutionFact,
  type SentimentScorer,
} from './facts.ts'
import { mean, percentile, round, share } from './stats.ts'

export interface ReportInput {
  siteId: string
  records: readonly ConversationRecord[]
  /** The site's articles, for the widget's helpful votes (verified ones only). */
  articles: readonly Pick<Article, 'verified' | 'helpful' | 'notHelpful'>[]
  from: Date
  to: Date
  channel?: Channel | null
  /** IANA zone of the daily series; default UTC. */
  timeZone?: string
  sentiment?: SentimentScorer
}

/** The facts of one period, already filtered by time and channel. */
interface PeriodFacts {
  created: number
  resolutions: ResolutionFact[]
  cycles: CycleFact[]
  requests: RequestFact[]
}

function prepare(input: ReportInput) {
  const channel = input.channel ?? null
  const sentiment = input.sentiment ?? scoreSentiment
  const all = input.records.map((r) => factsOf(r, sentiment)).filter((f) => !channel || f.channel === channel)
  const from = input.from.getTime()
  const to = input.to.getTime()
  return { all, from, to, channel, timeZone: input.timeZone ?? 'UTC' }
}

export function computeReport(input: ReportInput): Report {
  const { all, from, to, channel, timeZone } = prepare(input)
  return {
    siteId: input.siteId,
    from: input.from.toISOString(),
    to: input.to.toISOString(),
    channel,
    timeZone,
    ...aggregate(inPeriod(all, from, to), input.articles),
    daily: daysOf(from, to, timeZone).map((day) => dailyFigures(day.date, inPeriod(all, day.from, day.to))),
  }
}

/** Every figure for the whole period (`total`), then for each day: the rows of the CSV export. */
export function reportRows(input: ReportInput): { label: string; figures: ReportFigures }[] {
  const { all, from, to, timeZone } = prepare(input)
  return [
    { label: 'total', figures: aggregate(inPeriod(all, from, to), input.articles) },
    ...daysOf(from, to, timeZone).map((day) => ({
      label: day.date,
      figures: aggregate(inPeriod(all, day.from, day.to), input.articles),
    })),
  ]
}

function inPeriod(all: readonly ConversationFacts[], from: number, to: number): PeriodFacts {
  const inside = (at: number) => at >= from && at < to
  return {
    created: all.filter((f) => inside(f.createdAt)).length,
    resolutions: all.flatMap((f) => f.resolutions.filter((r) => inside(r.at))),
    cycles: all.flatMap((f) => f.cycles.filter((c) => inside(c.at))),
    requests: all.flatMap((f) => f.requests.filter((q) => inside(q.at))),
  }
}

function spread(values: readonly number[]) {
  return { count: values.length, medianMs: percentile(values, 0.5), p90Ms: percentile(values, 0.9) }
}

function slaFigures(cycles: readonly CycleFact[]): Omit<SlaChannelFigures, 'channel'> {
  const breached = cycles.filter((c) => c.firstResponseBreached || c.resolutionBreached)
  const decided = cycles.filter((c) => c.resolved || c.firstResponseBreached || c.resolutionBreached)
  return {
    cycles: cycles.length,
    decided: decided.length,
    breached: breached.length,
    firstResponseBreached: cycles.filter((c) => c.firstResponseBreached).length,
    resolutionBreached: cycles.filter((c) => c.resolutionBreached).length,
    compliance: share(decided.length - breached.length, decided.length),
  }
}

function aggregate(p: PeriodFacts, articles: ReportInput['articles']): ReportFigures {
  const answered = p.cycles.flatMap((c) => (c.firstResponseMs === null ? [] : [c.firstResponseMs]))
  const rated = p.resolutions.flatMap((r) => (r.csat === null ? [] : [r.csat]))
  const eligible = p.resolutions.filter((r) => r.channel === 'web')
  const self = p.resolutions.filter((r) => r.selfService)
  const human = p.resolutions.filter((r) => !r.selfService)
  const efforts = human.flatMap((r) => (r.effort === null ? [] : [r.effort]))
  const moods = p.resolutions.flatMap((r) => (r.sentiment ? [r.sentiment] : []))
  const shifts = moods.map((m) => round(m.end - m.start, 3))
  const acted = p.requests.flatMap((q) => (q.action ? [q.action] : []))
  const verified = articles.filter((a) => a.verified)
  const helpful = verified.reduce((n, a) => n + (a.helpful ?? 0), 0)
  const notHelpful = verified.reduce((n, a) => n + (a.notHelpful ?? 0), 0)
  const channels = [...new Set(p.cycles.map((c) => c.channel))].sort()
  return {
    conversations: p.created,
    resolutions: p.resolutions.length,
    firstResponse: {
      ...spread(answered),
      cycles: p.cycles.length,
      unanswered: p.cycles.length - answered.length,
    },
    resolutionTime: spread(p.resolutions.map((r) => r.durationMs)),
    sla: {
      overall: slaFigures(p.cycles),
      channels: channels.map((channel) => ({
        channel,
        ...slaFigures(p.cycles.filter((c) => c.channel === channel)),
      })),
    },
    csat: {
      responses: rated.length,
      eligible: eligible.length,
      responseRate: share(eligible.filter((r) => r.csat !== null).length, eligible.length),
      average: mean(rated, 2),
      satisfiedShare: share(rated.filter((s) => s >= 4).length, rated.length),
    },
    selfService: {
      resolutions: p.resolutions.length,
      selfService: self.length,
      rate: share(self.length, p.resolutions.length),
      helpfulVotes: helpful,
      notHelpfulVotes: notHelpful,
      helpfulShare: share(helpful, helpful + notHelpful),
    },
    sentiment: {
      conversations: moods.length,
      averageStart: mean(moods.map((m) => m.start)),
      averageEnd: mean(moods.map((m) => m.end)),
      averageShift: mean(shifts),
      improved: shifts.filter((s) => s > 0).length,
      worsened: shifts.filter((s) => s < 0).length,
      unchanged: shifts.filter((s) => s === 0).length,
    },
    effort: {
      humanResolutions: human.length,
      ratings: efforts.length,
      responseRate: share(efforts.length, human.length),
      average: mean(efforts, 2),
      actionsPerResolution: mean(
        human.map((r) => r.actions),
        2,
      ),
    },
    contactToAction: {
      requests: p.requests.length,
      acted: acted.length,
      averageMessages: mean(
        acted.map((a) => a.messages),
        2,
      ),
      averageTransfers: mean(
        acted.map((a) => a.transfers),
        2,
      ),
      averageMinutes: mean(
        acted.map((a) => a.minutes),
        1,
      ),
    },
  }
}

function dailyFigures(date: string, p: PeriodFacts): DailyFigures {
  const rated = p.resolutions.flatMap((r) => (r.csat === null ? [] : [r.csat]))
  const answered = p.cycles.flatMap((c) => (c.firstResponseMs === null ? [] : [c.firstResponseMs]))
  return {
    date,
    conversations: p.created,
    resolutions: p.resolutions.length,
    selfService: p.resolutions.filter((r) => r.selfService).length,
    csatResponses: rated.length,
    csatAverage: mean(rated, 2),
    firstResponseMedianMs: percentile(answered, 0.5),
    slaBreaches: p.cycles.filter((c) => c.firstResponseBreached || c.resolutionBreached).length,
  }
}

/** The calendar days in `zone` that [from, to) touches, each clipped to the period. */
export function daysOf(from: number, to: number, zone: string): { date: string; from: number; to: number }[] {
  const days: { date: string; from: number; to: number }[] = []
  let day = DateTime.fromMillis(from, { zone }).startOf('day')
  while (day.toMillis() < to) {
    const next = day.plus({ days: 1 })
    days.push({
      date: day.toISODate() ?? '',
      from: Math.max(from, day.toMillis()),
      to: Math.min(to, next.toMillis()),
    })
    day = next
  }
  return days
}
