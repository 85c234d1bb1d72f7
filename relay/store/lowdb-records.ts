/**
 * The lowdb store's keyed records (Store.getRecord and the rest): one file per record,
 * `records/<namespace>/<key>.json` holding `{ "value": … }`, so a write costs one record however
 * many the namespace holds (an email thread with its originals, or one message id among many).
 * Recently used records stay in memory. The caller (LowdbStore) runs every operation of a record
 * under that file's mutex, so writes are serialised and memory changes only after the file did.
 */
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { JSONFile } from 'lowdb/node'
import { fileNameFor, Lru } from './lowdb-files.ts'
import { checkNamespace } from './record-values.ts'

interface RecordFile {
  value: unknown
}

/** A record read: its value, or `absent` when no file holds it. */
const ABSENT = Symbol('absent')
type Read = unknown | typeof ABSENT

export class RecordFiles {
  readonly dir: string
  #cache: Lru<string, { value: Read }>
  /** Folders made so far: a data directory without records has none. */
  #made = new Set<string>()

  constructor(dir: string, cacheSize: number) {
    this.dir = dir
    this.#cache = new Lru(cacheSize)
  }

  /** The record's file, also its mutex key. */
  pathOf(namespace: string, key: string): string {
    checkNamespace(namespace)
    return join(this.dir, namespace, fileNameFor(key))
  }

  /** The cached record, if it is: a read then needs neither the disk nor the mutex. */
  cached(namespace: string, key: string): { value: unknown | null } | undefined {
    const hit = this.#cache.get(this.pathOf(namespace, key))
    return hit && { value: hit.value === ABSENT ? null : hit.value }
  }

  /** The record's value, null when absent; call under its mutex. */
  async read(namespace: string, key: string): Promise<unknown | null> {
    const value = await this.#load(this.pathOf(namespace, key))
    return value === ABSENT ? null : value
  }

  /** Whether the record exists; call under its mutex. */
  async has(namespace: string, key: string): Promise<boolean> {
    return (await this.#load(this.pathOf(namespace, key))) !== ABSENT
  }

  /** Writes the record, then adopts it; call under its mutex. */
  async write(namespace: string, key: string, value: unknown): Promise<void> {
    const path = this.pathOf(namespace, key)
    const folder = join(this.dir, namespace)
    if (!this.#made.has(folder)) {
      await mkdir(folder, { recursive: true })
      this.#made.add(folder)
    }
    await new JSONFile<RecordFile>(path).write({ value })
    this.#cache.set(path, { value })
  }

  async #load(path: string): Promise<Read> {
    const hit = this.#cache.get(path)
    if (hit) return hit.value
    let data: RecordFile | null
    try {
      data = await new JSONFile<RecordFile>(path).read()
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause)
      throw new Error(`lowdb store: cannot read ${path}: ${reason}`, { cause })
    }
    if (data !== null && (typeof data !== 'object' || !('value' in data)))
      throw new Error(`lowdb store: unexpected content in ${path}`)
    const value: Read = data === null ? ABSENT : data.value
    this.#cache.set(path, { value })
    return value
  }
}
