/**
 * Test support for the `pg` project's cluster tests: the environment of a cluster (one fresh
 * PostgreSQL schema, one fresh Redis prefix, one shared secret) and two real relays ("nodes") on it.
 */
import type { BuildOptions } from '../../relay/app.ts'
import type { TestDatabase } from './postgres.ts'
import type { TestRedis } from './redis.ts'
import { startRelay, type TestRelay } from './relay.ts'

/** A cluster's environment: what every node of it is started with. */
export function clusterEnv(db: TestDatabase, redis: TestRedis): Record<string, string> {
  return {
    PARLEY_DATABASE_URL: db.url,
    PARLEY_DATABASE_SCHEMA: db.freshSchema(),
    PARLEY_REDIS_URL: redis.url,
    PARLEY_REDIS_PREFIX: redis.freshPrefix(),
    // Shopper tokens are signed: every node needs the same secret.
    PARLEY_SECRET: 'a shared secret of the cluster, long enough',
  }
}

/** Starts two relays on one cluster environment; `started` collects them for closing. */
export async function twoNodes(
  env: Record<string, string>,
  started: TestRelay[],
  options: Pick<BuildOptions, 'now' | 'helpdesk'> = {},
): Promise<[TestRelay, TestRelay]> {
  const a = await startRelay(env, options)
  started.push(a)
  const b = await startRelay(env, options)
  started.push(b)
  return [a, b]
}
