/**
 * Imports a folder of Markdown articles into a site's knowledge base:
 *   npm run kb:import -- DIR --site KEY [--data DIR] [--name "Store name"]
 * Creates or updates every `*.md` of DIR (nothing else is touched); creates the site when it is
 * missing. Refuses while a relay runs on the same data directory: the lowdb store is
 * single-process, so the running relay's console import must be used instead.
 */
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { DEFAULT_BOT_NAME } from '../bot/engine.ts'
import { storeFromEnv } from '../store/open.ts'
import { liveRelayLock } from '../store/relay-lock.ts'
import { ImportError, type ImportFile, importArticles, parseImportFiles } from './import.ts'

const USAGE = 'usage: npm run kb:import -- DIR --site KEY [--data DIR] [--name "Store name"]'
const SITE_KEY = /^[A-Za-z0-9_-]{1,64}$/

export interface CliOutput {
  log(line: string): void
  error(line: string): void
}

class CliError extends Error {}

interface Options {
  dir: string
  site: string
  dataDir: string
  name: string | undefined
}

function parse(argv: string[], env: NodeJS.ProcessEnv): Options {
  let values: { site?: string; data?: string; name?: string }
  let positionals: string[]
  try {
    ;({ values, positionals } = parseArgs({
      args: argv,
      options: { site: { type: 'string' }, data: { type: 'string' }, name: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    }))
  } catch (error) {
    throw new CliError(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`)
  }
  if (positionals.length !== 1 || !positionals[0]) throw new CliError(`give one folder of articles\n${USAGE}`)
  const site = values.site
  if (!site) throw new CliError(`missing --site KEY\n${USAGE}`)
  if (!SITE_KEY.test(site))
    throw new CliError(`--site must be 1-64 letters, digits, "-" or "_" (got "${site}")`)
  return {
    dir: path.resolve(positionals[0]),
    site,
    dataDir: path.resolve(values.data || env.PARLEY_DATA_DIR || './data'),
    name: values.name,
  }
}

async function readFolder(dir: string): Promise<ImportFile[]> {
  let names: string[]
  try {
    names = (await readdir(dir, { withFileTypes: true }))
      .filter((e) => e.isFile() && e.name.endsWith('.md'))
      .map((e) => e.name)
      .sort()
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new CliError(`${dir}: no such folder`)
    throw error
  }
  if (names.length === 0) throw new CliError(`${dir}: no .md files to import`)
  return Promise.all(
    names.map(async (name) => ({
      name: path.join(dir, name),
      content: await readFile(path.join(dir, name), 'utf8'),
    })),
  )
}

/** Runs the import; resolves with the process exit code. */
export async function runImportCli(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  out: CliOutput = { log: console.log, error: console.error },
): Promise<number> {
  try {
    const options = parse(argv, env)
    const { store, shared } = storeFromEnv(env, options.dataDir)
    // PostgreSQL is shared by design; lowdb files belong to the relay that holds their lock.
    const relay = shared ? null : await liveRelayLock(options.dataDir)
    if (relay) {
      throw new CliError(
        `a relay is running on ${options.dataDir} (pid ${relay.pid}${relay.url ? `, ${relay.url}` : ''}).\n` +
          'Its store is single-process and must not be written behind its back: stop the relay or ' +
          `use the console's import (Knowledge base → Import${relay.url ? ` at ${relay.url}/console/` : ''}).`,
      )
    }
    const files = await readFolder(options.dir)
    const now = new Date()
    const articles = parseImportFiles(files, options.site, now.toISOString())

    await store.init()
    try {
      if (!(await store.getSite(options.site))) {
        await store.putSite({
          id: options.site,
          name: options.name ?? options.site,
          allowedOrigins: [],
          botName: DEFAULT_BOT_NAME,
          createdAt: now.toISOString(),
        })
        // Admins see every site; without this the new site would be invisible in the console.
        const admins = (await store.listAgents()).filter((a) => a.role === 'admin')
        for (const admin of admins) {
          if (!admin.siteIds.includes(options.site))
            await store.putAgent({ ...admin, siteIds: [...admin.siteIds, options.site] })
        }
        out.log(
          `Site "${options.site}" did not exist in ${options.dataDir}: created it` +
            (admins.length > 0 ? ` and gave ${admins.length} admin(s) access` : '') +
            '. Add the origins of the store to its allowed origins before embedding the widget.',
        )
      }
      const report = await importArticles(store, options.site, articles)
      out.log(`Imported ${articles.length} articles from ${options.dir} into site "${options.site}".`)
      out.log(`  created ${report.created}, updated ${report.updated}, unchanged ${report.unchanged}`)
      out.log(`  verified ${report.verified}, drafts ${report.drafts} (drafts never ground the bot)`)
    } finally {
      await store.close()
    }
    return 0
  } catch (error) {
    if (error instanceof ImportError) {
      out.error(`kb:import: nothing imported, ${error.errors.length} file(s) are not valid articles:`)
      for (const e of error.errors) out.error(`  ${e.file}: ${e.message}`)
      return 1
    }
    if (error instanceof CliError) {
      out.error(`kb:import: ${error.message}`)
      return 1
    }
    out.error(`kb:import failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
    return 1
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await runImportCli(process.argv.slice(2))
}
