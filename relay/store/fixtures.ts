/** Records for store tests (the shared contract and each store's own tests): minimal and valid. */
import { newId } from '../../shared/ids.ts'
import type { AuditEvent } from '../../shared/protocol.ts'
import type { Conversation, NewMessage } from './types.ts'

export const T0 = '2025-01-01T10:00:00.000Z'

/** A new bot conversation of contact `ct1` on site `s1`, created at T0. */
export function conversation(over: Partial<Conversation> = {}): Conversation {
  return {
    id: newId('conv_'),
    siteId: 's1',
    contactId: 'ct1',
    channel: 'web',
    status: 'bot',
    priority: 'normal',
    handoffReason: null,
    handoffSummary: null,
    assigneeId: null,
    assigneeName: null,
    humanInvolved: false,
    lastSeq: 0,
    preview: '',
    createdAt: T0,
    updatedAt: T0,
    ...over,
  }
}

/** The `created` event a conversation is stored with, by its contact, at its creation time. */
export function createdEvent(c: Conversation): AuditEvent {
  return {
    id: newId('evt_'),
    conversationId: c.id,
    type: 'created',
    actor: { kind: 'contact', id: c.contactId },
    at: c.createdAt,
    data: {},
  }
}

/** A shopper's message without a client id. */
export function message(conversationId: string, text: string, over: Partial<NewMessage> = {}): NewMessage {
  return {
    conversationId,
    clientId: null,
    author: 'contact',
    authorId: null,
    authorName: null,
    text,
    sources: [],
    ...over,
  }
}
