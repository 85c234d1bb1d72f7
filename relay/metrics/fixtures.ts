/** Hand-built conversation logs for the metrics tests: events and messages at given times. */
import type { Actor, AuditEvent, AuditEventType, BotMeta, Channel } from '../../shared/protocol.ts'
import type { ConversationRecord } from './facts.ts'

type Msg = ConversationRecord['messages'][number]

const AGENT = (id: string): Actor => ({ kind: 'agent', id })
export const actors = {
  agent: AGENT,
  contact: { kind: 'contact', id: 'ctc_1' } as Actor,
  bot: { kind: 'bot', id: null } as Actor,
  system: { kind: 'system', id: null } as Actor,
}

/** A conversation created at `createdAt` on `channel`; chain calls to add its log in order. */
export function conversation(id: string, createdAt: string, channel: Channel = 'web') {
  const events: AuditEvent[] = [
    { id: `${id}_e0`, conversationId: id, type: 'created', actor: actors.contact, at: createdAt, data: {} },
  ]
  const messages: Msg[] = []
  const builder = {
    event(type: AuditEventType, at: string, actor: Actor, data: Record<string, unknown> = {}) {
      events.push({ id: `${id}_e${events.length}`, conversationId: id, type, actor, at, data })
      return builder
    },
    message(
      author: Msg['author'],
      at: string,
      text: string,
      extra: { internal?: boolean; bot?: BotMeta } = {},
    ) {
      messages.push({ seq: messages.length + 1, author, text, createdAt: at, ...extra })
      return builder
    },
    bot(at: string, outcome: BotMeta['outcome'], text = 'bot text') {
      return builder.message('bot', at, text, {
        bot: { outcome, confidence: null, intent: 'x', provider: 'local' },
      })
    },
    record(): ConversationRecord {
      return { conversation: { id, channel, createdAt }, events, messages }
    },
  }
  return builder
}
