/**
 * The console's one JSON-over-HTTP call (same origin, the session cookie): every call resolves to
 * the ack envelope; a network failure becomes `network_error`, a bare HTTP error a code by status.
 */
import type { UiError } from './store.ts'
import type { Reply } from './transport.ts'

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

const STATUS: Record<number, UiError['code']> = {
  400: 'invalid_payload',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'invalid_transition',
  429: 'rate_limited',
}

export async function sendJson<T>(
  fetchImpl: typeof fetch,
  method: Method,
  path: string,
  body?: unknown,
): Promise<Reply<T>> {
  let res: Response
  try {
    res = await fetchImpl(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  } catch {
    return { ok: false, error: { code: 'network_error', message: `${path}: network error` } }
  }
  const parsed = (await res.json().catch(() => null)) as Reply<T> | null
  if (parsed && typeof parsed === 'object' && 'ok' in parsed) return parsed
  return {
    ok: false,
    error: { code: STATUS[res.status] ?? 'internal_error', message: `${path}: HTTP ${res.status}` },
  }
}
