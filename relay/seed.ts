/** First-start set-up: the demo site with its knowledge base, and the first admin. */
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { newId } from '../shared/ids.ts'
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
    createdAt: existing?.createdAt ?? now.toISOString(),
  })
  if ((await store.listArticles(DEMO_SITE)).length > 0) return
  for (const article of await loadArticlesFromDir(path.join(config.examplesDir, 'demo', 'kb'), DEMO_SITE)) {
    await store.putArticle(article)
  }
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
