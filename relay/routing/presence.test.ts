import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Agent } from '../store/types.ts'
import { capacityOf, type PresenceChange, PresenceTracker } from './presence.ts'

const agent: Agent = {
  id: 'agt_1',
  email: 'ada@example.com',
  name: 'Ada',
  role: 'agent',
  passwordHash: 'x',
  siteIds: ['demo'],
  createdAt: '2026-01-01T00:00:00.000Z',
  skills: ['billing'],
  capacity: 3,
}

let changes: PresenceChange[]
let tracker: PresenceTracker
beforeEach(() => {
  vi.useFakeTimers()
  changes = []
  tracker = new PresenceTracker({ load: () => 1, offlineGraceMs: 5000 })
  tracker.subscribe((c) => changes.push(c))
})
afterEach(() => {
  tracker.close()
  vi.useRealTimers()
})

const seen = () => changes.map((c) => `${c.from}>${c.to}`)

describe('PresenceTracker', () => {
  it('goes offline only once the last socket has been gone for the grace period', () => {
    tracker.connect(agent, 's1')
    tracker.connect(agent, 's2')
    tracker.disconnect(agent.id, 's1')
    vi.advanceTimersByTime(60_000)
    expect(tracker.presenceOf(agent.id)).toBe('online')
    tracker.disconnect(agent.id, 's2')
    vi.advanceTimersByTime(4999)
    expect(tracker.presenceOf(agent.id)).toBe('online')
    vi.advanceTimersByTime(1)
    expect(tracker.presenceOf(agent.id)).toBe('offline')
    expect(seen()).toEqual(['offline>online', 'online>offline'])
  })

  it('a reconnect within the grace period keeps the chosen status and announces nothing', () => {
    tracker.connect(agent, 's1')
    tracker.setStatus(agent, 'away')
    tracker.disconnect(agent.id, 's1')
    vi.advanceTimersByTime(3000)
    tracker.connect(agent, 's2')
    vi.advanceTimersByTime(10_000)
    expect(tracker.presenceOf(agent.id)).toBe('away')
    expect(seen()).toEqual(['offline>online', 'online>away'])
  })

  it('summarizes an agent with presence and load, and counts only online agents of a site as there', () => {
    expect(tracker.anyOnline('demo')).toBe(false)
    tracker.connect(agent, 's1')
    expect(tracker.anyOnline('demo')).toBe(true)
    expect(tracker.anyOnline('other')).toBe(false)
    expect(tracker.summarize(agent)).toMatchObject({
      presence: 'online',
      load: 1,
      capacity: 3,
      skills: ['billing'],
    })
    tracker.setStatus(agent, 'away')
    expect(tracker.anyOnline('demo')).toBe(false)
  })

  it('gives a record without a capacity none (not auto-assigned)', () => {
    expect(capacityOf({})).toBe(0)
    expect(capacityOf({ capacity: 4 })).toBe(4)
  })

  it('changes nothing once closed (a shutdown closing sockets reassigns nobody)', () => {
    tracker.connect(agent, 's1')
    tracker.close()
    tracker.disconnect(agent.id, 's1')
    vi.advanceTimersByTime(60_000)
    expect(tracker.presenceOf(agent.id)).toBe('online')
    expect(seen()).toEqual(['offline>online'])
  })
})
