import { describe, expect, it } from 'vitest'
import type { BusinessCalendar } from './business-hours.ts'
import {
  breachEvents,
  computeSla,
  DEFAULT_SLA_POLICY,
  type SlaFacts,
  type SlaPolicy,
  SlaPolicySchema,
} from './policy.ts'

const SEC = 1000
const MIN = 60 * SEC
const HOUR = 60 * MIN
const at = (iso: string) => new Date(iso)
const nine = [{ start: '09:00', end: '18:00' }]
const berlin: BusinessCalendar = {
  timeZone: 'Europe/Berlin',
  weekly: { mon: nine, tue: nine, wed: nine, thu: nine, fri: nine },
}

/** A web chat handed off at 10:00 UTC on a Monday, normal priority, nobody has answered yet. */
const chat: SlaFacts = {
  channel: 'web',
  priority: 'normal',
  handoffAt: at('2026-01-19T10:00:00Z'),
  firstAgentMessageAt: null,
  resolvedAt: null,
}

function sla(
  facts: SlaFacts,
  now: string,
  policy: SlaPolicy = DEFAULT_SLA_POLICY,
  cal: BusinessCalendar | null = null,
) {
  const status = computeSla(facts, policy, cal, at(now))
  if (!status) throw new Error('no SLA')
  return status
}

describe('default SLA policy', () => {
  it('gives chat 2 min / 1 h, social 4 h / 24 h and email and api 24 h / 72 h at normal priority', () => {
    const t = (c: keyof SlaPolicy['channels']) => DEFAULT_SLA_POLICY.channels[c].targets.normal
    expect(t('web')).toEqual({ firstResponseMs: 2 * MIN, resolutionMs: HOUR })
    expect(t('whatsapp')).toEqual({ firstResponseMs: 4 * HOUR, resolutionMs: 24 * HOUR })
    expect(t('messenger')).toEqual({ firstResponseMs: 4 * HOUR, resolutionMs: 24 * HOUR })
    expect(t('email')).toEqual({ firstResponseMs: 24 * HOUR, resolutionMs: 72 * HOUR })
    expect(t('api')).toEqual({ firstResponseMs: 24 * HOUR, resolutionMs: 72 * HOUR })
  })

  it('scales by priority: urgent a quarter, high a half, low double', () => {
    const web = DEFAULT_SLA_POLICY.channels.web.targets
    expect(web.urgent).toEqual({ firstResponseMs: 30 * SEC, resolutionMs: 15 * MIN })
    expect(web.high).toEqual({ firstResponseMs: MIN, resolutionMs: 30 * MIN })
    expect(web.low).toEqual({ firstResponseMs: 4 * MIN, resolutionMs: 2 * HOUR })
    expect(DEFAULT_SLA_POLICY.channels.email.targets.urgent).toEqual({
      firstResponseMs: 6 * HOUR,
      resolutionMs: 18 * HOUR,
    })
  })

  it('runs every channel in business hours with a 20% near-breach threshold', () => {
    expect(DEFAULT_SLA_POLICY.nearBreachRatio).toBe(0.2)
    expect(Object.values(DEFAULT_SLA_POLICY.channels).every((c) => c.businessHours)).toBe(true)
  })
})

describe('SlaPolicySchema', () => {
  it('fills what a site leaves out from the defaults', () => {
    const policy = SlaPolicySchema.parse({
      nearBreachRatio: 0.1,
      channels: { email: { businessHours: false, targets: { high: { firstResponseMs: HOUR } } } },
    })
    expect(policy.nearBreachRatio).toBe(0.1)
    expect(policy.channels.email.businessHours).toBe(false)
    expect(policy.channels.email.targets.high).toEqual({ firstResponseMs: HOUR, resolutionMs: 36 * HOUR })
    expect(policy.channels.web).toEqual(DEFAULT_SLA_POLICY.channels.web)
  })

  it('refuses a resolution target shorter than the first response, a ratio of 1 and an unknown channel', () => {
    const short = SlaPolicySchema.safeParse({
      channels: { web: { targets: { normal: { resolutionMs: MIN } } } },
    })
    expect(short.success).toBe(false)
    expect(short.error?.issues[0]?.path).toEqual(['channels', 'web', 'targets', 'normal'])
    expect(SlaPolicySchema.safeParse({ nearBreachRatio: 1 }).success).toBe(false)
    expect(SlaPolicySchema.safeParse({ channels: { fax: {} } }).success).toBe(false)
  })
})

describe('computeSla', () => {
  it('runs no SLA while only the bot has handled the conversation', () => {
    expect(
      computeSla({ ...chat, handoffAt: null }, DEFAULT_SLA_POLICY, null, at('2026-01-19T10:00:00Z')),
    ).toBeNull()
  })

  it('a 2-minute chat target started Friday 17:59 in Europe/Berlin with hours 09–18 is due Monday 09:01', () => {
    const status = sla(
      { ...chat, handoffAt: at('2026-01-16T16:59:00Z') },
      '2026-01-16T17:00:00Z',
      undefined,
      berlin,
    )
    expect(status.firstResponseDue.toISOString()).toBe('2026-01-19T08:01:00.000Z')
    // Resolution: 1 min on Friday, 59 min on Monday.
    expect(status.resolutionDue.toISOString()).toBe('2026-01-19T08:59:00.000Z')
    expect(status.businessHours).toBe(true)
  })

  it('stands still over the weekend: on Saturday noon the Friday-17:59 chat still has 1 minute left', () => {
    const status = sla(
      { ...chat, handoffAt: at('2026-01-16T16:59:00Z') },
      '2026-01-17T11:00:00Z',
      undefined,
      berlin,
    )
    expect(status.state).toBe('ok')
    expect(status.timeLeftMs).toBe(MIN)
    expect(status.dueAt?.toISOString()).toBe('2026-01-19T08:01:00.000Z')
  })

  it('ignores the calendar when the channel runs on wall-clock time', () => {
    const policy = SlaPolicySchema.parse({ channels: { web: { businessHours: false } } })
    const status = sla(
      { ...chat, handoffAt: at('2026-01-16T16:59:00Z') },
      '2026-01-16T17:00:00Z',
      policy,
      berlin,
    )
    expect(status.firstResponseDue.toISOString()).toBe('2026-01-16T17:01:00.000Z')
    expect(status.businessHours).toBe(false)
  })

  it('is ok with 90 s left 30 s after the handoff', () => {
    const status = sla(chat, '2026-01-19T10:00:30Z')
    expect(status).toMatchObject({ state: 'ok', timeLeftMs: 90 * SEC, firstResponseAt: null })
    expect(status.dueAt?.toISOString()).toBe('2026-01-19T10:02:00.000Z')
  })

  it('is near breach with less than 20% of the target left (20 s of 2 min), ok at exactly 24 s', () => {
    expect(sla(chat, '2026-01-19T10:01:40Z')).toMatchObject({ state: 'near_breach', timeLeftMs: 20 * SEC })
    expect(sla(chat, '2026-01-19T10:01:36Z')).toMatchObject({ state: 'ok', timeLeftMs: 24 * SEC })
  })

  it('takes the near-breach threshold from the policy', () => {
    const policy = SlaPolicySchema.parse({ nearBreachRatio: 0.5 })
    expect(sla(chat, '2026-01-19T10:01:01Z', policy).state).toBe('near_breach')
    expect(sla(chat, '2026-01-19T10:00:59Z', policy).state).toBe('ok')
  })

  it('is breached one second after the due time, with the time left negative', () => {
    const status = sla(chat, '2026-01-19T10:02:01Z')
    expect(status).toMatchObject({ state: 'breached', timeLeftMs: -SEC })
    expect(status.firstResponse.state).toBe('breached')
  })

  it('gives an urgent chat 30 seconds for the first response', () => {
    expect(sla({ ...chat, priority: 'urgent' }, '2026-01-19T10:00:00Z').firstResponseDue.toISOString()).toBe(
      '2026-01-19T10:00:30.000Z',
    )
  })

  it('meets the first response with an agent reply in time and then follows the resolution clock', () => {
    const status = sla({ ...chat, firstAgentMessageAt: at('2026-01-19T10:01:30Z') }, '2026-01-19T10:05:00Z')
    expect(status.firstResponse).toMatchObject({ state: 'met', timeLeftMs: 30 * SEC })
    expect(status.firstResponseAt?.toISOString()).toBe('2026-01-19T10:01:30.000Z')
    expect(status).toMatchObject({ state: 'ok', timeLeftMs: 55 * MIN })
    expect(status.dueAt?.toISOString()).toBe('2026-01-19T11:00:00.000Z')
  })

  it('stays breached after a late first reply even while the resolution is on time', () => {
    const status = sla({ ...chat, firstAgentMessageAt: at('2026-01-19T10:03:00Z') }, '2026-01-19T10:05:00Z')
    expect(status.firstResponse).toMatchObject({ state: 'breached', timeLeftMs: -MIN })
    expect(status.resolution.state).toBe('ok')
    expect(status.state).toBe('breached')
  })

  it('is met once resolved in time, with no due time left to show', () => {
    const status = sla(
      { ...chat, firstAgentMessageAt: at('2026-01-19T10:01:00Z'), resolvedAt: at('2026-01-19T10:40:00Z') },
      '2026-01-19T12:00:00Z',
    )
    expect(status).toMatchObject({ state: 'met', timeLeftMs: 20 * MIN, dueAt: null })
  })

  it('stops the first-response clock when resolved without a reply', () => {
    const status = sla({ ...chat, resolvedAt: at('2026-01-19T10:01:00Z') }, '2026-01-19T12:00:00Z')
    expect(status.firstResponse.state).toBe('met')
    expect(status.firstResponseAt).toBeNull()
    expect(status.state).toBe('met')
  })
})

describe('breachEvents', () => {
  it('records a first-response breach once it happens', () => {
    const events = breachEvents(sla(chat, '2026-01-19T10:02:01Z'), [])
    expect(events).toEqual([
      {
        type: 'first_response_breached',
        dueAt: at('2026-01-19T10:02:00Z'),
        startedAt: at('2026-01-19T10:00:00Z'),
        targetMs: 2 * MIN,
      },
    ])
  })

  it('records nothing before the due time', () => {
    expect(breachEvents(sla(chat, '2026-01-19T10:02:00Z'), [])).toEqual([])
  })

  it('is idempotent: what was recorded is not returned again, the new breach is', () => {
    const status = sla(chat, '2026-01-19T11:00:01Z')
    const first = breachEvents(status, [])
    expect(first.map((e) => e.type)).toEqual(['first_response_breached', 'resolution_breached'])
    expect(
      breachEvents(
        status,
        first.map((e) => e.type),
      ),
    ).toEqual([])
    expect(breachEvents(status, ['first_response_breached']).map((e) => e.type)).toEqual([
      'resolution_breached',
    ])
  })

  it('still records a late first response that nobody recorded while it was running', () => {
    const status = sla({ ...chat, firstAgentMessageAt: at('2026-01-19T10:03:00Z') }, '2026-01-19T10:05:00Z')
    expect(breachEvents(status, []).map((e) => e.type)).toEqual(['first_response_breached'])
  })

  it('records nothing without an SLA', () => {
    expect(breachEvents(null, [])).toEqual([])
  })
})
