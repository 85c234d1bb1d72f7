/** What every outbound channel shares: which stored messages leave, and in which order. */
import type { Channel, Message } from '../../shared/protocol.ts'
import type { ConversationObserver } from '../conversations/service.ts'
import type { Conversation } from '../store/types.ts'
import { KeyedQueue } from '../util/keyed-queue.ts'

/** True for a message the customer must receive: an agent's or the bot's, not an internal note. */
export function isCustomerReply(message: Message): boolean {
  return !message.internal && (message.author === 'agent' || message.author === 'bot')
}

/** A channel's outbound observer: `drain` waits for the sends queued so far, `close` also cuts retry waits short. */
export type ReplySender = ConversationObserver & { drain(): Promise<void>; close(): Promise<void> }

/**
 * The observer that hands a channel's customer replies to `send`, one conversation's replies in
 * the order they were stored. `send` gets a signal that aborts on `close` (shutdown): it ends a
 * pending retry wait (see retry.ts).
 */
export function replyForwarder(
  channel: Channel,
  send: (conversation: Conversation, message: Message, closing: AbortSignal) => Promise<void>,
): ReplySender {
  const queue = new KeyedQueue()
  const closing = new AbortController()
  return {
    messageStored(conversation, message) {
      if (conversation.channel !== channel || !isCustomerReply(message)) return
      // A send that is waiting to retry holds that conversation's later replies back: on purpose,
      // the customer must never read them out of order. Other conversations are not held up.
      return queue.run(conversation.id, () => send(conversation, message, closing.signal))
    },
    drain: () => queue.drain(),
    async close() {
      closing.abort()
      await queue.drain()
    },
  }
}
