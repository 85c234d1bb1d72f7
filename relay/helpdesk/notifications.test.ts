import { describe, expect, it } from 'vitest'
import type { AuditEvent, Message } from '../../shared/protocol.ts'
import type { Conversation } from '../store/types.ts'
import { assignmentNotice, messageNotice } from './notifications.ts'

const conversation: Conversation = {
  id: 'cnv_1',
  siteId: 'demo',
  contactId: 'ctc_1',
  channel: 'web',
  status: 'assigned',
  priority: 'normal',
  handoffReason: null,
  handoffSummary: null,
  assigneeId: 'agt_b',
  assigneeName: 'Bo',
  humanInvolved: true,
  lastSeq: 3,
  preview: '',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
}

function assigned(actor: AuditEvent['actor'], agentId: string): AuditEvent {
  return { id: 'evt_1', conversationId: 'cnv_1', type: 'assigned', actor, at: '', data: { agentId } }
}

const message = (over: Partial<Message>): Message => ({
  id: 'msg_1',
  conversationId: 'cnv_1',
  seq: 3,
  clientId: null,
  author: 'contact',
  authorId: null,
  authorName: null,
  text: 'Is it   there yet?',
  sources: [],
  createdAt: '',
  ...over,
})

describe('agent notifications', () => {
  it('tells the new assignee who assigned them a conversation, and with whom', () => {
    expect(
      assignmentNotice(conversation, assigned({ kind: 'agent', id: 'agt_a' }, 'agt_b'), {
        actor: 'Ada',
        contact: 'Jane',
      }),
    ).toEqual({
      agentId: 'agt_b',
      notification: {
        kind: 'assigned',
        conversationId: 'cnv_1',
        text: 'Ada assigned you a conversation with Jane',
      },
    })
    expect(
      assignmentNotice(conversation, assigned({ kind: 'system', id: null }, 'agt_b'), {
        actor: null,
        contact: null,
      })?.notification.text,
    ).toBe('A conversation was assigned to you')
  })

  it('says nothing to an agent who took the conversation themselves, or for other events', () => {
    expect(
      assignmentNotice(conversation, assigned({ kind: 'agent', id: 'agt_b' }, 'agt_b'), {
        actor: 'Bo',
        contact: null,
      }),
    ).toBeNull()
    const resolved = { ...assigned({ kind: 'agent', id: 'agt_a' }, 'agt_b'), type: 'resolved' as const }
    expect(assignmentNotice(conversation, resolved, { actor: 'Ada', contact: null })).toBeNull()
  })

  it('tells the assignee of a shopper message, never of notes, agents’ messages or unowned conversations', () => {
    expect(messageNotice(conversation, message({}))).toEqual({
      agentId: 'agt_b',
      notification: { kind: 'message', conversationId: 'cnv_1', text: 'Is it there yet?' },
    })
    expect(messageNotice(conversation, message({ author: 'agent' }))).toBeNull()
    expect(messageNotice(conversation, message({ author: 'agent', internal: true }))).toBeNull()
    expect(messageNotice({ ...conversation, status: 'queued', assigneeId: null }, message({}))).toBeNull()
  })
})
