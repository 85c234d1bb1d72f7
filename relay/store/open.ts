/**
 * The store the environment names, for the command-line tools: PostgreSQL with
 * `PARLEY_DATABASE_URL` (shared safely with running relays), else the lowdb files of the data
 * directory (which a running relay owns: the tools check its lock first).
 */
import { LowdbStore } from './lowdb-store.ts'
import { PgStore } from './pg-store.ts'
import type { Store } from './types.ts'

export interface StoreChoice {
  store: Store
  /** Whether other processes may write it at the same time (then no relay lock is needed). */
  shared: boolean
}

export function storeFromEnv(env: NodeJS.ProcessEnv, dataDir: string): StoreChoice {
  const url = env.PARLEY_DATABASE_URL?.trim()
  if (!url) return { store: new LowdbStore({ dir: dataDir }), shared: false }
  if (!/^postgres(ql)?:\/\//.test(url))
    throw new Error('PARLEY_DATABASE_URL must start with postgres:// or postgresql://')
  const schema = env.PARLEY_DATABASE_SCHEMA?.trim() || 'public'
  return { store: new PgStore({ connectionString: url, schema }), shared: true }
}
