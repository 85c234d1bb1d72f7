/** Validation at the HTTP boundary: one schema check, one error shape for every route. */
import { z } from 'zod'
import { AppError } from '../errors.ts'

/** `:site` in a route. */
export const SiteParamsSchema = z.object({ site: z.string().min(1).max(64) })

/**
 * The value as the schema reads it, or `invalid_payload` naming every problem (`what` stands for
 * the whole value, e.g. `body`); the issues are also in `details.issues`.
 */
export function parse<S extends z.ZodType>(schema: S, value: unknown, what = 'body'): z.output<S> {
  const parsed = schema.safeParse(value ?? {})
  if (parsed.success) return parsed.data
  const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))
  throw new AppError('invalid_payload', issues.map((i) => `${i.path || what}: ${i.message}`).join('; '), {
    issues,
  })
}
