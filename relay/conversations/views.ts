/** Projections of stored conversations onto the wire: what an agent sees and what a shopper sees. */
import type { ConversationSummary, SlaSummary, WidgetConversation } from '../../shared/protocol.ts'
import type { Contact, Conversation } from '../store/types.ts'

/**
 * `sla`: from relay/sla/tracker.ts (`slaFor`); left out, the summary has no `sla` field. Likewise
 * `replyWindowEndsAt`, the channel's reply window (WhatsApp's 24 hours), absent for other channels.
 */
export function toSummary(
  conversation: Conversation,
  contact: Contact | null,
  sla?: SlaSummary | null,
  replyWindowEndsAt?: string | null,
): ConversationSummary {
  return {
    id: conversation.id,
    siteId: conversation.siteId,
    channel: conversation.channel,
    status: conversation.status,
    priority: conversation.priority,
    handoffReason: conversation.handoffReason,
    handoffSummary: conversation.handoffSummary,
    assignee:
      conversation.assigneeId && conversation.assigneeName
        ? { id: conversation.assigneeId, name: conversation.assigneeName }
        : null,
    // The customer the contact is shown as (itself, or the contact it was merged into).
    contact: {
      id: contact?.id ?? conversation.contactId,
      name: contact?.name ?? null,
      email: contact?.email ?? null,
    },
    preview: conversation.preview,
    lastSeq: conversation.lastSeq,
    createdAt: conversation.createdAt,
    updatedAt: conversation.updatedAt,
    tags: conversation.tags ?? [],
    teamId: conversation.teamId ?? null,
    ...(conversation.status === 'resolved' && { resolution: conversation.resolution ?? null }),
    ...(sla !== undefined && { sla }),
    ...(replyWindowEndsAt !== undefined && { replyWindowEndsAt }),
  }
}

export function toWidgetConversation(conversation: Conversation): WidgetConversation {
  return {
    id: conversation.id,
    status: conversation.status,
    assigneeName: conversation.assigneeName,
    lastSeq: conversation.lastSeq,
    ...(conversation.status === 'resolved' && { rated: conversation.resolution?.csat !== undefined }),
  }
}
