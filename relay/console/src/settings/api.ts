/**
 * The helpdesk's admin HTTP API as the console calls it (same origin, the session cookie): agents,
 * teams, macros and the site's helpdesk settings. Every call resolves to the ack envelope; a route
 * the relay does not have yet reads as `not_found`, so pages can say so instead of breaking.
 */
import type { AgentSummary, Macro, Team } from '../../../../shared/helpdesk.ts'
import type { Priority } from '../../../../shared/protocol.ts'
// Type-only: the shapes the relay validates (erased at build, so neither zod nor luxon is bundled).
import type { BusinessHoursConfig } from '../../../sla/business-hours.ts'
import type { SlaPolicy, SlaPolicyConfig } from '../../../sla/policy.ts'
import type { Reply } from '../transport.ts'

export type {
  BusinessCalendar,
  BusinessHoursConfig,
  Holiday,
  OpeningInterval,
  Weekday,
} from '../../../sla/business-hours.ts'

import { type Method, sendJson } from '../http.ts'

export type { SlaPolicy, SlaPolicyConfig } from '../../../sla/policy.ts'

import type { SiteRef } from '../sites.tsx'

export type { SiteRef }

/** An agent as an admin sees them: the summary plus the sites they work on. */
export type AdminAgent = AgentSummary & { siteIds?: string[]; createdAt?: string }

export interface HelpdeskSettings {
  autoAssign: boolean
  /** Back to the queue when the assignee has not answered within this long; null = never. */
  reassignAfterMs: number | null
  sla: SlaPolicyConfig
  businessHours: BusinessHoursConfig | null
  /** Read only: the complete targets the configuration amounts to (defaults filled in). */
  policy?: SlaPolicy
}

/** What a save sends: only the parts a page edits (the relay keeps the rest). */
export type HelpdeskPatch = Partial<Omit<HelpdeskSettings, 'policy'>>

/** What the Add / Edit agent form sends; the password only when set (required to add). */
export interface AgentInput {
  email: string
  name: string
  password?: string
  role: 'admin' | 'agent'
  skills: string[]
  languages: string[]
  teamId: string | null
  capacity: number
  siteIds?: string[]
}

export interface MacroInput {
  name: string
  body: string
  actions: { tags?: string[]; priority?: Priority; resolve?: boolean }
}

export interface SettingsApi {
  sites(): Promise<Reply<SiteRef[]>>
  agents(): Promise<Reply<AdminAgent[]>>
  addAgent(input: AgentInput): Promise<Reply<AdminAgent>>
  updateAgent(
    id: string,
    patch: Partial<AgentInput> & { notifications?: boolean },
  ): Promise<Reply<AdminAgent>>
  teams(site: string): Promise<Reply<Team[]>>
  saveTeams(site: string, teams: Team[]): Promise<Reply<Team[]>>
  macros(site: string): Promise<Reply<Macro[]>>
  addMacro(site: string, input: MacroInput): Promise<Reply<Macro>>
  saveMacro(site: string, id: string, input: MacroInput): Promise<Reply<Macro>>
  deleteMacro(site: string, id: string): Promise<Reply<unknown>>
  helpdesk(site: string): Promise<Reply<HelpdeskSettings>>
  saveHelpdesk(site: string, patch: HelpdeskPatch): Promise<Reply<HelpdeskSettings>>
}

/** `{ ok, data: { key: value } }` or `{ ok, data: value }`: both read as the value. */
async function unwrap<T>(reply: Promise<Reply<unknown>>, key: string): Promise<Reply<T>> {
  const r = await reply
  if (!r.ok) return r
  const data = r.data
  if (data && typeof data === 'object' && !Array.isArray(data) && key in data)
    return { ok: true, data: (data as Record<string, unknown>)[key] as T }
  return { ok: true, data: data as T }
}

export function createSettingsApi(fetchImpl: typeof fetch = (...args) => fetch(...args)): SettingsApi {
  const site = (id: string) => `/api/sites/${encodeURIComponent(id)}`
  const call = (method: Method, path: string, body?: unknown) => sendJson(fetchImpl, method, path, body)
  return {
    sites: () => unwrap(call('GET', '/api/kb/sites'), 'sites'),
    agents: () => unwrap(call('GET', '/api/agents'), 'agents'),
    addAgent: (input) => unwrap(call('POST', '/api/agents', input), 'agent'),
    updateAgent: (id, patch) =>
      unwrap(call('PATCH', `/api/agents/${encodeURIComponent(id)}`, patch), 'agent'),
    teams: (s) => unwrap(call('GET', `${site(s)}/teams`), 'teams'),
    saveTeams: (s, teams) => unwrap(call('PUT', `${site(s)}/teams`, { teams }), 'teams'),
    macros: (s) => unwrap(call('GET', `${site(s)}/macros`), 'macros'),
    addMacro: (s, input) => unwrap(call('POST', `${site(s)}/macros`, input), 'macro'),
    saveMacro: (s, id, input) =>
      unwrap(call('PUT', `${site(s)}/macros/${encodeURIComponent(id)}`, input), 'macro'),
    deleteMacro: (s, id) => call('DELETE', `${site(s)}/macros/${encodeURIComponent(id)}`),
    helpdesk: (s) => unwrap(call('GET', `${site(s)}/helpdesk`), 'settings'),
    saveHelpdesk: (s, patch) => unwrap(call('PUT', `${site(s)}/helpdesk`, patch), 'settings'),
  }
}
