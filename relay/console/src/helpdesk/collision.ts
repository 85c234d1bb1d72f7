/**
 * Collision warnings, pure: who else has a conversation open, who is typing in it (a notice
 * expires after a few seconds unless repeated), and how often the console itself says it is typing.
 */
import type { TypingNotice, Viewers } from '../../../../shared/helpdesk.ts'

export interface Person {
  id: string
  name: string
}

/** One agent typing in one conversation, until `until` (ms since the epoch). */
export interface TypingEntry extends Person {
  internal: boolean
  until: number
}

export type ViewersByConversation = Readonly<Record<string, readonly Person[]>>
export type TypingByConversation = Readonly<Record<string, readonly TypingEntry[]>>

/** A typing notice lasts this long unless the agent keeps typing. */
export const TYPING_TTL_MS = 4000
/** The console says "typing" at most this often while the agent types. */
export const TYPING_THROTTLE_MS = 2500

/** The viewer list the relay sent, without the signed-in agent; the same object when unchanged. */
export function withViewers(
  held: ViewersByConversation,
  incoming: Viewers,
  selfId: string | null,
): ViewersByConversation {
  const others = dedupe(incoming.viewers.filter((v) => v.id !== selfId))
  const prev = held[incoming.conversationId] ?? []
  if (samePeople(prev, others)) return held
  const next = { ...held }
  if (others.length === 0) delete next[incoming.conversationId]
  else next[incoming.conversationId] = others
  return next
}

function dedupe(people: readonly Person[]): Person[] {
  const seen = new Set<string>()
  const out: Person[] = []
  for (const p of people) {
    if (seen.has(p.id)) continue
    seen.add(p.id)
    out.push({ id: p.id, name: p.name })
  }
  return out
}

function samePeople(a: readonly Person[], b: readonly Person[]): boolean {
  return a.length === b.length && a.every((p, i) => p.id === b[i]?.id && p.name === b[i]?.name)
}

/** Records (or extends) a typing notice; the signed-in agent's own notices are ignored. */
export function withTyping(
  held: TypingByConversation,
  notice: TypingNotice,
  now: number,
  selfId: string | null,
): TypingByConversation {
  if (notice.agent.id === selfId) return held
  const list = (held[notice.conversationId] ?? []).filter((e) => e.id !== notice.agent.id && e.until > now)
  const entry: TypingEntry = {
    id: notice.agent.id,
    name: notice.agent.name,
    internal: notice.internal,
    until: now + TYPING_TTL_MS,
  }
  return { ...held, [notice.conversationId]: [...list, entry] }
}

/** Forgets typing notices that have run out; the same object when none has. */
export function expireTyping(held: TypingByConversation, now: number): TypingByConversation {
  let changed = false
  const next: Record<string, readonly TypingEntry[]> = {}
  for (const [id, list] of Object.entries(held)) {
    const live = list.filter((e) => e.until > now)
    if (live.length !== list.length) changed = true
    if (live.length > 0) next[id] = live
  }
  return changed ? next : held
}

/** A message from an agent ends their typing notice in that conversation. */
export function stopTyping(held: TypingByConversation, conversationId: string, agentId: string) {
  const list = held[conversationId]
  if (!list?.some((e) => e.id === agentId)) return held
  const rest = list.filter((e) => e.id !== agentId)
  const next = { ...held }
  if (rest.length === 0) delete next[conversationId]
  else next[conversationId] = rest
  return next
}

/** Who is typing in a conversation right now. */
export function typingIn(held: TypingByConversation, conversationId: string, now: number): TypingEntry[] {
  return (held[conversationId] ?? []).filter((e) => e.until > now)
}

/** A leading-edge throttle: true when a typing notice should go out now for this conversation. */
export function createTypingThrottle(intervalMs = TYPING_THROTTLE_MS) {
  let last: { key: string; at: number } | null = null
  return (conversationId: string, internal: boolean, now: number): boolean => {
    const key = `${conversationId}|${internal}`
    if (last && last.key === key && now - last.at < intervalMs) return false
    last = { key, at: now }
    return true
  }
}
