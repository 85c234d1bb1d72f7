/**
 * A site's bot action policy: read it (agents of the site), replace it and preview a change
 * against past requests (admins). The preview (`replay`) saves nothing.
 */
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { DEFAULT_POLICY, type Policy, PolicySchema } from '../../shared/policy.ts'
import { AppError } from '../errors.ts'
import { updateSite } from '../helpdesk/site-settings.ts'
import { describePolicy } from '../policy/describe.ts'
import { replayPolicy, siteActionEvents } from '../policy/replay.ts'
import type { Site } from '../store/types.ts'
import { requireSiteAdmin, requireSiteAgent } from './auth-guard.ts'
import { SiteParamsSchema as ParamsSchema, parse } from './validate.ts'

const BodySchema = z.object({ policy: PolicySchema })

function view(site: Site) {
  const policy: Policy = site.policy ?? DEFAULT_POLICY
  return { policy, isDefault: site.policy === undefined, text: describePolicy(policy) }
}

export async function policyRoutes(app: FastifyInstance): Promise<void> {
  const { store } = app.parley

  async function siteOf(id: string): Promise<Site> {
    const site = await store.getSite(id)
    if (!site) throw new AppError('not_found', 'no such site')
    return site
  }

  app.get('/api/sites/:site/policy', async (request) => {
    const { site: id } = parse(ParamsSchema, request.params)
    await requireSiteAgent(request, id)
    return { ok: true, data: view(await siteOf(id)) }
  })

  app.put('/api/sites/:site/policy', async (request) => {
    const { site: id } = parse(ParamsSchema, request.params)
    await requireSiteAdmin(request, id)
    const { policy } = parse(BodySchema, request.body)
    // One atomic site update: a helpdesk or identity setting saved at the same moment is kept.
    const next = await updateSite(store, id, (site) => {
      const changed: Site = { ...site, policy }
      return { site: changed, result: changed }
    })
    return { ok: true, data: view(next) }
  })

  app.post('/api/sites/:site/policy/replay', async (request) => {
    const { site: id } = parse(ParamsSchema, request.params)
    await requireSiteAdmin(request, id)
    const { policy } = parse(BodySchema, request.body)
    await siteOf(id)
    const { events, truncated } = await siteActionEvents(store, id)
    return { ok: true, data: replayPolicy(policy, events, truncated) }
  })
}
