import { describe, expect, it } from 'vitest'
import { scoreSentiment } from '../bot/sentiment.ts'
import { factsOf } from './facts.ts'
import { actors, conversation } from './fixtures.ts'

const { agent, contact, bot } = actors

describe('facts of one conversation', () => {
  it('splits a reopened conversation into requests, each rated on its own', () => {
    const record = conversation('r', '2026-03-02T09:00:00.000Z')
      .message('contact', '2026-03-02T09:00:10.000Z', 'hello')
      .bot('2026-03-02T09:00:11.000Z', 'answer')
      .event('resolved', '2026-03-02T09:05:00.000Z', agent('agt_1'), { from: 'bot' })
      .event('csat', '2026-03-02T09:06:00.000Z', contact, { score: 4 })
      .event('reopened', '2026-03-02T10:00:00.000Z', contact, { from: 'resolved', to: 'bot' })
      .message('contact', '2026-03-02T10:00:00.000Z', 'one more question')
      .bot('2026-03-02T10:00:02.000Z', 'clarify')
      .message('contact', '2026-03-02T10:01:00.000Z', 'the red one')
      .bot('2026-03-02T10:01:03.000Z', 'tool')
      .event('resolved', '2026-03-02T10:30:00.000Z', agent('agt_1'), { from: 'bot' })
      .record()
    const facts = factsOf(record, () => 0)
    expect(facts.resolutions.map((r) => [r.durationMs, r.selfService, r.csat])).toEqual([
      [300_000, true, 4],
      [1_800_000, true, null],
    ])
    // A clarifying question is not an action: the tool result after the second message is.
    expect(facts.requests.map((q) => q.action)).toEqual([
      { messages: 1, transfers: 0, minutes: 1 / 60 },
      { messages: 2, transfers: 0, minutes: 63 / 60 },
    ])
    expect(facts.cycles).toEqual([])
  })

  it('starts the SLA cycle at the creation when a person took over before any handoff, and at a reopen to the queue', () => {
    const record = conversation('t', '2026-03-02T09:00:00.000Z')
      .message('contact', '2026-03-02T09:00:10.000Z', 'hi')
      .event('assigned', '2026-03-02T09:01:00.000Z', agent('agt_1'), { agentId: 'agt_1', takeOver: true })
      .message('agent', '2026-03-02T09:02:00.000Z', 'hello!')
      .event('resolved', '2026-03-02T09:10:00.000Z', agent('agt_1'), { from: 'assigned' })
      .event('reopened', '2026-03-02T11:00:00.000Z', contact, { from: 'resolved', to: 'queued' })
      .message('contact', '2026-03-02T11:00:00.000Z', 'it broke again')
      .event('sla_breached', '2026-03-02T11:02:00.000Z', actors.system, {
        breach: 'first_response_breached',
        startedAt: '2026-03-02T11:00:00.000Z',
      })
      .record()
    const facts = factsOf(record, () => 0)
    expect(facts.cycles).toEqual([
      {
        at: Date.parse('2026-03-02T09:00:00.000Z'),
        channel: 'web',
        firstResponseMs: 120_000,
        resolved: true,
        firstResponseBreached: false,
        resolutionBreached: false,
      },
      {
        at: Date.parse('2026-03-02T11:00:00.000Z'),
        channel: 'web',
        firstResponseMs: null,
        resolved: false,
        firstResponseBreached: true,
        resolutionBreached: false,
      },
    ])
    expect(facts.resolutions[0]).toMatchObject({ selfService: false, actions: 3 })
  })

  it("scores the shopper's first and last message with the bot's sentiment scorer", () => {
    const record = conversation('s', '2026-03-02T09:00:00.000Z')
      .message('contact', '2026-03-02T09:00:10.000Z', 'This is terrible, my order is broken')
      .event('handoff', '2026-03-02T09:00:11.000Z', bot, { from: 'bot' })
      .message('contact', '2026-03-02T09:05:00.000Z', 'Thank you, that is great')
      .event('resolved', '2026-03-02T09:10:00.000Z', agent('agt_1'), { from: 'queued' })
      .record()
    const [resolution] = factsOf(record, scoreSentiment).resolutions
    expect(resolution?.sentiment).toEqual({
      start: scoreSentiment('This is terrible, my order is broken'),
      end: scoreSentiment('Thank you, that is great'),
    })
    expect(resolution?.sentiment?.start).toBeLessThan(-0.5)
    expect(resolution?.sentiment?.end).toBeGreaterThan(0.5)
  })
})
