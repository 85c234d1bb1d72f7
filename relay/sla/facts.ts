/**
 * The facts an SLA is computed from, read off a conversation's audit log and messages. The current
 * human cycle starts at the latest handoff, or at a reopen that sent the conversation back to the queue;
 * a conversation that reached people without the bot (no such event) starts at its creation.
 */
import type { AuditEvent, Message } from '../../shared/protocol.ts'
import type { Conversation } from '../store/types.ts'
import type { SlaFacts } from './policy.ts'

type ConversationFacts = Pick<Conversation, 'channel' | 'priority' | 'status' | 'humanInvolved' | 'createdAt'>

function startsCycle(event: AuditEvent): boolean {
  return event.type === 'handoff' || (event.type === 'reopened' && event.data.to === 'queued')
}

/** SLA facts for the conversation's current cycle; `handoffAt` is null while only the bot has handled it. */
export function slaFactsFrom(
  conversation: ConversationFacts,
  events: readonly AuditEvent[],
  messages: readonly Pick<Message, 'author' | 'createdAt'>[],
): SlaFacts {
  const starts = events.filter(startsCycle).map((e) => Date.parse(e.at))
  const latestStart = starts.length > 0 ? Math.max(...starts) : null
  const humanWithoutBot =
    conversation.status === 'queued' || conversation.status === 'assigned' || conversation.humanInvolved
  const start = latestStart ?? (humanWithoutBot ? Date.parse(conversation.createdAt) : null)
  const base = { channel: conversation.channel, priority: conversation.priority }
  if (start === null) return { ...base, handoffAt: null, firstAgentMessageAt: null, resolvedAt: null }

  const agentReplies = messages
    .filter((m) => m.author === 'agent' && Date.parse(m.createdAt) >= start)
    .map((m) => Date.parse(m.createdAt))
  const resolutions = events
    .filter((e) => e.type === 'resolved' && Date.parse(e.at) >= start)
    .map((e) => Date.parse(e.at))
  return {
    ...base,
    handoffAt: new Date(start),
    firstAgentMessageAt: agentReplies.length > 0 ? new Date(Math.min(...agentReplies)) : null,
    // Only a resolution that still stands counts: a later reopen would have started a new cycle.
    resolvedAt:
      conversation.status === 'resolved' && resolutions.length > 0
        ? new Date(Math.max(...resolutions))
        : null,
  }
}
