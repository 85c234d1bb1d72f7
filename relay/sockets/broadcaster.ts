/** Delivers stored changes to socket.io rooms: the shopper's conversation room and the agents' site rooms. */
import type { Server } from 'socket.io'
import {
  CONSOLE_NAMESPACE,
  type Message,
  type MessageDelta,
  WIDGET_NAMESPACE,
} from '../../shared/protocol.ts'
import type { ContactCache } from '../conversations/contact-cache.ts'
import type { Broadcaster, Logger } from '../conversations/service.ts'
import { toSummary, toWidgetConversation } from '../conversations/views.ts'
import type { Conversation } from '../store/types.ts'

export const rooms = {
  conversation: (id: string) => `conv:${id}`,
  site: (siteId: string) => `site:${siteId}`,
  contact: (siteId: string, contactId: string) => `contact:${siteId}:${contactId}`,
  session: (sessionId: string) => `session:${sessionId}`,
}

/** Every socket of a shopper (all tabs) is in their contact room, joined at the handshake. */
function shopperRoom(conversation: Conversation): string {
  return rooms.contact(conversation.siteId, conversation.contactId)
}

export function socketBroadcaster(io: Server, contacts: ContactCache, log: Logger): Broadcaster {
  const widget = io.of(WIDGET_NAMESPACE)
  const agents = io.of(CONSOLE_NAMESPACE)
  return {
    conversationChanged(conversation: Conversation) {
      widget.to(shopperRoom(conversation)).emit('conversation:updated', toWidgetConversation(conversation))
      contacts.get(conversation.contactId).then(
        (contact) =>
          agents
            .to(rooms.site(conversation.siteId))
            .emit('conversation:upserted', toSummary(conversation, contact)),
        (error: unknown) =>
          log.error({ err: error, conversationId: conversation.id }, 'contact lookup failed'),
      )
    },
    messageAdded(conversation: Conversation, message: Message) {
      widget.to(shopperRoom(conversation)).emit('message:new', message)
      agents.to(rooms.conversation(conversation.id)).emit('message:new', message)
    },
    messageDelta(conversation: Conversation, delta: MessageDelta) {
      widget.to(shopperRoom(conversation)).emit('message:delta', delta)
      agents.to(rooms.conversation(conversation.id)).emit('message:delta', delta)
    },
  }
}
