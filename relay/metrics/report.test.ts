import { describe, expect, it } from 'vitest'
import { actors, conversation } from './fixtures.ts'
import { computeReport, daysOf } from './report.ts'

const { agent, contact, bot, system } = actors
const MOODS: Record<string, number> = {
  hello: 0,
  'thanks great': 0.75,
  'I want a person now': -0.5,
  'ok thanks': 0.25,
}
const sentiment = (text: string) => MOODS[text] ?? 0

/** Self-service: the bot answered from an article; an agent only pressed Resolve; rated 5. */
const a = conversation('a', '2026-03-02T10:00:00.000Z')
  .bot('2026-03-02T10:00:00.000Z', 'greeting')
  .message('contact', '2026-03-02T10:01:00.000Z', 'hello')
  .bot('2026-03-02T10:01:30.000Z', 'answer')
  .message('contact', '2026-03-02T10:02:00.000Z', 'thanks great')
  .event('resolved', '2026-03-02T10:10:00.000Z', agent('agt_1'), { from: 'bot' })
  .event('csat', '2026-03-02T10:11:00.000Z', contact, { score: 5 })
  .record()

/** Handed off, first reply after 269 s (a breach), transferred, resolved by a second agent; CSAT 2, effort 4. */
const b = conversation('b', '2026-03-02T11:00:00.000Z')
  .bot('2026-03-02T11:00:00.000Z', 'greeting')
  .message('contact', '2026-03-02T11:00:30.000Z', 'I want a person now')
  .bot('2026-03-02T11:00:31.000Z', 'handoff')
  .event('handoff', '2026-03-02T11:00:31.000Z', bot, { from: 'bot', reason: 'requested_human' })
  .event('assigned', '2026-03-02T11:01:00.000Z', system, { agentId: 'agt_1', previousAssigneeId: null })
  .event('sla_breached', '2026-03-02T11:02:31.000Z', system, {
    breach: 'first_response_breached',
    startedAt: '2026-03-02T11:00:31.000Z',
  })
  .message('agent', '2026-03-02T11:05:00.000Z', 'Hi, Robin here')
  .message('contact', '2026-03-02T11:06:00.000Z', 'ok thanks')
  .event('unassigned', '2026-03-02T11:07:00.000Z', agent('agt_1'), { previousAssigneeId: 'agt_1' })
  .event('assigned', '2026-03-02T11:08:00.000Z', agent('agt_2'), {
    agentId: 'agt_2',
    previousAssigneeId: null,
  })
  .message('agent', '2026-03-02T11:09:00.000Z', 'note for the team', { internal: true })
  .message('agent', '2026-03-02T11:10:00.000Z', 'Done')
  .event('resolved', '2026-03-02T11:20:00.000Z', agent('agt_2'), { from: 'assigned' })
  .event('agent_effort', '2026-03-02T11:21:00.000Z', agent('agt_2'), { score: 4 })
  .event('csat', '2026-03-02T11:30:00.000Z', contact, { score: 2, comment: 'slow' })
  .record()

/** Email, handed off, still waiting for a person. */
const c = conversation('c', '2026-03-02T12:00:00.000Z', 'email')
  .message('contact', '2026-03-02T12:00:00.000Z', 'where is my parcel')
  .event('handoff', '2026-03-02T12:00:05.000Z', bot, { from: 'bot', reason: 'low_confidence' })
  .record()

/** Started the day before; handed off, taken over and answered, resolved after midnight. */
const d = conversation('d', '2026-03-01T23:00:00.000Z')
  .message('contact', '2026-03-01T23:00:10.000Z', 'help')
  .event('handoff', '2026-03-02T00:10:00.000Z', bot, { from: 'bot', reason: 'requested_human' })
  .event('assigned', '2026-03-02T00:20:00.000Z', agent('agt_1'), { agentId: 'agt_1', takeOver: true })
  .message('agent', '2026-03-02T00:25:00.000Z', 'On it')
  .event('resolved', '2026-03-02T01:00:00.000Z', agent('agt_1'), { from: 'assigned' })
  .record()

const articles = [
  { verified: true, helpful: 3, notHelpful: 1 },
  { verified: true },
  { verified: false, helpful: 5 },
]

const day = (from: string, to: string, channel?: 'web' | 'email') =>
  computeReport({
    siteId: 'demo',
    records: [a, b, c, d],
    articles,
    from: new Date(from),
    to: new Date(to),
    sentiment,
    ...(channel && { channel }),
  })

describe('a site report over hand-built event logs', () => {
  const report = day('2026-03-02T00:00:00.000Z', '2026-03-03T00:00:00.000Z')

  it('counts conversations started and resolutions in the period, with resolution times', () => {
    expect(report.conversations).toBe(3)
    expect(report.resolutions).toBe(3)
    // 10 min, 20 min, 2 h (d: from its creation the day before): nearest-rank median and p90.
    expect(report.resolutionTime).toEqual({ count: 3, medianMs: 1_200_000, p90Ms: 7_200_000 })
  })

  it('measures the first human reply after each handoff; a cycle still waiting is unanswered', () => {
    expect(report.firstResponse).toEqual({
      count: 2,
      medianMs: 269_000,
      p90Ms: 900_000,
      cycles: 3,
      unanswered: 1,
    })
  })

  it('gives SLA compliance per channel from the sla_breached events of decided cycles', () => {
    expect(report.sla.overall).toEqual({
      cycles: 3,
      decided: 2,
      breached: 1,
      firstResponseBreached: 1,
      resolutionBreached: 0,
      compliance: 0.5,
    })
    expect(report.sla.channels).toEqual([
      {
        channel: 'email',
        cycles: 1,
        decided: 0,
        breached: 0,
        firstResponseBreached: 0,
        resolutionBreached: 0,
        compliance: null,
      },
      {
        channel: 'web',
        cycles: 2,
        decided: 2,
        breached: 1,
        firstResponseBreached: 1,
        resolutionBreached: 0,
        compliance: 0.5,
      },
    ])
  })

  it('averages CSAT over responses, with the share of 4–5 and the response rate of web resolutions', () => {
    expect(report.csat).toEqual({
      responses: 2,
      eligible: 3,
      responseRate: 0.6667,
      average: 3.5,
      satisfiedShare: 0.5,
    })
  })

  it('counts self-service resolutions and the helpful votes on verified articles', () => {
    expect(report.selfService).toEqual({
      resolutions: 3,
      selfService: 1,
      rate: 0.3333,
      helpfulVotes: 3,
      notHelpfulVotes: 1,
      helpfulShare: 0.75,
    })
  })

  it("shifts sentiment from the shopper's first to last message, for requests with two or more", () => {
    expect(report.sentiment).toEqual({
      conversations: 2,
      averageStart: -0.25,
      averageEnd: 0.5,
      averageShift: 0.75,
      improved: 2,
      worsened: 0,
      unchanged: 0,
    })
  })

  it('averages the effort ratings and the agent actions of resolutions people worked on', () => {
    // b: 3 agent messages (the note too) + unassign, assign, resolve by agents; d: reply, take-over, resolve.
    expect(report.effort).toEqual({
      humanResolutions: 2,
      ratings: 1,
      responseRate: 0.5,
      average: 4,
      actionsPerResolution: 4.5,
    })
  })

  it('counts messages, transfers and minutes before the first meaningful action of each request', () => {
    // a: 1 message, 0.5 min to the bot's answer; b: 1 message, the handoff, 4.5 min to the reply; c: nothing yet.
    expect(report.contactToAction).toEqual({
      requests: 3,
      acted: 2,
      averageMessages: 1,
      averageTransfers: 0.5,
      averageMinutes: 2.5,
    })
  })

  it('narrows every figure to one channel', () => {
    const email = day('2026-03-02T00:00:00.000Z', '2026-03-03T00:00:00.000Z', 'email')
    expect(email).toMatchObject({
      channel: 'email',
      conversations: 1,
      resolutions: 0,
      firstResponse: { cycles: 1, unanswered: 1, medianMs: null },
      csat: { responses: 0, eligible: 0, responseRate: null, average: null },
      contactToAction: { requests: 1, acted: 0, averageMinutes: null },
    })
  })

  it('gives a daily series with every day of the period, empty days included', () => {
    const two = day('2026-03-01T00:00:00.000Z', '2026-03-03T00:00:00.000Z')
    expect(two.daily).toEqual([
      {
        date: '2026-03-01',
        conversations: 1,
        resolutions: 0,
        selfService: 0,
        csatResponses: 0,
        csatAverage: null,
        firstResponseMedianMs: null,
        slaBreaches: 0,
      },
      {
        date: '2026-03-02',
        conversations: 3,
        resolutions: 3,
        selfService: 1,
        csatResponses: 2,
        csatAverage: 3.5,
        firstResponseMedianMs: 269_000,
        slaBreaches: 1,
      },
    ])
  })
})

describe('daysOf', () => {
  it("cuts the period at midnight in the report's time zone", () => {
    const days = daysOf(
      Date.parse('2026-03-02T03:00:00Z'),
      Date.parse('2026-03-03T12:00:00Z'),
      'America/New_York',
    )
    expect(days.map((d) => d.date)).toEqual(['2026-03-01', '2026-03-02', '2026-03-03'])
    expect(days[1]).toEqual({
      date: '2026-03-02',
      from: Date.parse('2026-03-02T05:00:00Z'),
      to: Date.parse('2026-03-03T05:00:00Z'),
    })
  })
})
