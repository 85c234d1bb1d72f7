/**
 * Which agent hears about what, pure: a conversation assigned to them by someone else (a colleague's
 * transfer or auto-assignment, never their own take-over), and a shopper's message in a conversation
 * they own. The console turns these into a desktop notification and a sound, if the agent wants.
 */
import type { AgentNotification } from '../../shared/helpdesk.ts'
import type { AuditEvent, Message } from '../../shared/protocol.ts'
import type { Conversation } from '../store/types.ts'

export interface AgentNotice {
  agentId: string
  notification: AgentNotification
}

const TEXT_MAX = 140

function shorten(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length <= TEXT_MAX ? line : `${line.slice(0, TEXT_MAX - 1).trimEnd()}…`
}

/** For an `assigned` event: the new assignee, unless they took it themselves. */
export function assignmentNotice(
  conversation: Conversation,
  event: AuditEvent,
  names: { actor: string | null; contact: string | null },
): AgentNotice | null {
  if (event.type !== 'assigned') return null
  const agentId = event.data.agentId
  if (typeof agentId !== 'string' || (event.actor.kind === 'agent' && event.actor.id === agentId)) return null
  const withWhom = names.contact ? ` with ${names.contact}` : ''
  const text = names.actor
    ? `${names.actor} assigned you a conversation${withWhom}`
    : `A conversation${withWhom} was assigned to you`
  return { agentId, notification: { kind: 'assigned', conversationId: conversation.id, text } }
}

/** For a stored message: the assignee hears of the shopper's messages (never of notes or their own). */
export function messageNotice(conversation: Conversation, message: Message): AgentNotice | null {
  if (message.author !== 'contact' || message.internal) return null
  if (conversation.status !== 'assigned' || !conversation.assigneeId) return null
  return {
    agentId: conversation.assigneeId,
    notification: { kind: 'message', conversationId: conversation.id, text: shorten(message.text) },
  }
}
