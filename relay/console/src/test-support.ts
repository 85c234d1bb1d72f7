/** Builders for tests: plausible wire objects with only the fields a test cares about changed. */
import type { AgentProfile, ConversationSummary, Message } from '../../../shared/protocol.ts'

export const ana: AgentProfile = {
  id: 'agent_ana',
  email: 'ana@example.com',
  name: 'Ana Agent',
  role: 'agent',
}
export const bo: AgentProfile = { id: 'agent_bo', email: 'bo@example.com', name: 'Bo Agent', role: 'agent' }

export function summary(id: string, overrides: Partial<ConversationSummary> = {}): ConversationSummary {
  return {
    id,
    siteId: 'site_demo',
    channel: 'web',
    status: 'bot',
    priority: 'normal',
    handoffReason: null,
    handoffSummary: null,
    assignee: null,
    contact: { id: `contact_${id}`, name: null, email: null },
    preview: `latest from ${id}`,
    lastSeq: 1,
    createdAt: '2025-01-01T10:00:00.000Z',
    updatedAt: '2025-01-01T10:00:00.000Z',
    ...overrides,
  }
}

export function message(conversationId: string, seq: number, overrides: Partial<Message> = {}): Message {
  return {
    id: `${conversationId}_m${seq}`,
    conversationId,
    seq,
    clientId: null,
    author: 'contact',
    authorId: null,
    authorName: null,
    text: `message ${seq}`,
    sources: [],
    createdAt: new Date(Date.UTC(2025, 0, 1, 10, 0, seq)).toISOString(),
    ...overrides,
  }
}
