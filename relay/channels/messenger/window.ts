/**
 * Messenger's messaging windows: a standard reply (`messaging_type: RESPONSE`) reaches the person
 * within 24 h of their last message; after that only a human agent's reply, tagged
 * `MESSAGE_TAG`/`HUMAN_AGENT`, and only up to 7 days after that message; later nothing may be sent.
 */
import type { Message } from '../../../shared/protocol.ts'

const HOUR_MS = 60 * 60 * 1000
/** The standard messaging window. */
export const STANDARD_WINDOW_MS = 24 * HOUR_MS
/** The HUMAN_AGENT tag's window: the end of what an agent can send (the summary's `replyWindowEndsAt`). */
export const HUMAN_AGENT_WINDOW_MS = 7 * 24 * HOUR_MS

/** The `messaging_type` (and `tag`) of a Send API body. */
export type Messaging = { messaging_type: 'RESPONSE' } | { messaging_type: 'MESSAGE_TAG'; tag: 'HUMAN_AGENT' }

/** Until when an agent's reply can reach the person (their last message + 7 days); null when unknown. */
export function humanAgentWindowEndsAt(lastInboundAt: string | null): string | null {
  return lastInboundAt ? new Date(Date.parse(lastInboundAt) + HUMAN_AGENT_WINDOW_MS).toISOString() : null
}

/**
 * How one reply is sent, or `closedAt` when it may not be. Bot replies always answer the message
 * that just arrived, so they are standard; so is any reply when the last message's time is unknown
 * (the Graph API then decides).
 */
export function messagingFor(
  author: Message['author'],
  lastInboundAt: string | null,
  now: Date,
): Messaging | { closedAt: string } {
  if (author === 'bot' || !lastInboundAt) return { messaging_type: 'RESPONSE' }
  const since = now.getTime() - Date.parse(lastInboundAt)
  if (since < STANDARD_WINDOW_MS) return { messaging_type: 'RESPONSE' }
  if (since < HUMAN_AGENT_WINDOW_MS) return { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' }
  return { closedAt: new Date(Date.parse(lastInboundAt) + HUMAN_AGENT_WINDOW_MS).toISOString() }
}

/** The agents' note when a reply was held back. */
export function windowClosedNote(closedAt: string): string {
  return (
    `The Messenger reply was not sent: the customer last wrote more than 7 days ago (the window closed at ${closedAt}), ` +
    'and Messenger allows no message after that, not even a human agent’s. It can be sent once the customer writes again.'
  )
}
