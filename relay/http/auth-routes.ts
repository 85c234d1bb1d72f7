/** Console sign-in: scrypt-checked password, session in an httpOnly SameSite cookie, rate limited. */
import type { FastifyInstance } from 'fastify'
import { CONSOLE_NAMESPACE, LoginSchema, SESSION_COOKIE } from '../../shared/protocol.ts'
import { verifyPassword } from '../auth/passwords.ts'
import { agentForToken, createSession, SESSION_TTL_MS } from '../auth/sessions.ts'
import { AppError } from '../errors.ts'
import { rooms } from '../sockets/broadcaster.ts'
import type { Agent } from '../store/types.ts'

// Compared against when the email is unknown, so timing does not reveal which emails exist.
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='

function profile(agent: Agent) {
  return { id: agent.id, email: agent.email, name: agent.name, role: agent.role }
}

export async function authRoutes(app: FastifyInstance): Promise<void> {
  const { store, config, io, now } = app.parley

  app.post(
    '/api/auth/login',
    { config: { rateLimit: { max: 10, timeWindow: '1 minute' } } },
    async (request, reply) => {
      const parsed = LoginSchema.safeParse(request.body)
      if (!parsed.success) throw new AppError('invalid_payload', 'email and password are required')
      const agent = await store.getAgentByEmail(parsed.data.email)
      const ok = await verifyPassword(parsed.data.password, agent?.passwordHash ?? DUMMY_HASH)
      if (!agent || !ok) throw new AppError('unauthorized', 'wrong email or password')
      const session = await createSession(store, agent.id, now())
      reply.setCookie(SESSION_COOKIE, session.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: config.secureCookies,
        maxAge: SESSION_TTL_MS / 1000,
      })
      return { ok: true, data: { agent: profile(agent) } }
    },
  )

  app.get('/api/auth/me', async (request) => {
    const found = await agentForToken(store, request.cookies[SESSION_COOKIE], now())
    if (!found) throw new AppError('unauthorized', 'not signed in')
    return { ok: true, data: { agent: profile(found.agent) } }
  })

  app.post('/api/auth/logout', async (request, reply) => {
    const found = await agentForToken(store, request.cookies[SESSION_COOKIE], now())
    if (found) {
      await store.deleteSession(found.sessionId)
      // Open console sockets of that session end with it.
      io.of(CONSOLE_NAMESPACE).in(rooms.session(found.sessionId)).disconnectSockets(true)
    }
    reply.clearCookie(SESSION_COOKIE, { path: '/' })
    return { ok: true, data: null }
  })
}
