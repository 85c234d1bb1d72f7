/**
 * The policy HTTP API as the console calls it (same origin, the session cookie): read, save, and
 * preview a change against past requests. Every call resolves to the ack envelope.
 */
import type { Policy, ReplayResult } from '../../../../shared/policy.ts'
import type { UiError } from '../store.ts'
import type { Reply } from '../transport.ts'

export interface SiteRef {
  id: string
  name: string
}

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

const STATUS: Record<number, UiError['code']> = {
  400: 'invalid_payload',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  429: 'rate_limited',
}

async function send<T>(
  fetchImpl: typeof fetch,
  method: 'GET' | 'PUT' | 'POST',
  path: string,
  body?: unknown,
) {
  let res: Response
  try {
    res = await fetchImpl(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  } catch {
    return { ok: false, error: { code: 'network_error', message: `${path}: network error` } } as Reply<T>
  }
  const parsed = (await res.json().catch(() => null)) as Reply<T> | null
  if (parsed && typeof parsed === 'object' && 'ok' in parsed) return parsed
  return {
    ok: false,
    error: { code: STATUS[res.status] ?? 'internal_error', message: `${path}: HTTP ${res.status}` },
  } as Reply<T>
}

export function createPolicyApi(fetchImpl: typeof fetch = (...args) => fetch(...args)): PolicyApi {
  const path = (siteId: string) => `/api/sites/${encodeURIComponent(siteId)}/policy`
  return {
    sites: () => send(fetchImpl, 'GET', '/api/kb/sites'),
    get: (siteId) => send(fetchImpl, 'GET', path(siteId)),
    save: (siteId, policy) => send(fetchImpl, 'PUT', path(siteId), { policy }),
    replay: (siteId, policy) => send(fetchImpl, 'POST', `${path(siteId)}/replay`, { policy }),
  }
}
