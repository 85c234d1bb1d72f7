import { describe, expect, it } from 'vitest'
import type { AuditEvent, AuditEventType, Author } from '../../shared/protocol.ts'
import { slaFactsFrom } from './facts.ts'

let n = 0
const event = (type: AuditEventType, at: string, data: Record<string, unknown> = {}): AuditEvent => ({
  id: `evt_${++n}`,
  conversationId: 'cnv_1',
  type,
  actor: { kind: 'system', id: null },
  at,
  data,
})
const message = (author: Author, createdAt: string) => ({ author, createdAt })
const conversation = {
  channel: 'web' as const,
  priority: 'high' as const,
  status: 'assigned' as const,
  humanInvolved: true,
  createdAt: '2026-01-19T09:55:00.000Z',
}

describe('slaFactsFrom', () => {
  it('starts at the handoff and ignores bot replies when finding the first human response', () => {
    const facts = slaFactsFrom(
      conversation,
      [event('created', '2026-01-19T09:55:00.000Z'), event('handoff', '2026-01-19T10:00:00.000Z')],
      [
        message('contact', '2026-01-19T09:55:10.000Z'),
        message('bot', '2026-01-19T09:55:12.000Z'),
        message('bot', '2026-01-19T10:00:01.000Z'),
        message('system', '2026-01-19T10:00:02.000Z'),
        message('agent', '2026-01-19T10:01:30.000Z'),
        message('agent', '2026-01-19T10:03:00.000Z'),
      ],
    )
    expect(facts).toEqual({
      channel: 'web',
      priority: 'high',
      handoffAt: new Date('2026-01-19T10:00:00.000Z'),
      firstAgentMessageAt: new Date('2026-01-19T10:01:30.000Z'),
      resolvedAt: null,
    })
  })

  it('has no SLA start while only the bot has handled the conversation', () => {
    const facts = slaFactsFrom(
      { ...conversation, status: 'bot', humanInvolved: false },
      [event('created', '2026-01-19T09:55:00.000Z'), event('bot_answered', '2026-01-19T09:55:12.000Z')],
      [message('bot', '2026-01-19T09:55:12.000Z')],
    )
    expect(facts.handoffAt).toBeNull()
  })

  it('reads the resolution time of a resolved conversation', () => {
    const facts = slaFactsFrom(
      { ...conversation, status: 'resolved' },
      [event('handoff', '2026-01-19T10:00:00.000Z'), event('resolved', '2026-01-19T10:30:00.000Z')],
      [message('agent', '2026-01-19T10:01:00.000Z')],
    )
    expect(facts.resolvedAt).toEqual(new Date('2026-01-19T10:30:00.000Z'))
  })

  it('starts a new cycle when a resolved conversation is reopened to the queue', () => {
    const facts = slaFactsFrom(
      { ...conversation, status: 'queued' },
      [
        event('handoff', '2026-01-19T10:00:00.000Z'),
        event('resolved', '2026-01-19T10:30:00.000Z'),
        event('reopened', '2026-01-20T08:00:00.000Z', { from: 'resolved', to: 'queued' }),
      ],
      [message('agent', '2026-01-19T10:01:00.000Z'), message('contact', '2026-01-20T08:00:00.000Z')],
    )
    expect(facts).toMatchObject({
      handoffAt: new Date('2026-01-20T08:00:00.000Z'),
      firstAgentMessageAt: null,
      resolvedAt: null,
    })
  })

  it('starts at creation for a conversation that went to people without the bot', () => {
    const facts = slaFactsFrom(
      { ...conversation, channel: 'email', status: 'queued', humanInvolved: false },
      [event('created', '2026-01-19T09:55:00.000Z')],
      [],
    )
    expect(facts.handoffAt).toEqual(new Date('2026-01-19T09:55:00.000Z'))
  })
})
