/**
 * Reports on the wire: the query of `GET /api/sites/:site/reports` (and `.csv`) and the figures it
 * answers with. Every definition is in docs/metrics.md and relay/metrics/facts.ts. Durations are
 * milliseconds, rates are shares in 0..1, null where nothing was there to measure.
 */
import { z } from 'zod'
import { type Channel, ChannelSchema } from './protocol.ts'

/** `YYYY-MM-DD` (a day in the report's time zone) or an ISO date-time. */
const BoundSchema = z.union([z.iso.date(), z.iso.datetime({ offset: true })])

export const ReportQuerySchema = z.object({
  /** Inclusive; default 29 days before `to`'s day. */
  from: BoundSchema.optional(),
  /** A day is inclusive (up to its end), a date-time exclusive; default today. */
  to: BoundSchema.optional(),
  channel: ChannelSchema.optional(),
})
export type ReportQuery = z.infer<typeof ReportQuerySchema>

/** Median and 90th percentile (nearest rank) of some durations. */
export interface Spread {
  count: number
  medianMs: number | null
  p90Ms: number | null
}

export interface SlaChannelFigures {
  channel: Channel
  /** Human cycles (handoffs, reopens to the queue) started in the period. */
  cycles: number
  /** Of those, the ones whose outcome is known: resolved, or breached. */
  decided: number
  breached: number
  firstResponseBreached: number
  resolutionBreached: number
  /** Decided cycles without a breach, over decided cycles. */
  compliance: number | null
}

export interface ReportFigures {
  conversations: number
  resolutions: number
  firstResponse: Spread & { cycles: number; unanswered: number }
  resolutionTime: Spread
  sla: { overall: Omit<SlaChannelFigures, 'channel'>; channels: SlaChannelFigures[] }
  csat: {
    responses: number
    /** Resolutions the shopper could rate (web chat). */
    eligible: number
    responseRate: number | null
    average: number | null
    /** Ratings of 4 or 5, over responses. */
    satisfiedShare: number | null
  }
  selfService: {
    resolutions: number
    /** Resolved with no handoff, no assignment and no agent reply. */
    selfService: number
    rate: number | null
    /** Widget votes on the site's verified articles, all time (votes carry no date). */
    helpfulVotes: number
    notHelpfulVotes: number
    helpfulShare: number | null
  }
  sentiment: {
    /** Resolutions whose shopper wrote at least two messages. */
    conversations: number
    averageStart: number | null
    averageEnd: number | null
    averageShift: number | null
    improved: number
    worsened: number
    unchanged: number
  }
  effort: {
    /** Resolutions a person worked on. */
    humanResolutions: number
    ratings: number
    responseRate: number | null
    average: number | null
    actionsPerResolution: number | null
  }
  contactToAction: {
    /** Requests (a conversation's start or a reopen, with a shopper message) in the period. */
    requests: number
    acted: number
    averageMessages: number | null
    averageTransfers: number | null
    averageMinutes: number | null
  }
}

/** One day of the series (the report's time zone). */
export interface DailyFigures {
  date: string
  conversations: number
  resolutions: number
  selfService: number
  csatResponses: number
  csatAverage: number | null
  firstResponseMedianMs: number | null
  slaBreaches: number
}

export interface Report extends ReportFigures {
  siteId: string
  /** The period, `from` inclusive and `to` exclusive, as ISO date-times. */
  from: string
  to: string
  channel: Channel | null
  timeZone: string
  daily: DailyFigures[]
}
