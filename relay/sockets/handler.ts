/** Wraps one socket event: validate the payload, act, ack with the shared envelope, never throw. */
import type { z } from 'zod'
import type { Ack } from '../../shared/protocol.ts'
import type { Logger } from '../conversations/service.ts'
import { AppError, toWireError } from '../errors.ts'

export function handle<S extends z.ZodType, R>(
  event: string,
  schema: S,
  log: Logger,
  fn: (payload: z.output<S>) => Promise<R>,
): (payload: unknown, ack: unknown) => void {
  return (payload, ack) => {
    if (typeof ack !== 'function') {
      // Without an ack the caller could not learn the outcome: refuse rather than act blind.
      log.info({ event }, 'socket event without ack ignored')
      return
    }
    const reply = ack as (response: Ack<R>) => void
    const parsed = schema.safeParse(payload)
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`)
      reply({ ok: false, error: { code: 'invalid_payload', message: issues.join('; ') } })
      return
    }
    fn(parsed.data).then(
      (data) => reply({ ok: true, data }),
      (error: unknown) => {
        if (!(error instanceof AppError) || error.code === 'internal_error') {
          log.error({ err: error, event }, 'socket handler failed')
        }
        reply({ ok: false, error: toWireError(error) })
      },
    )
  }
}
