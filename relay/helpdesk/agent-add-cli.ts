/**
 * Adds an agent (or updates the agent with that email) in a data directory:
 *   npm run agent:add -- --email E --password P --name N [--role admin|agent] [--skills a,b]
 *     [--languages en,es] [--capacity N] [--site KEY] [--data DIR]
 * Refuses while a relay runs on the same data directory (the lowdb store is single-process; use the
 * console's Settings → Agents instead). Exit codes: 0 done, 1 refused or failed, 2 usage error.
 */
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import type { z } from 'zod'
import { newId } from '../../shared/ids.ts'
import { hashPassword } from '../auth/passwords.ts'
import { capacityOf, DEFAULT_CAPACITY } from '../routing/presence.ts'
import { DEMO_SITE } from '../seed.ts'
import { storeFromEnv } from '../store/open.ts'
import { liveRelayLock } from '../store/relay-lock.ts'
import type { Agent } from '../store/types.ts'
import {
  CapacitySchema,
  EmailSchema,
  LanguagesSchema,
  NameSchema,
  PasswordSchema,
  RoleSchema,
  SkillsSchema,
} from './agents.ts'

const USAGE =
  'usage: npm run agent:add -- --email E --password P --name N [--role admin|agent] [--skills a,b]\n' +
  '         [--languages en,es] [--capacity N] [--site KEY] [--data DIR]'
const SITE_KEY = /^[A-Za-z0-9_-]{1,64}$/

export interface CliOutput {
  log(line: string): void
  error(line: string): void
}

/** A mistake in the command line: exit code 2 with the usage. */
class UsageError extends Error {}
/** A refusal (a live relay): exit code 1. */
class CliError extends Error {}

interface Options {
  email: string
  password: string
  name: string
  role: 'admin' | 'agent' | undefined
  skills: string[] | undefined
  languages: string[] | undefined
  capacity: number | undefined
  site: string | undefined
  dataDir: string
}

function check<S extends z.ZodType>(flag: string, schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value)
  if (parsed.success) return parsed.data
  throw new UsageError(`--${flag}: ${parsed.error.issues.map((i) => i.message).join('; ')}`)
}

const list = (value: string | undefined) =>
  value === undefined
    ? undefined
    : value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)

function parse(argv: string[], env: NodeJS.ProcessEnv): Options {
  const flags = [
    'email',
    'password',
    'name',
    'role',
    'skills',
    'languages',
    'capacity',
    'site',
    'data',
  ] as const
  let values: Partial<Record<(typeof flags)[number], string>>
  try {
    ;({ values } = parseArgs({
      args: argv,
      options: Object.fromEntries(flags.map((f) => [f, { type: 'string' as const }])),
      allowPositionals: false,
      strict: true,
    }) as { values: Partial<Record<(typeof flags)[number], string>> })
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error))
  }
  for (const required of ['email', 'password', 'name'] as const) {
    if (!values[required]) throw new UsageError(`missing --${required}`)
  }
  if (values.site !== undefined && !SITE_KEY.test(values.site))
    throw new UsageError(`--site must be 1-64 letters, digits, "-" or "_" (got "${values.site}")`)
  const capacity = values.capacity === undefined ? undefined : Number(values.capacity)
  return {
    email: check('email', EmailSchema, values.email),
    password: check('password', PasswordSchema, values.password),
    name: check('name', NameSchema, values.name),
    role: values.role === undefined ? undefined : check('role', RoleSchema, values.role),
    skills: values.skills === undefined ? undefined : check('skills', SkillsSchema, list(values.skills)),
    languages:
      values.languages === undefined
        ? undefined
        : check('languages', LanguagesSchema, list(values.languages)),
    capacity: capacity === undefined ? undefined : check('capacity', CapacitySchema, capacity),
    site: values.site,
    dataDir: path.resolve(values.data || env.PARLEY_DATA_DIR || './data'),
  }
}

function describe(agent: Agent): string {
  const parts = [
    `role ${agent.role}`,
    `sites ${agent.siteIds.join(', ') || '(none)'}`,
    `skills ${agent.skills?.join(', ') || '(none)'}`,
    `languages ${agent.languages?.join(', ') || '(any)'}`,
    `capacity ${capacityOf(agent)}`,
  ]
  return parts.join('; ')
}

/** Runs the command; resolves with the process exit code. */
export async function runAgentAddCli(
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
      const where = relay.url ? ` at ${relay.url}/console/` : ''
      throw new CliError(
        `a relay is running on ${options.dataDir} (pid ${relay.pid}${relay.url ? `, ${relay.url}` : ''}).\n` +
          'Its store is single-process and must not be written behind its back: stop the relay, or add ' +
          `the agent in the console (Settings → Agents${where}).`,
      )
    }
    await store.init()
    try {
      const sites = (await store.listSites()).map((s) => s.id)
      const notes: string[] = []
      let granted: string[] | null = null
      if (options.site) {
        granted = [options.site]
        if (!sites.includes(options.site))
          notes.push(
            `site "${options.site}" does not exist in ${options.dataDir} yet; access is recorded for when it does`,
          )
      }
      const existing = await store.getAgentByEmail(options.email)
      const passwordHash = await hashPassword(options.password)
      let agent: Agent
      if (existing) {
        agent = {
          ...existing,
          name: options.name,
          passwordHash,
          role: options.role ?? existing.role,
          // What is not given stays as it was.
          ...(options.skills ? { skills: options.skills } : {}),
          ...(options.languages ? { languages: options.languages } : {}),
          ...(options.capacity !== undefined ? { capacity: options.capacity } : {}),
          siteIds: granted ? [...new Set([...existing.siteIds, ...granted])] : existing.siteIds,
        }
      } else {
        if (!granted) {
          // One install usually has one site; before the first start there is none, and the relay creates `demo`.
          granted = sites.length > 0 ? sites : [DEMO_SITE]
          if (sites.length === 0)
            notes.push(
              `no sites in ${options.dataDir} yet: gave access to "${DEMO_SITE}", which the relay creates on its first start`,
            )
        }
        agent = {
          id: newId('agt_'),
          email: options.email,
          name: options.name,
          role: options.role ?? 'agent',
          passwordHash,
          siteIds: granted,
          createdAt: new Date().toISOString(),
          skills: options.skills ?? [],
          languages: options.languages ?? [],
          teamId: null,
          capacity: options.capacity ?? DEFAULT_CAPACITY,
        }
      }
      await store.putAgent(agent)
      out.log(
        existing
          ? `Updated the existing agent ${agent.email} (${agent.id}): name, password and the options given.`
          : `Added agent ${agent.email} (${agent.id}).`,
      )
      out.log(`  ${agent.name}: ${describe(agent)}`)
      if (!(await store.listAgents()).some((a) => a.role === 'admin'))
        notes.push('there is no admin yet: add one with --role admin to manage settings, agents and macros')
      for (const note of notes) out.log(`Note: ${note}.`)
    } finally {
      await store.close()
    }
    return 0
  } catch (error) {
    if (error instanceof UsageError) {
      out.error(`agent:add: ${error.message}\n${USAGE}`)
      return 2
    }
    if (error instanceof CliError) {
      out.error(`agent:add: ${error.message}`)
      return 1
    }
    out.error(`agent:add failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
    return 1
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await runAgentAddCli(process.argv.slice(2))
}
