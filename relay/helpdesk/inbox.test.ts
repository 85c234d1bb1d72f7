import { describe, expect, it } from 'vitest'
import type { ConversationSummary } from '../../shared/protocol.ts'
import type { Conversation } from '../store/types.ts'
import { countViews, inView, matchesFilters, orderView } from './inbox.ts'

function conversation(over: Partial<Conversation>): Conversation {
  return {
    id: 'cnv_x',
    siteId: 'demo',
    contactId: 'ctc_1',
    channel: 'web',
    status: 'queued',
    priority: 'normal',
    handoffReason: null,
    handoffSummary: null,
    assigneeId: null,
    assigneeName: null,
    humanInvolved: false,
    lastSeq: 1,
    preview: '',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...over,
  }
}

function summary(over: Partial<ConversationSummary>): ConversationSummary {
  return {
    id: 'cnv_x',
    siteId: 'demo',
    channel: 'web',
    status: 'queued',
    priority: 'normal',
    handoffReason: null,
    handoffSummary: null,
    assignee: null,
    contact: { id: 'ctc_1', name: null, email: null },
    preview: '',
    lastSeq: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...over,
  }
}

const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 0, minutes)).toISOString()
const sla = (dueAt: string | null) => ({
  dueAt,
  firstResponseDue: dueAt,
  resolutionDue: null,
  firstResponseAt: null,
  state: 'ok' as const,
  timeLeftMs: null,
})

describe('inbox views', () => {
  const list = [
    conversation({ id: 'a', status: 'bot' }),
    conversation({ id: 'b', status: 'queued' }),
    conversation({ id: 'c', status: 'assigned', assigneeId: 'me' }),
    conversation({ id: 'd', status: 'assigned', assigneeId: 'you' }),
    conversation({ id: 'e', status: 'resolved', assigneeId: 'me' }),
  ]

  it('puts a conversation in mine only while it is assigned to me and open', () => {
    expect(list.filter((c) => inView('mine', c, 'me')).map((c) => c.id)).toEqual(['c'])
    expect(list.filter((c) => inView('open', c, 'me')).map((c) => c.id)).toEqual(['a', 'b', 'c', 'd'])
  })

  it('counts every view for one agent: mine differs per agent, the others do not', () => {
    expect(countViews(list, 'me')).toEqual({ mine: 1, unassigned: 1, open: 4, bot: 1, resolved: 1, all: 5 })
    expect(countViews(list, 'nobody')).toMatchObject({ mine: 0, open: 4, all: 5 })
  })

  it('narrows by channel, priority, tag (any case) and team, all of them at once', () => {
    const c = conversation({ channel: 'email', priority: 'high', tags: ['refund'], teamId: 'billing' })
    expect(matchesFilters(c, { channel: 'email', priority: 'high', tag: 'Refund', teamId: 'billing' })).toBe(
      true,
    )
    expect(matchesFilters(c, { channel: 'web' })).toBe(false)
    expect(matchesFilters(c, { priority: 'urgent' })).toBe(false)
    expect(matchesFilters(c, { tag: 'vip' })).toBe(false)
    expect(matchesFilters(c, { teamId: 'sales' })).toBe(false)
    expect(matchesFilters(conversation({}), { tag: 'refund' })).toBe(false)
  })
})

describe('inbox order', () => {
  it('orders queue views by priority, then SLA due time (none last), then the oldest first', () => {
    const shown = orderView('unassigned', [
      summary({ id: 'low-old', priority: 'low', createdAt: at(0) }),
      summary({ id: 'normal-new', priority: 'normal', createdAt: at(30) }),
      summary({ id: 'normal-old', priority: 'normal', createdAt: at(10) }),
      summary({ id: 'normal-due-late', priority: 'normal', createdAt: at(50), sla: sla(at(90)) }),
      summary({ id: 'normal-due-soon', priority: 'normal', createdAt: at(55), sla: sla(at(60)) }),
      summary({ id: 'urgent', priority: 'urgent', createdAt: at(59) }),
      summary({ id: 'high', priority: 'high', createdAt: at(58) }),
    ])
    expect(shown.map((s) => s.id)).toEqual([
      'urgent',
      'high',
      'normal-due-soon',
      'normal-due-late',
      'normal-old',
      'normal-new',
      'low-old',
    ])
  })

  it('orders the other views newest activity first, and keeps at most the limit', () => {
    const shown = orderView(
      'resolved',
      [
        summary({ id: 'old', priority: 'urgent', updatedAt: at(1) }),
        summary({ id: 'new', priority: 'low', updatedAt: at(9) }),
        summary({ id: 'mid', updatedAt: at(5) }),
      ],
      2,
    )
    expect(shown.map((s) => s.id)).toEqual(['new', 'mid'])
  })
})
