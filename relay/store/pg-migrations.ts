/**
 * The PostgreSQL store's migrations: numbered SQL files in `migrations/` (`001_init.sql`, …),
 * applied in order at start-up, each once, recorded in the schema's `schema_migrations` table.
 * Every node runs this on start; a transaction-scoped advisory lock per schema makes nodes that
 * start at the same moment take turns, so the second one finds the work done.
 */
import { createHash } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import pg from 'pg'

export interface Migration {
  version: number
  name: string
  sql: string
}

export const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url)

const FILE_NAME = /^(\d+)_([a-z0-9_-]+)\.sql$/

/** The migration files in version order; a malformed name or a repeated version is an error. */
export async function loadMigrations(dir: URL = MIGRATIONS_DIR): Promise<Migration[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.sql'))
  const migrations: Migration[] = []
  for (const name of names) {
    const match = FILE_NAME.exec(name)
    if (!match) throw new Error(`pg store: migration file ${name} is not named NNN_description.sql`)
    const sql = await readFile(new URL(name, dir), 'utf8')
    migrations.push({ version: Number(match[1]), name, sql })
  }
  migrations.sort((a, b) => a.version - b.version)
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i]?.version === migrations[i - 1]?.version)
      throw new Error(`pg store: two migrations have version ${migrations[i]?.version}`)
  }
  return migrations
}

/** A 64-bit advisory lock key for one schema's migrations (as a string: int8 does not fit a number). */
export function migrationLockKey(schema: string): string {
  const digest = createHash('sha256').update(`parley-migrations:${schema}`).digest()
  return digest.readBigInt64BE(0).toString()
}

/**
 * Creates the schema if needed and applies the migrations it has not had, in one transaction.
 * Returns the versions applied now (empty when another node, or an earlier start, did them).
 */
export async function migrate(
  client: pg.ClientBase,
  schema: string,
  migrations: Migration[],
): Promise<number[]> {
  const ident = pg.escapeIdentifier(schema)
  const applied: number[] = []
  await client.query('BEGIN')
  try {
    await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [migrationLockKey(schema)])
    // Look before creating: CREATE SCHEMA needs the CREATE privilege even with IF NOT EXISTS.
    const found = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])
    if (found.rowCount === 0) await client.query(`CREATE SCHEMA ${ident}`)
    await client.query(`SET LOCAL search_path TO ${ident}`)
    await client.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version integer PRIMARY KEY,
         name text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    )
    const done = await client.query<{ version: number }>('SELECT version FROM schema_migrations')
    const have = new Set(done.rows.map((r) => r.version))
    for (const m of migrations) {
      if (have.has(m.version)) continue
      try {
        await client.query(m.sql)
      } catch (cause) {
        const reason = cause instanceof Error ? cause.message : String(cause)
        throw new Error(`pg store: migration ${m.name} failed: ${reason}`, { cause })
      }
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name])
      applied.push(m.version)
    }
    await client.query('COMMIT')
    return applied
  } catch (error) {
    // The migration's error is the one to report; the caller discards this connection anyway.
    await client.query('ROLLBACK').catch(() => undefined)
    throw error
  }
}
