/**
 * The policy HTTP API as the console calls it (same origin, the session cookie): read, save, and
 * preview a change against past requests. Every call resolves to the ack envelope.
 */
import type { Policy, ReplayResult } from '../../../../shared/policy.ts'
import { sendJson } from '../http.ts'
import { fetchSites, type SiteRef } from '../sites.tsx'
import type { Reply } from '../transport.ts'

export type { SiteRef }

export interface PolicyView {
  policy: Policy
  isDefault: boolean
  /** The policy as the model is told it. */
  text: string
}

export interface PolicyApi {
  sites(): Promise<Reply<{ sites: SiteRef[] }>>
  get(siteId: string): Promise<Reply<PolicyView>>
  save(siteId: string, policy: Policy): Promise<Reply<PolicyView>>
  replay(siteId: string, policy: Policy): Promise<Reply<ReplayResult>>
}

export function createPolicyApi(fetchImpl: typeof fetch = (...args) => fetch(...args)): PolicyApi {
  const path = (siteId: string) => `/api/sites/${encodeURIComponent(siteId)}/policy`
  return {
    sites: () => fetchSites(fetchImpl),
    get: (siteId) => sendJson(fetchImpl, 'GET', path(siteId)),
    save: (siteId, policy) => sendJson(fetchImpl, 'PUT', path(siteId), { policy }),
    replay: (siteId, policy) => sendJson(fetchImpl, 'POST', `${path(siteId)}/replay`, { policy }),
  }
}
