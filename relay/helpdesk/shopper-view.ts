/**
 * What the shopper sees of a conversation that has internal notes. Notes share the conversation's
 * seq numbering with everything else (the console's order of record), but never reach the widget;
 * the widget's replay cursor needs a gapless sequence, so it is given its own numbering: a message's
 * shopper seq is its seq minus the notes stored before it. Without notes both numberings are equal.
 */
import type { Message, WidgetConversation } from '../../shared/protocol.ts'
import { toWidgetConversation } from '../conversations/views.ts'
import type { Conversation, Store } from '../store/types.ts'

function notesIn(conversation: Conversation): number {
  return conversation.internalCount ?? 0
}

/** The conversation as the widget sees it: `lastSeq` counts only what the shopper can see. */
export function shopperConversation(conversation: Conversation): WidgetConversation {
  return { ...toWidgetConversation(conversation), lastSeq: conversation.lastSeq - notesIn(conversation) }
}

/**
 * The shopper seq of a visible message, read off a snapshot of its conversation: exact when the
 * snapshot is the one stored with the message (what every broadcast carries), or when the snapshot
 * is newer and has no notes at all; null when the snapshot cannot tell (ask the store).
 */
export function shopperSeq(conversation: Conversation, message: Message): number | null {
  if (message.internal) return null
  if (conversation.lastSeq === message.seq) return message.seq - notesIn(conversation)
  if (conversation.lastSeq > message.seq && notesIn(conversation) === 0) return message.seq
  return null
}

/** A full transcript (from seq 1, in seq order) as the shopper sees it: no notes, renumbered 1, 2, 3 … */
export function shopperTranscript(messages: readonly Message[]): Message[] {
  const visible: Message[] = []
  for (const m of messages) if (!m.internal) visible.push({ ...m, seq: visible.length + 1 })
  return visible
}

/** The shopper's messages after their own cursor `afterSeq`. */
export async function shopperMessagesAfter(
  store: Pick<Store, 'listMessages'>,
  conversation: Conversation,
  afterSeq: number,
): Promise<Message[]> {
  if (notesIn(conversation) === 0) {
    // A note stored after the snapshot was read still must not show; the fast path only skips renumbering.
    const messages = await store.listMessages(conversation.id, afterSeq)
    if (!messages.some((m) => m.internal)) return messages
  }
  return shopperTranscript(await store.listMessages(conversation.id)).filter((m) => m.seq > afterSeq)
}

/** One visible message with its shopper seq (null for a note), asking the store only when needed. */
export async function shopperMessage(
  store: Pick<Store, 'listMessages'>,
  conversation: Conversation,
  message: Message,
): Promise<Message | null> {
  if (message.internal) return null
  const seq = shopperSeq(conversation, message)
  if (seq !== null) return seq === message.seq ? message : { ...message, seq }
  const found = shopperTranscript(await store.listMessages(conversation.id)).find((m) => m.id === message.id)
  return found ?? null
}
