/**
 * A site's routing and SLA settings: auto-assignment, the no-answer timeout, SLA targets and
 * business hours. Agents of the site read them (the console shows targets and hours); admins change
 * them. A change applies at once: widgets hear the new availability and the queue is re-run.
 */
import type { FastifyInstance } from 'fastify'
import { siteOrThrow, updateHelpdesk } from '../helpdesk/site-settings.ts'
import { applyPatch, HelpdeskSettingsPatchSchema, resolveHelpdesk } from '../sla/site-settings.ts'
import type { Site } from '../store/types.ts'
import { requireSiteAdmin, requireSiteAgent } from './auth-guard.ts'
import { SiteParamsSchema as ParamsSchema, parse } from './validate.ts'

/** The settings as saved (`sla` as configured) and the complete policy they amount to. */
function view(site: Pick<Site, 'helpdesk'>) {
  const settings = resolveHelpdesk(site)
  return {
    autoAssign: settings.autoAssign,
    reassignAfterMs: settings.reassignAfterMs,
    sla: settings.slaConfig,
    businessHours: settings.businessHours,
    policy: settings.policy,
  }
}

export async function slaRoutes(app: FastifyInstance): Promise<void> {
  const { store } = app.parley

  app.get('/api/sites/:site/helpdesk', async (request) => {
    const { site: id } = parse(ParamsSchema, request.params)
    await requireSiteAgent(request, id)
    return { ok: true, data: view(await siteOrThrow(store, id)) }
  })

  app.put('/api/sites/:site/helpdesk', async (request) => {
    const { site: id } = parse(ParamsSchema, request.params)
    await requireSiteAdmin(request, id)
    const patch = parse(HelpdeskSettingsPatchSchema, request.body)
    // One atomic site update: a macro or team edited at the same time, on any node, is kept.
    const helpdesk = await updateHelpdesk(store, id, (current) => {
      const next = applyPatch(current, patch)
      return { helpdesk: next, result: next }
    })
    await app.parley.helpdesk.settingsChanged(id)
    return { ok: true, data: view({ helpdesk }) }
  })
}
