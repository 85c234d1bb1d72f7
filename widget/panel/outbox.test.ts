import { describe, expect, it } from 'vitest'
import type { Message } from '../../shared/protocol.ts'
import { createFlusher, createOutbox, type OutboxEntry, type SendOutcome } from './outbox.ts'
import { createMemoryStorage } from './storage.ts'

const KEY = 'parley:site_1:outbox'

function ids(): () => string {
  let n = 0
  return () => `c_0000000${++n}`
}

function stored(entry: OutboxEntry, seq: number): SendOutcome {
  const message: Message = {
    id: `msg_${seq}`,
    conversationId: 'conv_1',
    seq,
    clientId: entry.clientId,
    author: 'contact',
    authorId: null,
    authorName: null,
    text: entry.text,
    sources: [],
    createdAt: '2025-01-01T00:00:00.000Z',
  }
  return {
    ok: true,
    message,
    conversation: { id: 'conv_1', status: 'bot', assigneeName: null, lastSeq: seq },
  }
}

function noopHooks() {
  const log: string[] = []
  return {
    log,
    hooks: {
      attempt: (e: OutboxEntry) => log.push(`attempt ${e.text}`),
      acked: (e: OutboxEntry) => log.push(`acked ${e.text}`),
      rejected: (e: OutboxEntry, code: string) => log.push(`rejected ${e.text} ${code}`),
      stalled: (e: OutboxEntry, code: string) => log.push(`stalled ${e.text} ${code}`),
    },
  }
}

describe('outbox persistence', () => {
  it('survives a reload: a new outbox on the same storage holds the same entries in order', () => {
    const storage = createMemoryStorage()
    const first = createOutbox(storage, KEY, () => new Date('2025-01-01T00:00:00Z'), ids())
    first.add('one')
    first.add('two')
    const reloaded = createOutbox(storage, KEY)
    expect(reloaded.entries()).toEqual([
      { clientId: 'c_00000001', text: 'one', createdAt: '2025-01-01T00:00:00.000Z' },
      { clientId: 'c_00000002', text: 'two', createdAt: '2025-01-01T00:00:00.000Z' },
    ])
  })

  it('removes the storage key once the last entry has gone', () => {
    const storage = createMemoryStorage()
    const outbox = createOutbox(storage, KEY, undefined, ids())
    const entry = outbox.add('one')
    outbox.remove(entry.clientId)
    expect(storage.getItem(KEY)).toBeNull()
  })

  it('starts empty from a corrupt stored value instead of failing', () => {
    const storage = createMemoryStorage()
    storage.setItem(KEY, '{not json')
    expect(createOutbox(storage, KEY).entries()).toEqual([])
  })

  it('gives every entry a client id the relay accepts', () => {
    const entry = createOutbox(createMemoryStorage(), KEY).add('hello')
    expect(entry.clientId).toMatch(/^[A-Za-z0-9_-]{8,64}$/)
  })
})

describe('flush', () => {
  it('sends entries one at a time in order and removes each only after its ack', async () => {
    const storage = createMemoryStorage()
    const outbox = createOutbox(storage, KEY, undefined, ids())
    outbox.add('one')
    outbox.add('two')
    const inFlight: string[] = []
    const remainingAtSend: number[] = []
    let seq = 1
    const { hooks } = noopHooks()
    const flusher = createFlusher(
      outbox,
      async (entry) => {
        inFlight.push(entry.text)
        remainingAtSend.push(createOutbox(storage, KEY).entries().length)
        return stored(entry, ++seq)
      },
      hooks,
    )
    expect(await flusher.flush()).toBe('done')
    expect(inFlight).toEqual(['one', 'two'])
    // While "one" was in flight both were still persisted; while "two" was, only "two".
    expect(remainingAtSend).toEqual([2, 1])
    expect(storage.getItem(KEY)).toBeNull()
  })

  it('stops at an unanswered entry, keeps it and everything after it, and retries with the same client id', async () => {
    const outbox = createOutbox(createMemoryStorage(), KEY, undefined, ids())
    outbox.add('one')
    outbox.add('two')
    const sentIds: string[] = []
    let answer = false
    const { hooks, log } = noopHooks()
    const flusher = createFlusher(
      outbox,
      async (entry) => {
        sentIds.push(entry.clientId)
        return answer ? stored(entry, sentIds.length) : { ok: false, retry: true, code: 'timeout' }
      },
      hooks,
    )
    expect(await flusher.flush()).toBe('stalled')
    expect(outbox.entries().map((e) => e.text)).toEqual(['one', 'two'])
    answer = true
    expect(await flusher.flush()).toBe('done')
    expect(sentIds).toEqual(['c_00000001', 'c_00000001', 'c_00000002'])
    expect(log).toEqual([
      'attempt one',
      'stalled one timeout',
      'attempt one',
      'acked one',
      'attempt two',
      'acked two',
    ])
  })

  it('drops an entry the relay refuses for good and goes on with the next', async () => {
    const outbox = createOutbox(createMemoryStorage(), KEY, undefined, ids())
    outbox.add('bad')
    outbox.add('good')
    const { hooks, log } = noopHooks()
    const flusher = createFlusher(
      outbox,
      async (entry) =>
        entry.text === 'bad' ? { ok: false, retry: false, code: 'invalid_payload' } : stored(entry, 2),
      hooks,
    )
    expect(await flusher.flush()).toBe('done')
    expect(log).toEqual(['attempt bad', 'rejected bad invalid_payload', 'attempt good', 'acked good'])
    expect(outbox.entries()).toEqual([])
  })

  it('shares one run between concurrent flushes and also sends what was added during it', async () => {
    const outbox = createOutbox(createMemoryStorage(), KEY, undefined, ids())
    outbox.add('one')
    const sent: string[] = []
    let release: () => void = () => {}
    const { hooks } = noopHooks()
    const flusher = createFlusher(
      outbox,
      async (entry) => {
        sent.push(entry.text)
        if (entry.text === 'one') await new Promise<void>((resolve) => (release = resolve))
        return stored(entry, sent.length)
      },
      hooks,
    )
    const a = flusher.flush()
    outbox.add('two')
    const b = flusher.flush()
    expect(b).toBe(a)
    release()
    expect(await a).toBe('done')
    expect(sent).toEqual(['one', 'two'])
  })

  it('resolves at once with nothing to send', async () => {
    const outbox = createOutbox(createMemoryStorage(), KEY)
    const flusher = createFlusher(
      outbox,
      async () => ({ ok: false, retry: true, code: 'never' }),
      noopHooks().hooks,
    )
    expect(await flusher.flush()).toBe('done')
    outbox.add('later')
    expect(await flusher.flush()).toBe('stalled')
  })
})
