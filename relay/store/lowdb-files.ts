/** File naming and caching shared by the lowdb store's parts. */

/** The file name for an id: every id maps to one safe name inside its folder (no `/`, no `..`). */
export function fileNameFor(id: string): string {
  return `${encodeURIComponent(id).replace(/[.!~*'()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}.json`
}

/** A Map that forgets its least recently used entries beyond `max`. */
export class Lru<K, V> {
  #map = new Map<K, V>()
  constructor(readonly max: number) {}

  get(key: K): V | undefined {
    const value = this.#map.get(key)
    if (value !== undefined) {
      this.#map.delete(key)
      this.#map.set(key, value)
    }
    return value
  }

  set(key: K, value: V): void {
    this.#map.delete(key)
    this.#map.set(key, value)
    while (this.#map.size > this.max) {
      const oldest = this.#map.keys().next()
      if (oldest.done) break
      this.#map.delete(oldest.value)
    }
  }
}
