/** What every outbound channel shares: which stored messages leave, and in which order. */
import type { Channel, Message } from '../../shared/protocol.ts'
import type { ConversationObserver } from '../conversations/service.ts'
import type { Conversation } from '../store/types.ts'
import { KeyedQueue } from '../util/keyed-queue.ts'

/** True for a message the customer must receive: an agent's or the bot's, not an internal note. */
export function isCustomerReply(message: Message): boolean {
  return !message.internal && (message.author === 'agent' || message.author === 'bot')
}

/**
 * The observer that hands a channel's customer replies to `send`, one conversation's replies in
 * the order they were stored.
 */
export function replyForwarder(
  channel: Channel,
  send: (conversation: Conversation, message: Message) => Promise<void>,
): ConversationObserver & { drain(): Promise<void> } {
  const queue = new KeyedQueue()
  return {
    messageStored(conversation, message) {
      if (conversation.channel !== channel || !isCustomerReply(message)) return
      return queue.run(conversation.id, () => send(conversation, message))
    },
    drain: () => queue.drain(),
  }
}
