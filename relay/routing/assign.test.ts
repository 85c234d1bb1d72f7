import { describe, expect, it } from 'vitest'
import {
  chooseAgent,
  needsReassignment,
  pickNextConversation,
  type QueuedConversation,
  queueOrder,
  type RoutingAgent,
} from './assign.ts'

const at = (iso: string) => new Date(iso)
const MIN = 60_000

const agent = (id: string, over: Partial<RoutingAgent> = {}): RoutingAgent => ({
  id,
  presence: 'online',
  skills: ['billing'],
  languages: ['en'],
  teamId: 'eu',
  capacity: 3,
  load: 0,
  lastAssignedAt: null,
  idleSince: at('2026-01-19T08:00:00Z'),
  ...over,
})

const conversation = (id: string, over: Partial<QueuedConversation> = {}): QueuedConversation => ({
  id,
  priority: 'normal',
  skills: [],
  language: null,
  teamId: null,
  slaDueAt: null,
  createdAt: at('2026-01-19T10:00:00Z'),
  ...over,
})

describe('chooseAgent', () => {
  it('needs every skill the conversation asks for (case-insensitive)', () => {
    const billing = conversation('c', { skills: ['Billing', 'refunds'] })
    const agents = [
      agent('a', { skills: ['billing'] }),
      agent('b', { skills: ['billing', 'REFUNDS'], load: 2 }),
    ]
    expect(chooseAgent(billing, agents)?.id).toBe('b')
  })

  it("matches the shopper's language on its language part (es-MX to an es speaker)", () => {
    const spanish = conversation('c', { language: 'es-MX' })
    const agents = [agent('en'), agent('es', { languages: ['en', 'es'], load: 2 })]
    expect(chooseAgent(spanish, agents)?.id).toBe('es')
    expect(chooseAgent(conversation('d', { language: 'fr' }), agents)).toBeNull()
  })

  it("keeps a team's conversation within the team", () => {
    const us = conversation('c', { teamId: 'us' })
    expect(chooseAgent(us, [agent('eu1'), agent('us1', { teamId: 'us', load: 2 })])?.id).toBe('us1')
  })

  it('skips agents at capacity, and agents with capacity 0', () => {
    const agents = [agent('full', { load: 3 }), agent('zero', { capacity: 0 }), agent('free', { load: 2 })]
    expect(chooseAgent(conversation('c'), agents)?.id).toBe('free')
  })

  it('gives the conversation to the least loaded agent', () => {
    const agents = [agent('two', { load: 2 }), agent('one', { load: 1 }), agent('busy', { load: 2 })]
    expect(chooseAgent(conversation('c'), agents)?.id).toBe('one')
  })

  it('breaks a load tie in favour of the agent idle longest', () => {
    const agents = [
      agent('recent', { load: 1, lastAssignedAt: at('2026-01-19T09:50:00Z') }),
      agent('longest', { load: 1, lastAssignedAt: at('2026-01-19T09:10:00Z') }),
      agent('middle', { load: 1, lastAssignedAt: at('2026-01-19T09:30:00Z') }),
    ]
    expect(chooseAgent(conversation('c'), agents)?.id).toBe('longest')
  })

  it('counts idleness from the later of the last assignment and coming online', () => {
    const agents = [
      // Assigned yesterday but only online since 09:40: idle 20 minutes.
      agent('returned', {
        lastAssignedAt: at('2026-01-18T16:00:00Z'),
        idleSince: at('2026-01-19T09:40:00Z'),
      }),
      agent('waiting', { lastAssignedAt: at('2026-01-19T09:00:00Z'), idleSince: at('2026-01-19T08:00:00Z') }),
    ]
    expect(chooseAgent(conversation('c'), agents)?.id).toBe('waiting')
  })

  it('never assigns to away or offline agents, however free', () => {
    const agents = [
      agent('away', { presence: 'away' }),
      agent('off', { presence: 'offline' }),
      agent('on', { load: 2 }),
    ]
    expect(chooseAgent(conversation('c'), agents)?.id).toBe('on')
    expect(chooseAgent(conversation('c'), agents.slice(0, 2))).toBeNull()
  })
})

describe('queueOrder', () => {
  it('orders by priority, then SLA due time (none last), then age', () => {
    const queue = [
      conversation('normal-late', { slaDueAt: at('2026-01-19T12:00:00Z') }),
      conversation('low', { priority: 'low', slaDueAt: at('2026-01-19T10:01:00Z') }),
      conversation('normal-no-due', { createdAt: at('2026-01-19T08:00:00Z') }),
      conversation('urgent', { priority: 'urgent' }),
      conversation('normal-soon', { slaDueAt: at('2026-01-19T10:30:00Z') }),
      conversation('high', { priority: 'high', slaDueAt: at('2026-01-19T13:00:00Z') }),
      conversation('normal-soon-older', {
        slaDueAt: at('2026-01-19T10:30:00Z'),
        createdAt: at('2026-01-19T09:00:00Z'),
      }),
    ]
    expect([...queue].sort(queueOrder).map((c) => c.id)).toEqual([
      'urgent',
      'high',
      'normal-soon-older',
      'normal-soon',
      'normal-late',
      'normal-no-due',
      'low',
    ])
  })
})

describe('pickNextConversation', () => {
  const queue = [
    conversation('normal-due-soon', { slaDueAt: at('2026-01-19T10:05:00Z') }),
    conversation('high-due-later', { priority: 'high', slaDueAt: at('2026-01-19T11:00:00Z') }),
    conversation('high-due-sooner', { priority: 'high', slaDueAt: at('2026-01-19T10:30:00Z') }),
    conversation('urgent-spanish', { priority: 'urgent', language: 'es' }),
  ]

  it('takes the highest priority that fits, then the earliest due', () => {
    expect(pickNextConversation(agent('a'), queue)?.id).toBe('high-due-sooner')
  })

  it('takes a conversation the agent fits even if a more urgent one waits for someone else', () => {
    expect(pickNextConversation(agent('es', { languages: ['es'] }), queue)?.id).toBe('urgent-spanish')
  })

  it('takes the oldest of equal priority and due time', () => {
    const twins = [
      conversation('newer', { createdAt: at('2026-01-19T10:00:00Z') }),
      conversation('older', { createdAt: at('2026-01-19T09:00:00Z') }),
    ]
    expect(pickNextConversation(agent('a'), twins)?.id).toBe('older')
  })

  it('takes nothing for an agent who is full or away, or when nothing fits', () => {
    expect(pickNextConversation(agent('a', { load: 3 }), queue)).toBeNull()
    expect(pickNextConversation(agent('a', { presence: 'away' }), queue)).toBeNull()
    expect(
      pickNextConversation(agent('a', { skills: [] }), [conversation('c', { skills: ['billing'] })]),
    ).toBeNull()
  })
})

describe('needsReassignment', () => {
  const assigned = { status: 'assigned' as const, assigneeId: 'a', assignedAt: at('2026-01-19T10:00:00Z') }
  const now = at('2026-01-19T10:10:00Z')

  it('reassigns when the assignee goes offline, even after they answered', () => {
    expect(needsReassignment(assigned, 'offline', at('2026-01-19T10:01:00Z'), now, 5 * MIN)).toBe(
      'assignee_offline',
    )
  })

  it('keeps the conversation with an assignee who is away', () => {
    expect(needsReassignment(assigned, 'away', at('2026-01-19T10:01:00Z'), now, 5 * MIN)).toBeNull()
  })

  it('reassigns when the assignee has not answered within the timeout, from the moment it is reached', () => {
    expect(needsReassignment(assigned, 'online', null, at('2026-01-19T10:04:59Z'), 5 * MIN)).toBeNull()
    expect(needsReassignment(assigned, 'online', null, at('2026-01-19T10:05:00Z'), 5 * MIN)).toBe('no_answer')
  })

  it('does not count activity from before the assignment as an answer', () => {
    expect(needsReassignment(assigned, 'online', at('2026-01-19T09:50:00Z'), now, 5 * MIN)).toBe('no_answer')
  })

  it('leaves an answered conversation alone, and does nothing with the timeout off or when not assigned', () => {
    expect(needsReassignment(assigned, 'online', at('2026-01-19T10:02:00Z'), now, 5 * MIN)).toBeNull()
    expect(needsReassignment(assigned, 'online', null, now, null)).toBeNull()
    expect(
      needsReassignment({ ...assigned, status: 'queued', assigneeId: null }, 'offline', null, now, 5 * MIN),
    ).toBeNull()
  })
})
