/** Liveness and readiness for load balancers and orchestrators. */
import type { FastifyInstance } from 'fastify'

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get('/healthz', async (_request, reply) => {
    reply.header('Cache-Control', 'no-store')
    const sites = await app.parley.store.listSites()
    return {
      ok: true,
      data: { status: 'ok', sites: sites.length, uptimeSeconds: Math.round(process.uptime()) },
    }
  })
}
