import { describe, expect, it } from 'vitest'
import type { Message } from '../../shared/protocol.ts'
import { loadCache, loadToken, MAX_CACHED_MESSAGES, saveCache, saveToken, storageKey } from './persist.ts'
import { createMemoryStorage } from './storage.ts'
import { createStore, cursor } from './store.ts'

function msg(seq: number): Message {
  return {
    id: `msg_${seq}`,
    conversationId: 'conv_1',
    seq,
    clientId: null,
    author: 'agent',
    authorId: 'a1',
    authorName: 'Sam',
    text: `m${seq}`,
    sources: [],
    createdAt: '2025-01-01T00:00:00.000Z',
  }
}

function stateWith(count: number) {
  const store = createStore()
  const messages = Array.from({ length: count }, (_, i) => msg(i + 1))
  store.resumed({
    asked: undefined,
    result: {
      conversation: { id: 'conv_1', status: 'assigned', assigneeName: 'Sam', lastSeq: count },
      messages,
    },
  })
  return store.getState()
}

describe('conversation cache', () => {
  it('keeps the token, the conversation id and the last seq per site', () => {
    const storage = createMemoryStorage()
    saveToken(storage, 'site_a', 'tok_1')
    saveCache(storage, 'site_a', stateWith(3))
    const cache = loadCache(storage, 'site_a')
    expect(loadToken(storage, 'site_a')).toBe('tok_1')
    expect(loadToken(storage, 'site_b')).toBeUndefined()
    expect(cache?.conversation.id).toBe('conv_1')
    expect(cache?.lastSeq).toBe(3)
    expect(storage.getItem(storageKey('site_b', 'conversation'))).toBeNull()
  })

  it('keeps only the latest messages and raises the floor so the resume cursor stays right', () => {
    const storage = createMemoryStorage()
    saveCache(storage, 'site_a', stateWith(MAX_CACHED_MESSAGES + 20))
    const cache = loadCache(storage, 'site_a')!
    expect(cache.messages).toHaveLength(MAX_CACHED_MESSAGES)
    expect(cache.floor).toBe(20)
    expect(cursor(cache)).toBe(MAX_CACHED_MESSAGES + 20)
  })

  it('falls back to the conversation id alone when the quota is full, so a resume refetches everything', () => {
    const full = createMemoryStorage()
    const setItem = full.setItem.bind(full)
    full.setItem = (key, value) => {
      if (value.length > 400) throw new DOMException('full', 'QuotaExceededError')
      setItem(key, value)
    }
    saveCache(full, 'site_a', stateWith(20))
    const cache = loadCache(full, 'site_a')
    expect(cache?.conversation.id).toBe('conv_1')
    expect(cache?.messages).toEqual([])
    expect(cache ? cursor(cache) : -1).toBe(0)
  })

  it('ignores a cache that does not have the expected shape', () => {
    const storage = createMemoryStorage()
    storage.setItem(storageKey('site_a', 'conversation'), JSON.stringify({ v: 2, anything: true }))
    expect(loadCache(storage, 'site_a')).toBeNull()
  })
})
