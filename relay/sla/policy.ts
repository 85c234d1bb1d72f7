/**
 * SLA policies per site, by channel and priority, and the pure SLA computation: due times, time
 * left, state, and which breach events are still to be recorded. Both clocks start when a human
 * becomes responsible (the handoff): time with the bot is self-service, not a promise the team made,
 * and bot replies never count as the first response.
 *
 * Default targets (normal priority, from common practice) and the priority scale:
 *
 * | channel                      | first response | resolution |
 * |------------------------------|----------------|------------|
 * | web (live chat)              | 2 min          | 1 h        |
 * | whatsapp, messenger (social) | 4 h            | 24 h       |
 * | email, api (asynchronous)    | 24 h           | 72 h       |
 *
 * | priority | × normal | chat FR / res  | social FR / res | email, api FR / res |
 * |----------|----------|----------------|-----------------|---------------------|
 * | urgent   | 0.25     | 30 s / 15 min  | 1 h / 6 h       | 6 h / 18 h          |
 * | high     | 0.5      | 1 min / 30 min | 2 h / 12 h      | 12 h / 36 h         |
 * | normal   | 1        | 2 min / 1 h    | 4 h / 24 h      | 24 h / 72 h         |
 * | low      | 2        | 4 min / 2 h    | 8 h / 48 h      | 48 h / 144 h        |
 *
 * `api` (the signed webhook) is asynchronous like email, so it gets email's targets. Every default
 * runs in business hours; with no calendar for the site that is simply wall-clock time.
 */
import { z } from 'zod'
import { type Channel, ChannelSchema, type Priority, PrioritySchema } from '../../shared/protocol.ts'
import { addBusinessTime, type BusinessCalendar, businessTimeBetween } from './business-hours.ts'

const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE
const MAX_TARGET_MS = 365 * 24 * HOUR

export const CHANNELS = ChannelSchema.options
export const PRIORITIES = PrioritySchema.options

/** Normal-priority targets per channel. */
export const BASE_TARGETS: Readonly<Record<Channel, SlaTarget>> = {
  web: { firstResponseMs: 2 * MINUTE, resolutionMs: HOUR },
  whatsapp: { firstResponseMs: 4 * HOUR, resolutionMs: 24 * HOUR },
  messenger: { firstResponseMs: 4 * HOUR, resolutionMs: 24 * HOUR },
  email: { firstResponseMs: 24 * HOUR, resolutionMs: 72 * HOUR },
  api: { firstResponseMs: 24 * HOUR, resolutionMs: 72 * HOUR },
}

/** How each priority scales the normal target. */
export const PRIORITY_SCALE: Readonly<Record<Priority, number>> = {
  urgent: 0.25,
  high: 0.5,
  normal: 1,
  low: 2,
}

export const DEFAULT_NEAR_BREACH_RATIO = 0.2

export interface SlaTarget {
  firstResponseMs: number
  resolutionMs: number
}

const TargetMsSchema = z.number().int().positive().max(MAX_TARGET_MS)

/** What an admin configures; everything left out takes the default above. */
export const SlaPolicyConfigSchema = z.object({
  /** Near breach: less than this share of the target is left. */
  nearBreachRatio: z.number().gt(0).lt(1).optional(),
  /** Whether the clocks count only business hours; per channel below overrides it. */
  businessHours: z.boolean().optional(),
  channels: z
    .partialRecord(
      ChannelSchema,
      z.object({
        businessHours: z.boolean().optional(),
        targets: z
          .partialRecord(
            PrioritySchema,
            z.object({ firstResponseMs: TargetMsSchema.optional(), resolutionMs: TargetMsSchema.optional() }),
          )
          .optional(),
      }),
    )
    .optional(),
})
export type SlaPolicyConfig = z.infer<typeof SlaPolicyConfigSchema>

export interface ChannelSla {
  businessHours: boolean
  targets: Record<Priority, SlaTarget>
}

/** A complete policy: every channel and priority has its targets. */
export interface SlaPolicy {
  nearBreachRatio: number
  channels: Record<Channel, ChannelSla>
}

function fill(config: SlaPolicyConfig): SlaPolicy {
  const channels = Object.fromEntries(
    CHANNELS.map((channel) => {
      const own = config.channels?.[channel]
      const base = BASE_TARGETS[channel]
      const targets = Object.fromEntries(
        PRIORITIES.map((p) => {
          const set = own?.targets?.[p]
          return [
            p,
            {
              firstResponseMs: set?.firstResponseMs ?? base.firstResponseMs * PRIORITY_SCALE[p],
              resolutionMs: set?.resolutionMs ?? base.resolutionMs * PRIORITY_SCALE[p],
            },
          ]
        }),
      ) as Record<Priority, SlaTarget>
      return [channel, { businessHours: own?.businessHours ?? config.businessHours ?? true, targets }]
    }),
  ) as Record<Channel, ChannelSla>
  return { nearBreachRatio: config.nearBreachRatio ?? DEFAULT_NEAR_BREACH_RATIO, channels }
}

/** Parses a site's configuration into a complete policy (defaults filled in). */
export const SlaPolicySchema = SlaPolicyConfigSchema.transform(fill).superRefine((policy, ctx) => {
  for (const channel of CHANNELS) {
    for (const p of PRIORITIES) {
      const t = policy.channels[channel].targets[p]
      if (t.resolutionMs < t.firstResponseMs) {
        ctx.addIssue({
          code: 'custom',
          message: `${channel}/${p}: the resolution target is shorter than the first-response target`,
          path: ['channels', channel, 'targets', p],
        })
      }
    }
  }
})

export const DEFAULT_SLA_POLICY: SlaPolicy = fill({})

/** What the SLA is computed from, for the current human cycle (taken from audit events and messages). */
export interface SlaFacts {
  channel: Channel
  priority: Priority
  /** When a human became responsible (handoff, or a reopen that went to the queue); null while bot-only. */
  handoffAt: Date | null
  /** The first message an agent sent to the shopper after `handoffAt`. */
  firstAgentMessageAt: Date | null
  resolvedAt: Date | null
}

export type SlaState = 'ok' | 'near_breach' | 'breached' | 'met'

export interface SlaClock {
  targetMs: number
  dueAt: Date
  /** When the clock stopped (first agent message, resolution); null while it runs. */
  stoppedAt: Date | null
  state: SlaState
  /** Running: time left now; stopped: the margin it was met by. Negative when late; clock time. */
  timeLeftMs: number
}

export interface SlaStatus {
  startedAt: Date
  businessHours: boolean
  firstResponse: SlaClock
  resolution: SlaClock
  firstResponseDue: Date
  resolutionDue: Date
  firstResponseAt: Date | null
  resolvedAt: Date | null
  /** The running clock due first (what the console shows); null once resolved. */
  dueAt: Date | null
  /** Breached if either clock is; near breach or ok from the running clocks; met when both stopped in time. */
  state: SlaState
  /** The `dueAt` clock's time left; once resolved, the resolution's margin. */
  timeLeftMs: number
}

function clock(
  start: Date,
  targetMs: number,
  stoppedAt: Date | null,
  now: Date,
  calendar: BusinessCalendar | null,
  nearRatio: number,
): SlaClock {
  const dueAt = addBusinessTime(start, targetMs, calendar)
  if (stoppedAt) {
    const late = stoppedAt.getTime() > dueAt.getTime()
    return { targetMs, dueAt, stoppedAt, state: late ? 'breached' : 'met', timeLeftMs: margin(stoppedAt) }
  }
  const timeLeftMs = margin(now)
  const state: SlaState =
    now.getTime() > dueAt.getTime() ? 'breached' : timeLeftMs < nearRatio * targetMs ? 'near_breach' : 'ok'
  return { targetMs, dueAt, stoppedAt: null, state, timeLeftMs }

  function margin(at: Date): number {
    return businessTimeBetween(at, dueAt, calendar)
  }
}

/**
 * The SLA of one conversation at `now`; null while no human is responsible (no handoff yet).
 * `calendar` is the site's or team's business hours; ignored when the channel's policy says wall-clock.
 */
export function computeSla(
  facts: SlaFacts,
  policy: SlaPolicy,
  calendar: BusinessCalendar | null,
  now: Date,
): SlaStatus | null {
  if (!facts.handoffAt) return null
  const channel = policy.channels[facts.channel]
  const target = channel.targets[facts.priority]
  const cal = channel.businessHours ? calendar : null
  const start = facts.handoffAt
  const firstResponseAt = facts.firstAgentMessageAt
  // Resolving without a reply (spam, "never mind") ends the shopper's wait too.
  const firstStop = firstResponseAt ?? facts.resolvedAt
  const firstResponse = clock(start, target.firstResponseMs, firstStop, now, cal, policy.nearBreachRatio)
  const resolution = clock(start, target.resolutionMs, facts.resolvedAt, now, cal, policy.nearBreachRatio)
  const running = [firstResponse, resolution]
    .filter((c) => c.stoppedAt === null)
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())
  const states = [firstResponse.state, resolution.state]
  const runningStates = running.map((c) => c.state)
  const state: SlaState = states.includes('breached')
    ? 'breached'
    : runningStates.includes('near_breach')
      ? 'near_breach'
      : running.length > 0
        ? 'ok'
        : 'met'
  const next = running[0]
  return {
    startedAt: start,
    businessHours: cal !== null,
    firstResponse,
    resolution,
    firstResponseDue: firstResponse.dueAt,
    resolutionDue: resolution.dueAt,
    firstResponseAt,
    resolvedAt: facts.resolvedAt,
    dueAt: next?.dueAt ?? null,
    state,
    timeLeftMs: next ? next.timeLeftMs : resolution.timeLeftMs,
  }
}

export type BreachType = 'first_response_breached' | 'resolution_breached'

export interface BreachEvent {
  type: BreachType
  /** The due time that was missed. */
  dueAt: Date
  /** The cycle's start (handoff): lets the caller tell a reopened conversation's breaches apart. */
  startedAt: Date
  targetMs: number
}

/**
 * Breach events to record now: every breached clock whose event is not in `alreadyRecorded`
 * (the types recorded for this cycle). Recording what this returns and calling again yields nothing.
 */
export function breachEvents(status: SlaStatus | null, alreadyRecorded: Iterable<BreachType>): BreachEvent[] {
  if (!status) return []
  const recorded = new Set(alreadyRecorded)
  const clocks: Array<[BreachType, SlaClock]> = [
    ['first_response_breached', status.firstResponse],
    ['resolution_breached', status.resolution],
  ]
  return clocks
    .filter(([type, c]) => c.state === 'breached' && !recorded.has(type))
    .map(([type, c]) => ({ type, dueAt: c.dueAt, startedAt: status.startedAt, targetMs: c.targetMs }))
}
