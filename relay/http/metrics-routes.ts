/**
 * `GET /metrics` in Prometheus text format for operators, behind a bearer token
 * (`PARLEY_METRICS_TOKEN`). Not registered without a token: the route is then a plain 404.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { AppError } from '../errors.ts'
import { createPrometheusMetrics } from '../metrics/prometheus.ts'

export interface MetricsRoutesOptions {
  token: string
}

/** Constant-time comparison of the presented token with the configured one. */
function tokenMatches(header: string | undefined, token: string): boolean {
  const presented = /^Bearer (.+)$/i.exec(header ?? '')?.[1]?.trim()
  if (!presented) return false
  const digest = (s: string) => createHash('sha256').update(s).digest()
  return timingSafeEqual(digest(presented), digest(token))
}

export async function metricsRoutes(app: FastifyInstance, options: MetricsRoutesOptions): Promise<void> {
  const metrics = createPrometheusMetrics({ store: app.parley.store, now: app.parley.now })

  app.get('/metrics', async (request, reply) => {
    if (!tokenMatches(request.headers.authorization, options.token)) {
      reply.header('WWW-Authenticate', 'Bearer realm="parley metrics"')
      throw new AppError('unauthorized', 'a valid metrics token is required')
    }
    const text = await metrics.scrape()
    return reply.header('Cache-Control', 'no-store').type(metrics.contentType).send(text)
  })
}
