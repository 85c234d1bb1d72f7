/**
 * A site's widget identity verification (admins): whether a secret is set, generating (or rotating)
 * it, and requiring a verified identity. The secret is shown once, in the answer that generated it;
 * reads only say that one exists and how it ends, so it never sits in a page or a log.
 */
import { randomBytes } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { AppError } from '../errors.ts'
import { siteOrThrow, updateSite } from '../helpdesk/site-settings.ts'
import type { Site } from '../store/types.ts'
import { requireSiteAdmin } from './auth-guard.ts'
import { SiteParamsSchema as ParamsSchema, parse } from './validate.ts'

const PatchSchema = z.object({ requireIdentity: z.boolean() }).strict()

export interface IdentitySettings {
  enabled: boolean
  /** The secret's last four characters, to tell two apart; null without one. */
  secretEnding: string | null
  requireIdentity: boolean
}

function view(site: Site): IdentitySettings {
  return {
    enabled: Boolean(site.identitySecret),
    secretEnding: site.identitySecret ? site.identitySecret.slice(-4) : null,
    requireIdentity: site.requireIdentity === true,
  }
}

export async function identityRoutes(app: FastifyInstance): Promise<void> {
  const { store } = app.parley

  app.get('/api/sites/:site/identity', async (request) => {
    const { site: id } = parse(ParamsSchema, request.params)
    await requireSiteAdmin(request, id)
    return { ok: true, data: view(await siteOrThrow(store, id)) }
  })

  /** A new secret: every `userHash` made with the old one stops verifying at once. */
  app.post('/api/sites/:site/identity/secret', async (request) => {
    const { site: id } = parse(ParamsSchema, request.params)
    const agent = await requireSiteAdmin(request, id)
    const secret = randomBytes(32).toString('hex')
    const settings = await updateSite(store, id, (site) => {
      const next = { ...site, identitySecret: secret }
      return { site: next, result: view(next) }
    })
    request.log.info({ siteId: id, agentId: agent.id }, 'identity secret generated')
    return { ok: true, data: { ...settings, secret } }
  })

  app.put('/api/sites/:site/identity', async (request) => {
    const { site: id } = parse(ParamsSchema, request.params)
    const agent = await requireSiteAdmin(request, id)
    const { requireIdentity } = parse(PatchSchema, request.body)
    const settings = await updateSite(store, id, (site) => {
      if (requireIdentity && !site.identitySecret)
        throw new AppError('invalid_payload', 'generate an identity secret before requiring identity')
      const next = { ...site, requireIdentity }
      return { site: next, result: view(next) }
    })
    request.log.info({ siteId: id, agentId: agent.id, requireIdentity }, 'identity requirement changed')
    return { ok: true, data: settings }
  })
}
