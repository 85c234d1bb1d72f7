/**
 * The lowdb store's keyed records (Store.getRecord and the rest): one JSON object per namespace in
 * `records/<namespace>.json` (key → value), loaded on first use and kept in memory. The caller
 * (LowdbStore) runs every operation of a namespace under that namespace's mutex, so reads never
 * see a half-applied change and writes are serialised; memory changes only after the file did.
 */
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { JSONFile } from 'lowdb/node'

/** What a namespace may be: it names a file, so no `/`, no `..`, no upper case (case-insensitive disks). */
const NAMESPACE = /^[a-z0-9][a-z0-9._-]{0,99}$/

/** Throws for a namespace that could not name a file safely. */
export function checkNamespace(namespace: string): void {
  if (!NAMESPACE.test(namespace) || namespace.includes('..'))
    throw new Error(
      `store: record namespace ${JSON.stringify(namespace)} is not lowercase letters, digits, . _ -`,
    )
}

/** A value as JSON keeps it (what the PostgreSQL store reads back); undefined is refused. */
export function asJson(value: unknown): unknown {
  const text = JSON.stringify(value)
  if (text === undefined) throw new Error('store: a record value must be JSON data')
  return JSON.parse(text)
}

export class RecordFiles {
  readonly dir: string
  #loaded = new Map<string, Map<string, unknown>>()
  /** The folder is made on the first write: a data directory without records has none. */
  #made = false

  constructor(dir: string) {
    this.dir = dir
  }

  /** The file's path, also the mutex key of the namespace. */
  pathOf(namespace: string): string {
    checkNamespace(namespace)
    return join(this.dir, `${namespace}.json`)
  }

  /** The namespace's records; call under its mutex. A missing file is an empty namespace. */
  async load(namespace: string): Promise<Map<string, unknown>> {
    const cached = this.#loaded.get(namespace)
    if (cached) return cached
    const path = this.pathOf(namespace)
    let data: unknown
    try {
      data = await new JSONFile<Record<string, unknown>>(path).read()
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause)
      throw new Error(`lowdb store: cannot read ${path}: ${reason}`, { cause })
    }
    if (data !== null && (typeof data !== 'object' || Array.isArray(data)))
      throw new Error(`lowdb store: unexpected content in ${path}`)
    const records = new Map(Object.entries((data ?? {}) as Record<string, unknown>))
    this.#loaded.set(namespace, records)
    return records
  }

  /** The namespace once loaded, else undefined (a read then loads it under the mutex). */
  cached(namespace: string): Map<string, unknown> | undefined {
    return this.#loaded.get(namespace)
  }

  /** Writes one key's new value, then adopts it; call under the namespace's mutex. */
  async set(namespace: string, key: string, value: unknown): Promise<void> {
    const current = await this.load(namespace)
    const next = new Map(current)
    next.set(key, value)
    if (!this.#made) {
      await mkdir(this.dir, { recursive: true })
      this.#made = true
    }
    await new JSONFile<Record<string, unknown>>(this.pathOf(namespace)).write(Object.fromEntries(next))
    this.#loaded.set(namespace, next)
  }
}
