/** The relay's errors: created once with a stable code from the shared list and an HTTP status. */
import type { ErrorCode, WireError } from '../shared/protocol.ts'

const STATUS: Record<ErrorCode, number> = {
  invalid_payload: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  unknown_site: 404,
  origin_not_allowed: 403,
  protocol_mismatch: 400,
  already_assigned: 409,
  not_assignee: 409,
  invalid_transition: 409,
  rate_limited: 429,
  internal_error: 500,
  identity_required: 403,
}

export class AppError extends Error {
  readonly code: ErrorCode
  readonly status: number
  readonly details: Record<string, unknown> | undefined

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message)
    this.name = 'AppError'
    this.code = code
    this.status = STATUS[code]
    this.details = details
  }

  static from(error: WireError): AppError {
    return new AppError(error.code, error.message, error.details)
  }

  toWire(): WireError {
    return this.details
      ? { code: this.code, message: this.message, details: this.details }
      : { code: this.code, message: this.message }
  }
}

/** Anything that is not an AppError becomes `internal_error` on the wire; the caller logs it. */
export function toWireError(error: unknown): WireError {
  if (error instanceof AppError) return error.toWire()
  return { code: 'internal_error', message: 'internal error' }
}
