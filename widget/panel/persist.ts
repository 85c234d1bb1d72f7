/**
 * What the panel keeps per site across reloads and pages of the store: the shopper's token and a
 * cache of the conversation (id, status, the tail of its messages), so a resume fetches only
 * what is missing.
 */
import type { Message, WidgetConversation } from '../../shared/protocol.ts'
import type { StorageKey, StorageKeyName } from '../../shared/widget-api.ts'
import { readJson, writeJson } from './storage.ts'
import { type ChatState, cursor } from './store.ts'

/** The cache holds this many of the latest messages; the store's localStorage quota is shared. */
export const MAX_CACHED_MESSAGES = 100

export interface ConversationCache {
  v: 1
  contactId: string | null
  conversation: WidgetConversation
  /** Seqs at or below `floor` are not in `messages`. */
  floor: number
  /** The resume cursor at the time of writing, for people reading storage. */
  lastSeq: number
  messages: Message[]
}

export function storageKey(site: string, name: StorageKeyName): StorageKey {
  return `parley:${site}:${name}`
}

export function loadToken(storage: Storage, site: string): string | undefined {
  return storage.getItem(storageKey(site, 'token')) ?? undefined
}

export function saveToken(storage: Storage, site: string, token: string): void {
  try {
    storage.setItem(storageKey(site, 'token'), token)
  } catch {
    // Quota full: this page still works, a reload gets a new token from the relay.
  }
}

export function loadCache(storage: Storage, site: string): ConversationCache | null {
  const value = readJson(storage, storageKey(site, 'conversation'))
  if (!isCache(value)) return null
  return value
}

/** Writes the conversation part of `state`; drops the cache (never a stale one) when it cannot. */
export function saveCache(storage: Storage, site: string, state: ChatState): void {
  const key = storageKey(site, 'conversation')
  if (!state.conversation) {
    storage.removeItem(key)
    return
  }
  const messages = state.messages.slice(-MAX_CACHED_MESSAGES)
  const first = messages[0]
  const floor = first && messages.length < state.messages.length ? first.seq - 1 : state.floor
  const cache: ConversationCache = {
    v: 1,
    contactId: state.contactId,
    conversation: state.conversation,
    floor,
    lastSeq: cursor({ floor, messages }),
    messages,
  }
  // Without room for messages, keep the id: the resume then fetches them all (afterSeq 0).
  if (!writeJson(storage, key, cache)) {
    storage.removeItem(key)
    writeJson(storage, key, { ...cache, floor: 0, lastSeq: 0, messages: [] })
  }
}

function isCache(value: unknown): value is ConversationCache {
  if (typeof value !== 'object' || value === null) return false
  const c = value as Partial<ConversationCache>
  return (
    c.v === 1 &&
    typeof c.conversation === 'object' &&
    c.conversation !== null &&
    typeof c.conversation.id === 'string' &&
    typeof c.floor === 'number' &&
    Array.isArray(c.messages) &&
    c.messages.every((m) => typeof m === 'object' && m !== null && typeof m.seq === 'number')
  )
}
