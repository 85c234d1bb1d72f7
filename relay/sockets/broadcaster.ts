/** Delivers stored changes to socket.io rooms: the shopper's conversation room and the agents' site rooms. */
import type { Server } from 'socket.io'
import {
  CONSOLE_NAMESPACE,
  type ConversationSummary,
  type DeliveryStatus,
  type Message,
  type MessageDelta,
  WIDGET_NAMESPACE,
} from '../../shared/protocol.ts'
import type { ContactCache } from '../conversations/contact-cache.ts'
import type { Broadcaster, Logger } from '../conversations/service.ts'
import { toSummary } from '../conversations/views.ts'
import { shopperConversation, shopperSeq } from '../helpdesk/shopper-view.ts'
import type { Conversation } from '../store/types.ts'

export const rooms = {
  conversation: (id: string) => `conv:${id}`,
  site: (siteId: string) => `site:${siteId}`,
  contact: (siteId: string, contactId: string) => `contact:${siteId}:${contactId}`,
  session: (sessionId: string) => `session:${sessionId}`,
  /** Every console socket of one agent (notifications, their own inbox counts). */
  agent: (agentId: string) => `agent:${agentId}`,
  /** The console sockets viewing a conversation (relay/helpdesk/collision.ts). */
  viewing: (conversationId: string) => `viewing:${conversationId}`,
}

/** Every socket of a shopper (all tabs) is in their contact room, joined at the handshake. */
function shopperRoom(conversation: Conversation): string {
  return rooms.contact(conversation.siteId, conversation.contactId)
}

/** Pushes a reply's new delivery status to the consoles that have its conversation open. */
export function deliveryPusher(io: Server): (status: DeliveryStatus) => void {
  const agents = io.of(CONSOLE_NAMESPACE)
  return (status) => {
    agents.to(rooms.conversation(status.conversationId)).emit('message:delivery', status)
  }
}

/** `summarize`: how agents see a conversation (with its SLA: relay/routing/runtime.ts); default without SLA. */
export function socketBroadcaster(
  io: Server,
  contacts: ContactCache,
  log: Logger,
  summarize?: (conversation: Conversation) => Promise<ConversationSummary>,
): Broadcaster {
  const widget = io.of(WIDGET_NAMESPACE)
  const agents = io.of(CONSOLE_NAMESPACE)
  return {
    conversationChanged(conversation: Conversation) {
      widget.to(shopperRoom(conversation)).emit('conversation:updated', shopperConversation(conversation))
      const summary = summarize
        ? summarize(conversation)
        : contacts.get(conversation.contactId).then((contact) => toSummary(conversation, contact))
      summary.then(
        (shown) => agents.to(rooms.site(conversation.siteId)).emit('conversation:upserted', shown),
        (error: unknown) =>
          log.error({ err: error, conversationId: conversation.id }, 'contact lookup failed'),
      )
    },
    messageAdded(conversation: Conversation, message: Message) {
      agents.to(rooms.conversation(conversation.id)).emit('message:new', message)
      // Internal notes never reach the shopper; the others carry the shopper's gapless seq.
      if (message.internal) return
      const seq = shopperSeq(conversation, message)
      if (seq === null) {
        log.error(
          { conversationId: conversation.id, seq: message.seq },
          'message broadcast with a stale snapshot',
        )
        return
      }
      widget
        .to(shopperRoom(conversation))
        .emit('message:new', seq === message.seq ? message : { ...message, seq })
    },
    messageDelta(conversation: Conversation, delta: MessageDelta) {
      widget.to(shopperRoom(conversation)).emit('message:delta', delta)
      agents.to(rooms.conversation(conversation.id)).emit('message:delta', delta)
    },
  }
}
