/** Storage the panel can always use: the page's localStorage, or memory when it is unavailable. */

/** A Storage kept in memory: the fallback when localStorage is blocked, and the tests' storage. */
export function createMemoryStorage(): Storage {
  const items = new Map<string, string>()
  return {
    get length() {
      return items.size
    },
    key: (index) => [...items.keys()][index] ?? null,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => {
      items.set(key, String(value))
    },
    removeItem: (key) => {
      items.delete(key)
    },
    clear: () => items.clear(),
  }
}

/** localStorage if it can be written (it throws in some privacy modes), else a memory Storage. */
export function pageStorage(): Storage {
  try {
    const probe = 'parley:probe'
    localStorage.setItem(probe, '1')
    localStorage.removeItem(probe)
    return localStorage
  } catch {
    return createMemoryStorage()
  }
}

/** Parsed JSON under `key`, or null when missing or unreadable (a corrupt entry is dropped). */
export function readJson(storage: Storage, key: string): unknown {
  const raw = storage.getItem(key)
  if (raw === null) return null
  try {
    return JSON.parse(raw)
  } catch {
    storage.removeItem(key)
    return null
  }
}

/** Writes JSON; false when the quota is exceeded (the caller decides what to give up). */
export function writeJson(storage: Storage, key: string, value: unknown): boolean {
  try {
    storage.setItem(key, JSON.stringify(value))
    return true
  } catch {
    return false
  }
}
