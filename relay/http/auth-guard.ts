/** Route guards for the console's HTTP API: the signed-in agent, their role, their sites. */
import type { FastifyRequest } from 'fastify'
import { SESSION_COOKIE } from '../../shared/protocol.ts'
import { agentForToken } from '../auth/sessions.ts'
import { AppError } from '../errors.ts'
import type { Agent } from '../store/types.ts'

/** The agent signed in on this request, or `unauthorized`. */
export async function requireAgent(request: FastifyRequest): Promise<Agent> {
  const { store, now } = request.server.parley
  const found = await agentForToken(store, request.cookies[SESSION_COOKIE], now())
  if (!found) throw new AppError('unauthorized', 'not signed in')
  return found.agent
}

/** The signed-in agent, who must work on `siteId` (else `not_found`: sites are not probeable). */
export async function requireSiteAgent(request: FastifyRequest, siteId: string): Promise<Agent> {
  const agent = await requireAgent(request)
  if (!agent.siteIds.includes(siteId)) throw new AppError('not_found', 'no such site')
  return agent
}

/** As `requireSiteAgent`, and the agent must be an admin (`forbidden` otherwise). */
export async function requireSiteAdmin(request: FastifyRequest, siteId: string): Promise<Agent> {
  const agent = await requireSiteAgent(request, siteId)
  if (agent.role !== 'admin') throw new AppError('forbidden', 'admins only')
  return agent
}
