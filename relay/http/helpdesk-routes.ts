/**
 * The helpdesk's admin API: agents (list, create, edit), a site's teams and macros. Any agent may
 * read agents, teams and macros of their sites; only admins change them.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { AppError } from '../errors.ts'
import {
  AgentCreateSchema,
  AgentPatchSchema,
  colleaguesOf,
  createAgent,
  loadsFor,
  noPresence,
  type PresenceOf,
  patchAgent,
  sharesSite,
  TeamsSchema,
  teamsOf,
  toAdminView,
  toAgentSummary,
} from '../helpdesk/agents.ts'
import {
  createMacro,
  deleteMacro,
  MacroIdSchema,
  MacroInputSchema,
  macrosOf,
  replaceMacro,
} from '../helpdesk/macros.ts'
import { siteOrThrow, updateHelpdesk } from '../helpdesk/site-settings.ts'
import type { Agent } from '../store/types.ts'
import { requireAgent, requireSiteAdmin, requireSiteAgent } from './auth-guard.ts'
import { parse } from './validate.ts'

export interface HelpdeskRoutesOptions {
  /** Agents' presence (relay/routing); `offline` for everyone without it. */
  presenceOf?: PresenceOf
}

const SiteParamsSchema = z.object({ site: z.string().min(1).max(64) })
const MacroParamsSchema = SiteParamsSchema.extend({ id: MacroIdSchema })
const AgentParamsSchema = z.object({ id: z.string().min(1).max(64) })

async function requireAdmin(request: FastifyRequest): Promise<Agent> {
  const agent = await requireAgent(request)
  if (agent.role !== 'admin') throw new AppError('forbidden', 'admins only')
  return agent
}

export async function helpdeskRoutes(
  app: FastifyInstance,
  options: HelpdeskRoutesOptions = {},
): Promise<void> {
  const { store, now } = app.parley
  const presenceOf = options.presenceOf ?? noPresence

  async function viewOf(agent: Agent, viewer: Agent) {
    const loads = await loadsFor(store, agent.siteIds)
    return toAdminView(agent, viewer, presenceOf(agent.id), loads.get(agent.id) ?? 0)
  }

  // -------------------------------------------------------------------------------------------
  // Agents
  // -------------------------------------------------------------------------------------------

  app.get('/api/agents', async (request) => {
    const viewer = await requireAgent(request)
    const agents = colleaguesOf(await store.listAgents(), viewer)
    const loads = await loadsFor(store, [...new Set(agents.flatMap((a) => a.siteIds))])
    const load = (a: Agent) => loads.get(a.id) ?? 0
    return {
      ok: true,
      data: {
        agents: agents.map((a) =>
          viewer.role === 'admin'
            ? toAdminView(a, viewer, presenceOf(a.id), load(a))
            : toAgentSummary(a, presenceOf(a.id), load(a)),
        ),
      },
    }
  })

  app.post('/api/agents', async (request, reply) => {
    const admin = await requireAdmin(request)
    const input = parse(AgentCreateSchema, request.body)
    const agent = await createAgent(store, admin, input, now())
    reply.status(201)
    return { ok: true, data: { agent: await viewOf(agent, admin) } }
  })

  app.patch('/api/agents/:id', async (request) => {
    const admin = await requireAdmin(request)
    const { id } = parse(AgentParamsSchema, request.params, 'params')
    const patch = parse(AgentPatchSchema, request.body)
    const target = await store.getAgent(id)
    // Agents of other sites are not probeable.
    if (!target || !sharesSite(target, admin)) throw new AppError('not_found', 'no such agent')
    const agent = await patchAgent(store, admin, target, patch)
    return { ok: true, data: { agent: await viewOf(agent, admin) } }
  })

  // -------------------------------------------------------------------------------------------
  // Teams
  // -------------------------------------------------------------------------------------------

  app.get('/api/sites/:site/teams', async (request) => {
    const { site } = parse(SiteParamsSchema, request.params, 'params')
    await requireSiteAgent(request, site)
    return { ok: true, data: { teams: teamsOf(await siteOrThrow(store, site)) } }
  })

  app.put('/api/sites/:site/teams', async (request) => {
    const { site } = parse(SiteParamsSchema, request.params, 'params')
    await requireSiteAdmin(request, site)
    const { teams } = parse(TeamsSchema, request.body)
    await updateHelpdesk(store, site, (helpdesk) => ({ helpdesk: { ...helpdesk, teams }, result: null }))
    return { ok: true, data: { teams } }
  })

  // -------------------------------------------------------------------------------------------
  // Macros
  // -------------------------------------------------------------------------------------------

  app.get('/api/sites/:site/macros', async (request) => {
    const { site } = parse(SiteParamsSchema, request.params, 'params')
    await requireSiteAgent(request, site)
    return { ok: true, data: { macros: macrosOf(await siteOrThrow(store, site)) } }
  })

  app.post('/api/sites/:site/macros', async (request, reply) => {
    const { site } = parse(SiteParamsSchema, request.params, 'params')
    await requireSiteAdmin(request, site)
    const macro = await createMacro(store, site, parse(MacroInputSchema, request.body))
    reply.status(201)
    return { ok: true, data: { macro } }
  })

  app.put('/api/sites/:site/macros/:id', async (request) => {
    const { site, id } = parse(MacroParamsSchema, request.params, 'params')
    await requireSiteAdmin(request, site)
    const macro = await replaceMacro(store, site, id, parse(MacroInputSchema, request.body))
    return { ok: true, data: { macro } }
  })

  app.delete('/api/sites/:site/macros/:id', async (request) => {
    const { site, id } = parse(MacroParamsSchema, request.params, 'params')
    await requireSiteAdmin(request, site)
    await deleteMacro(store, site, id)
    return { ok: true, data: { id } }
  })
}
