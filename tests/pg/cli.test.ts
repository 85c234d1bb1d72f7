/** The command-line tools on the PostgreSQL store: they write the database the relays read. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { verifyPassword } from '../../relay/auth/passwords.ts'
import { runAgentAddCli } from '../../relay/helpdesk/agent-add-cli.ts'
import { runImportCli } from '../../relay/kb/import-cli.ts'
import { PgStore } from '../../relay/store/pg-store.ts'
import { connectTestDatabase } from '../support/postgres.ts'

const db = await connectTestDatabase()
afterAll(() => db.end())

it('agent:add and kb:import write PostgreSQL when PARLEY_DATABASE_URL is set', async () => {
  const schema = db.freshSchema()
  const dataDir = await mkdtemp(path.join(tmpdir(), 'parley-pg-cli-'))
  const kb = path.join(dataDir, 'kb')
  await mkdir(kb)
  await writeFile(
    path.join(kb, 'returns.md'),
    '---\ntitle: Returns\ntags: [returns]\nverified: true\n---\nReturn anything within 30 days.\n',
  )
  const env = { PARLEY_DATABASE_URL: db.url, PARLEY_DATABASE_SCHEMA: schema, PARLEY_DATA_DIR: dataDir }
  const quiet = { log: () => undefined, error: (m: string) => console.error(m) }
  expect(await runImportCli([kb, '--site', 'shop'], env, quiet)).toBe(0)
  expect(
    await runAgentAddCli(
      ['--email', 'pat@example.com', '--password', 'a-long-password', '--name', 'Pat', '--site', 'shop'],
      env,
      quiet,
    ),
  ).toBe(0)

  const store = new PgStore({ connectionString: db.url, schema })
  await store.init()
  const agent = await store.getAgentByEmail('pat@example.com')
  expect(agent?.siteIds).toEqual(['shop'])
  expect(await verifyPassword('a-long-password', agent?.passwordHash ?? '')).toBe(true)
  expect((await store.listArticles('shop')).map((a) => a.slug)).toEqual(['returns'])
  await store.close()
  await rm(dataDir, { recursive: true, force: true })
})
