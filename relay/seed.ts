/** First-start set-up: the demo site with its knowledge base, and the first admin. */
import { randomBytes } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { newId } from '../shared/ids.ts'
import { DEFAULT_POLICY } from '../shared/policy.ts'
import { hashPassword } from './auth/passwords.ts'
import type { Config } from './config.ts'
import { loadArticlesFromDir } from './kb/parse.ts'
import type { Store } from './store/types.ts'

export const DEMO_SITE = 'demo'

/** Creates the `demo` site and imports `examples/demo/kb` when the site has no articles yet. */
export async function ensureDemoSite(store: Store, config: Config, now: Date): Promise<void> {
  const existing = await store.getSite(DEMO_SITE)
  await store.putSite({
    id: DEMO_SITE,
    name: 'Tidewater Coffee Co.',
    botName: existing?.botName ?? 'Tidewater Assistant',
    allowedOrigins: config.demoOrigins,
    // The environment's secret wins; without one, a secret generated in the console survives restarts.
    ...((config.identitySecret ?? existing?.identitySecret)
      ? { identitySecret: config.identitySecret ?? existing?.identitySecret }
      : {}),
    ...(existing?.requireIdentity && { requireIdentity: true }),
    // What an admin saved survives restarts; a fresh demo gets the sample orders and the default policy.
    policy: existing?.policy ?? DEFAULT_POLICY,
    orders: existing?.orders ?? { kind: 'json', file: await prepareDemoOrders(config, now) },
    // Routing, SLA, hours, teams and macros an admin saved survive restarts too.
    ...(existing?.helpdesk && { helpdesk: existing.helpdesk }),
    ...(config.email.supportAddress && { supportEmail: config.email.supportAddress }),
    createdAt: existing?.createdAt ?? now.toISOString(),
  })
  if ((await store.listArticles(DEMO_SITE)).length > 0) return
  for (const article of await loadArticlesFromDir(path.join(config.examplesDir, 'demo', 'kb'), DEMO_SITE)) {
    await store.putArticle(article)
  }
}

const DAY_MS = 24 * 3600 * 1000
const DATE = /^\d{4}-\d{2}-\d{2}/

/**
 * Copies the sample orders into the data directory with their dates moved so the newest order
 * was placed two days ago: a demo started any day has orders inside the refund window.
 */
async function prepareDemoOrders(config: Config, now: Date): Promise<string> {
  const file = path.join(config.dataDir, 'demo-orders.json')
  const orders: unknown = JSON.parse(
    await readFile(path.join(config.examplesDir, 'demo', 'orders.json'), 'utf8'),
  )
  const dates: number[] = []
  const collect = (value: unknown): void => {
    if (typeof value === 'string' && DATE.test(value)) dates.push(Date.parse(value))
    else if (value && typeof value === 'object') Object.values(value).forEach(collect)
  }
  collect(orders)
  const shift = dates.length
    ? Math.round((now.getTime() - 2 * DAY_MS - Math.max(...dates)) / DAY_MS) * DAY_MS
    : 0
  const move = (value: unknown): unknown => {
    if (typeof value === 'string' && DATE.test(value)) {
      const moved = new Date(Date.parse(value) + shift).toISOString()
      return value.length === 10 ? moved.slice(0, 10) : moved
    }
    if (Array.isArray(value)) return value.map(move)
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, move(v)]))
    return value
  }
  await mkdir(config.dataDir, { recursive: true })
  await writeFile(file, `${JSON.stringify(move(orders), null, 2)}\n`)
  return file
}

export interface AdminCredentials {
  email: string
  /** Only when generated now: printed once, never stored in clear. */
  generatedPassword: string | null
  created: boolean
}

/**
 * Makes sure the first admin exists: from PARLEY_ADMIN_EMAIL / PARLEY_ADMIN_PASSWORD, or, when
 * they are unset and there is no agent yet, `admin@parley.local` with a generated password.
 */
export async function ensureAdmin(store: Store, config: Config, now: Date): Promise<AdminCredentials | null> {
  const agents = await store.listAgents()
  const sites = (await store.listSites()).map((s) => s.id)
  const email = config.adminEmail ?? (agents.length === 0 ? 'admin@parley.local' : null)
  if (!email) return null
  const existing = await store.getAgentByEmail(email)
  if (existing) return { email, generatedPassword: null, created: false }
  const generatedPassword = config.adminPassword ? null : randomBytes(12).toString('base64url')
  await store.putAgent({
    id: newId('agt_'),
    email,
    name: email === 'admin@parley.local' ? 'Admin' : nameFromEmail(email),
    role: 'admin',
    passwordHash: await hashPassword(config.adminPassword ?? generatedPassword ?? ''),
    siteIds: sites,
    createdAt: now.toISOString(),
  })
  return { email, generatedPassword, created: true }
}

function nameFromEmail(email: string): string {
  const local = email.split('@')[0] ?? email
  return local
    .split(/[._-]+/)
    .filter(Boolean)
    .map((part) => part[0]?.toUpperCase() + part.slice(1))
    .join(' ')
}
