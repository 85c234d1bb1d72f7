/**
 * Agents and teams as the helpdesk manages them: the summary other agents see (presence, skills,
 * load), the admin's create and edit rules, and a site's teams (`Site.helpdesk.teams`).
 * Presence comes from an injected function so the presence module can plug in; without it every
 * agent is `offline`.
 */
import { z } from 'zod'
import { type AgentSummary, type Presence, type Team, TeamSchema } from '../../shared/helpdesk.ts'
import { newId } from '../../shared/ids.ts'
import { hashPassword } from '../auth/passwords.ts'
import { AppError } from '../errors.ts'
import { agentSummary, DEFAULT_CAPACITY } from '../routing/presence.ts'
import type { Agent, Site, Store } from '../store/types.ts'

export type PresenceOf = (agentId: string) => Presence
export const noPresence: PresenceOf = () => 'offline'

export const MIN_PASSWORD_LENGTH = 8

const TokenSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(40)
  .regex(/^[\p{L}\p{N}_-]+$/u, 'letters, digits, "-" or "_"')
const LanguageSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z]{2,3}(-[a-z0-9]{2,8})*$/, 'a language tag such as en or es-mx')
const uniqueList = <S extends z.ZodType<string>>(item: S) =>
  z
    .array(item)
    .max(50)
    .transform((list) => [...new Set(list)])

export const SkillsSchema = uniqueList(TokenSchema)
export const LanguagesSchema = uniqueList(LanguageSchema)
export const CapacitySchema = z.number().int().min(0).max(100)
export const RoleSchema = z.enum(['admin', 'agent'])
export const EmailSchema = z.string().trim().toLowerCase().pipe(z.email())
export const PasswordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(256)
export const NameSchema = z.string().trim().min(1).max(80)
const SiteIdsSchema = z.array(z.string().min(1).max(64)).max(100)

export const AgentCreateSchema = z.object({
  email: EmailSchema,
  password: PasswordSchema,
  name: NameSchema,
  role: RoleSchema.default('agent'),
  skills: SkillsSchema.default([]),
  languages: LanguagesSchema.default([]),
  capacity: CapacitySchema.default(DEFAULT_CAPACITY),
  /** Default: every site of the admin who creates the agent. */
  siteIds: SiteIdsSchema.optional(),
  teamId: z.string().max(64).nullable().optional(),
})
export type AgentCreate = z.infer<typeof AgentCreateSchema>

/** Strict: a stored field that is not listed (the password hash, the id) is refused, not ignored. */
export const AgentPatchSchema = z.strictObject({
  email: EmailSchema.optional(),
  name: NameSchema.optional(),
  role: RoleSchema.optional(),
  skills: SkillsSchema.optional(),
  languages: LanguagesSchema.optional(),
  capacity: CapacitySchema.optional(),
  siteIds: SiteIdsSchema.optional(),
  teamId: z.string().max(64).nullable().optional(),
  notifications: z.boolean().optional(),
  /** A new password; hashed here, never stored or returned in clear. */
  password: PasswordSchema.optional(),
})
export type AgentPatch = z.infer<typeof AgentPatchSchema>

const TeamIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/)
export const TeamsSchema = z.object({
  teams: z
    .array(TeamSchema.extend({ id: TeamIdSchema, name: z.string().trim().min(1).max(80) }))
    .max(100)
    .refine((teams) => new Set(teams.map((t) => t.id)).size === teams.length, 'team ids must be unique'),
})

/** What other agents see of an agent (one projection, shared with relay/routing/presence.ts). */
export const toAgentSummary: (agent: Agent, presence: Presence, load: number) => AgentSummary = agentSummary

/** An admin's view adds the sites an agent works on (within the admin's own sites). */
export interface AdminAgentView extends AgentSummary {
  siteIds: string[]
  createdAt: string
}

export function toAdminView(agent: Agent, viewer: Agent, presence: Presence, load: number): AdminAgentView {
  return {
    ...toAgentSummary(agent, presence, load),
    siteIds: agent.siteIds.filter((id) => viewer.siteIds.includes(id)),
    createdAt: agent.createdAt,
  }
}

/** Whether two agents share a site: agents see (and admins manage) only the agents of their sites. */
export function sharesSite(a: Pick<Agent, 'siteIds'>, b: Pick<Agent, 'siteIds'>): boolean {
  return a.siteIds.some((id) => b.siteIds.includes(id))
}

/** Agents sharing a site with `viewer`, by name. */
export function colleaguesOf(agents: readonly Agent[], viewer: Agent): Agent[] {
  return agents
    .filter((a) => sharesSite(a, viewer))
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
}

export function teamsOf(site: Site | null): Team[] {
  return site?.helpdesk?.teams ?? []
}

/** The teams of several sites, each id once (the first site's name wins). */
export function teamsOfSites(sites: readonly (Site | null)[]): Team[] {
  const byId = new Map<string, Team>()
  for (const site of sites) for (const team of teamsOf(site)) if (!byId.has(team.id)) byId.set(team.id, team)
  return [...byId.values()]
}

/** Open conversations assigned to each agent, over the given sites. */
export async function loadsFor(
  store: Pick<Store, 'listConversations'>,
  siteIds: readonly string[],
): Promise<Map<string, number>> {
  const assigned = await store.listConversations({
    siteIds: [...siteIds],
    statuses: ['assigned'],
    limit: Number.MAX_SAFE_INTEGER,
  })
  const loads = new Map<string, number>()
  for (const c of assigned) if (c.assigneeId) loads.set(c.assigneeId, (loads.get(c.assigneeId) ?? 0) + 1)
  return loads
}

/** The sites an admin gives an agent: their own sites only (others are not probeable). */
function grantedSites(admin: Agent, wanted: readonly string[] | undefined): string[] {
  const sites = wanted ? [...new Set(wanted)] : admin.siteIds
  const foreign = sites.find((id) => !admin.siteIds.includes(id))
  if (foreign !== undefined) throw new AppError('not_found', `no such site: ${foreign}`)
  return sites
}

/** A team id must name a team of one of the agent's sites. */
function checkTeam(teamId: string | null | undefined, sites: readonly (Site | null)[]): void {
  if (teamId === null || teamId === undefined) return
  if (!sites.some((s) => teamsOf(s).some((t) => t.id === teamId)))
    throw new AppError('invalid_payload', `no team "${teamId}" on the agent's sites`, { field: 'teamId' })
}

/** A new agent, created by `admin`; `invalid_payload` when the email is taken. */
export async function createAgent(store: Store, admin: Agent, input: AgentCreate, now: Date): Promise<Agent> {
  if (await store.getAgentByEmail(input.email))
    throw new AppError('invalid_payload', 'an agent with this email already exists', { field: 'email' })
  const siteIds = grantedSites(admin, input.siteIds)
  checkTeam(input.teamId, await Promise.all(siteIds.map((id) => store.getSite(id))))
  const agent: Agent = {
    id: newId('agt_'),
    email: input.email,
    name: input.name,
    role: input.role,
    passwordHash: await hashPassword(input.password),
    siteIds,
    createdAt: now.toISOString(),
    skills: input.skills,
    languages: input.languages,
    teamId: input.teamId ?? null,
    capacity: input.capacity,
  }
  await store.putAgent(agent)
  return agent
}

/**
 * Applies an admin's edit. The admin changes only their own sites' part of `siteIds` (access to
 * other sites is kept); an admin cannot take away their own admin role (no one could give it back).
 */
export async function patchAgent(
  store: Store,
  admin: Agent,
  target: Agent,
  patch: AgentPatch,
): Promise<Agent> {
  if (target.id === admin.id && patch.role === 'agent')
    throw new AppError('forbidden', 'you cannot remove your own admin role')
  if (patch.email && patch.email !== target.email.toLowerCase()) {
    const other = await store.getAgentByEmail(patch.email)
    if (other && other.id !== target.id)
      throw new AppError('invalid_payload', 'an agent with this email already exists', { field: 'email' })
  }
  const siteIds =
    patch.siteIds === undefined
      ? target.siteIds
      : [...target.siteIds.filter((id) => !admin.siteIds.includes(id)), ...grantedSites(admin, patch.siteIds)]
  if (patch.teamId) checkTeam(patch.teamId, await Promise.all(siteIds.map((id) => store.getSite(id))))
  const { password, ...fields } = patch
  const next: Agent = {
    ...target,
    ...fields,
    siteIds,
    ...(password ? { passwordHash: await hashPassword(password) } : {}),
  }
  await store.putAgent(next)
  return next
}
