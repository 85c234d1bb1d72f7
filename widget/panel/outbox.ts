/**
 * The outbox: the shopper's unsent messages, persisted per site (`parley:<site>:outbox`) so a
 * dropped connection or a reload loses nothing. A flush sends them one at a time, in order; an
 * entry leaves only when the relay has answered for it, and every retry reuses its client id.
 */
import { newId } from '../../shared/ids.ts'
import type { Message, WidgetConversation } from '../../shared/protocol.ts'
import { readJson, writeJson } from './storage.ts'

export interface OutboxEntry {
  clientId: string
  text: string
  createdAt: string
}

export interface Outbox {
  entries(): readonly OutboxEntry[]
  add(text: string): OutboxEntry
  remove(clientId: string): void
}

export function createOutbox(
  storage: Storage,
  key: string,
  now: () => Date = () => new Date(),
  makeId: () => string = () => newId('c_'),
): Outbox {
  const stored = readJson(storage, key)
  let entries: OutboxEntry[] = Array.isArray(stored) ? stored.filter(isEntry) : []
  const save = (): void => {
    if (entries.length === 0) storage.removeItem(key)
    // Over quota the entry still lives in memory and is sent from this page.
    else writeJson(storage, key, entries)
  }
  return {
    entries: () => entries,
    add(text) {
      const entry = { clientId: makeId(), text, createdAt: now().toISOString() }
      entries = [...entries, entry]
      save()
      return entry
    },
    remove(clientId) {
      const next = entries.filter((e) => e.clientId !== clientId)
      if (next.length === entries.length) return
      entries = next
      save()
    },
  }
}

/** How one attempt ended: stored; refused for good (`retry: false`); or try again later. */
export type SendOutcome =
  | { ok: true; message: Message; conversation: WidgetConversation }
  | { ok: false; retry: boolean; code: string }

export interface FlushHooks {
  attempt(entry: OutboxEntry): void
  acked(entry: OutboxEntry, outcome: Extract<SendOutcome, { ok: true }>): void
  /** Refused for good: the entry has left the outbox. */
  rejected(entry: OutboxEntry, code: string): void
  /** No answer or a passing error: the entry stays, the flush stops to keep the order. */
  stalled(entry: OutboxEntry, code: string): void
}

/** `'done'` when the outbox is empty, `'stalled'` when an entry is waiting for a retry. */
export type FlushResult = 'done' | 'stalled'

/**
 * A single-flight flusher: concurrent `flush()` calls share one run, and a run also sends
 * entries added while it is going.
 */
export function createFlusher(
  outbox: Outbox,
  send: (entry: OutboxEntry) => Promise<SendOutcome>,
  hooks: FlushHooks,
): { flush(): Promise<FlushResult> } {
  let running: Promise<FlushResult> | null = null
  const run = async (): Promise<FlushResult> => {
    try {
      for (let entry = outbox.entries()[0]; entry; entry = outbox.entries()[0]) {
        hooks.attempt(entry)
        const outcome = await send(entry)
        if (outcome.ok) {
          outbox.remove(entry.clientId)
          hooks.acked(entry, outcome)
        } else if (!outcome.retry) {
          outbox.remove(entry.clientId)
          hooks.rejected(entry, outcome.code)
        } else {
          hooks.stalled(entry, outcome.code)
          return 'stalled'
        }
      }
      return 'done'
    } finally {
      running = null
    }
  }
  return {
    flush: () => {
      // An empty outbox returns before `run` could clear `running` ahead of its assignment.
      if (!running && outbox.entries().length === 0) return Promise.resolve('done')
      running ??= run()
      return running
    },
  }
}

function isEntry(value: unknown): value is OutboxEntry {
  const e = value as Partial<OutboxEntry> | null
  return typeof e?.clientId === 'string' && typeof e.text === 'string' && typeof e.createdAt === 'string'
}
