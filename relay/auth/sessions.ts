/** Console sessions: a random cookie token; the store keeps only its sha256. */
import { createHash, randomBytes } from 'node:crypto'
import type { Agent, Store } from '../store/types.ts'

export const SESSION_TTL_MS = 7 * 24 * 3600 * 1000

export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/** Creates a session and returns the token to put in the cookie. */
export async function createSession(
  store: Store,
  agentId: string,
  now: Date,
): Promise<{ token: string; id: string }> {
  const token = randomBytes(32).toString('base64url')
  const id = sessionIdOf(token)
  await store.putSession({
    id,
    agentId,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + SESSION_TTL_MS).toISOString(),
  })
  return { token, id }
}

/** The agent a cookie token belongs to, or null when missing, unknown or expired. */
export async function agentForToken(
  store: Store,
  token: string | undefined,
  now: Date,
): Promise<{ agent: Agent; sessionId: string } | null> {
  if (!token) return null
  const id = sessionIdOf(token)
  const session = await store.getSession(id)
  if (!session || Date.parse(session.expiresAt) <= now.getTime()) return null
  const agent = await store.getAgent(session.agentId)
  return agent ? { agent, sessionId: id } : null
}
