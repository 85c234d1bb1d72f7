/**
 * Test support for the `pg` vitest project: the test database (`PARLEY_TEST_DATABASE_URL`, default
 * the local PostgreSQL of a dev or CI machine) and fresh schemas in it. Unreachable means a loud
 * failure, never skipped tests: they are the only proof the PostgreSQL store works.
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { describeDatabase } from '../../relay/store/pg-store.ts'

export const TEST_DATABASE_URL =
  process.env.PARLEY_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

export interface TestDatabase {
  url: string
  /** An admin pool for checks the store does not offer. */
  pool: pg.Pool
  /** A new schema name (`parley_test_<random>`), dropped by `end()` if not before. */
  freshSchema(): string
  dropSchema(name: string): Promise<void>
  /** Drops every schema this handed out, then closes the pool. */
  end(): Promise<void>
}

/** Connects to the test database, or throws an error saying where it looked and what to set. */
export async function connectTestDatabase(): Promise<TestDatabase> {
  const pool = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 2, connectionTimeoutMillis: 5_000 })
  // A failing idle connection surfaces in the next query; the pool replaces it.
  pool.on('error', () => undefined)
  try {
    await pool.query('SELECT 1')
  } catch (cause) {
    await pool.end().catch(() => undefined)
    const reason = cause instanceof Error ? cause.message || cause.name : String(cause)
    throw new Error(
      `PostgreSQL not reachable at ${describeDatabase(TEST_DATABASE_URL)} (${reason}); set ` +
        'PARLEY_TEST_DATABASE_URL to a database where this user may create schemas, e.g. ' +
        'postgres://postgres@127.0.0.1:5432/test',
    )
  }
  const schemas = new Set<string>()
  const dropSchema = async (name: string): Promise<void> => {
    await pool.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(name)} CASCADE`)
    schemas.delete(name)
  }
  return {
    url: TEST_DATABASE_URL,
    pool,
    freshSchema() {
      const name = `parley_test_${randomBytes(6).toString('hex')}`
      schemas.add(name)
      return name
    },
    dropSchema,
    async end() {
      for (const name of [...schemas]) await dropSchema(name)
      await pool.end()
    },
  }
}
