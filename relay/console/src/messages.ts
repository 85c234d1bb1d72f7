/** Pure transcript helpers: messages are ordered and deduplicated by their per-conversation seq. */
import type { Message } from '../../../shared/protocol.ts'

/**
 * Merges incoming messages into a transcript: one message per seq (the later copy wins, so a
 * re-open after reconnect refreshes), sorted by seq. Returns the same array when nothing changed.
 */
export function mergeMessages(held: readonly Message[], incoming: readonly Message[]): readonly Message[] {
  if (incoming.length === 0) return held
  const bySeq = new Map<number, Message>()
  for (const m of held) bySeq.set(m.seq, m)
  let changed = false
  for (const m of incoming) {
    const prev = bySeq.get(m.seq)
    if (prev && prev.id === m.id && prev.text === m.text) continue
    bySeq.set(m.seq, m)
    changed = true
  }
  if (!changed) return held
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq)
}

/** Highest seq held, 0 for an empty transcript. */
export function lastSeq(messages: readonly Message[]): number {
  return messages.length === 0 ? 0 : (messages[messages.length - 1]?.seq ?? 0)
}
