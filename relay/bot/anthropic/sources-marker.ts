/**
 * The model ends an answer with `<sources>slug,slug</sources>`. The marker is read for the
 * decision's sources and never reaches the shopper: while streaming, anything that could be the
 * start of it (and the whitespace before it) is held back until it is clearly ordinary text.
 */

export const SOURCES_OPEN = '<sources>'
export const SOURCES_CLOSE = '</sources>'

export interface MarkerFilter {
  /** Takes a streamed delta; returns the part that is safe to show now. */
  push(delta: string): string
  /** The stream ended: returns what was held back and is not part of a marker. */
  end(): string
}

/** Length of the longest suffix of `text` that is a proper prefix of the marker. */
function partialMarkerAt(text: string): number {
  const lt = text.lastIndexOf('<')
  if (lt < 0) return text.length
  return SOURCES_OPEN.startsWith(text.slice(lt)) ? lt : text.length
}

/** A filter for one streamed reply: text before the marker passes, the marker and all after it do not. */
export function createMarkerFilter(): MarkerFilter {
  let held = ''
  let inMarker = false
  return {
    push(delta) {
      if (inMarker) return ''
      const text = held + delta
      const at = text.indexOf(SOURCES_OPEN)
      if (at >= 0) {
        inMarker = true
        held = ''
        return text.slice(0, at).trimEnd()
      }
      const partial = partialMarkerAt(text)
      const safe = text.slice(0, partial).trimEnd()
      held = text.slice(safe.length)
      return safe
    },
    end() {
      if (inMarker) return ''
      const rest = held.trimEnd()
      held = ''
      return rest
    },
  }
}

export interface ParsedReply {
  /** The reply without the marker (and without anything after it). */
  text: string
  /** The cited slugs, in order, de-duplicated; null when there is no marker. */
  slugs: string[] | null
}

/** Splits a complete reply into its text and the slugs of its last sources marker. */
export function parseReply(reply: string): ParsedReply {
  const at = reply.lastIndexOf(SOURCES_OPEN)
  if (at < 0) return { text: reply.trim(), slugs: null }
  const before = reply.slice(0, reply.indexOf(SOURCES_OPEN)).trim()
  const inner = reply.slice(at + SOURCES_OPEN.length)
  const close = inner.indexOf(SOURCES_CLOSE)
  const list = close >= 0 ? inner.slice(0, close) : inner
  const slugs = [
    ...new Set(
      list
        .split(/[,\s]+/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ]
  return { text: before, slugs }
}
