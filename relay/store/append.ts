/** What every store does when it appends a message: the stored message and the conversation after it. */
import { newId } from '../../shared/ids.ts'
import type { Message } from '../../shared/protocol.ts'
import type { Conversation, NewMessage } from './types.ts'

const PREVIEW_MAX = 140

/** The shopper's text as one line of at most 140 characters. */
export function previewOf(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim()
  const chars = Array.from(line)
  if (chars.length <= PREVIEW_MAX) return line
  const head = chars
    .slice(0, PREVIEW_MAX - 1)
    .join('')
    .trimEnd()
  return `${head}…`
}

/**
 * The message with the next seq, and the conversation with that seq, the time and (for a shopper's
 * visible message) the preview; an internal note is counted in `internalCount`.
 */
export function appended(
  current: Conversation,
  input: NewMessage,
  createdAt: string,
): { message: Message; conversation: Conversation } {
  const seq = current.lastSeq + 1
  const message: Message = {
    id: newId('msg_'),
    conversationId: current.id,
    seq,
    clientId: input.clientId,
    author: input.author,
    authorId: input.authorId,
    authorName: input.authorName,
    text: input.text,
    sources: input.sources,
    createdAt,
    ...(input.bot ? { bot: input.bot } : {}),
    ...(input.internal ? { internal: true } : {}),
  }
  const conversation: Conversation = {
    ...current,
    lastSeq: seq,
    updatedAt: createdAt,
    preview: input.author === 'contact' && !input.internal ? previewOf(input.text) : current.preview,
    ...(input.internal ? { internalCount: (current.internalCount ?? 0) + 1 } : {}),
  }
  return { message, conversation }
}
