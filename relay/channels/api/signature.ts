/**
 * The generic webhook signature: `X-Parley-Signature: sha256=<hex>` is the HMAC-SHA256, with the
 * shared secret, of `<X-Parley-Timestamp>.<raw body bytes>`; the timestamp (Unix seconds) must be
 * within the tolerance, so a captured request cannot be replayed later.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'

export const TIMESTAMP_HEADER = 'x-parley-timestamp'
export const SIGNATURE_HEADER = 'x-parley-signature'

export function sign(secret: string, timestamp: string, body: Buffer | string): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')
  return `sha256=${mac}`
}

/** Why a request is refused, or null when it is signed, and recently. */
export function checkSignature(
  secret: string,
  headers: { timestamp: unknown; signature: unknown },
  body: Buffer,
  now: Date,
  toleranceMs: number,
): string | null {
  const { timestamp, signature } = headers
  if (typeof timestamp !== 'string' || !/^\d{1,12}$/.test(timestamp)) return `missing ${TIMESTAMP_HEADER}`
  if (typeof signature !== 'string') return `missing ${SIGNATURE_HEADER}`
  const match = /^sha256=([0-9a-f]{64})$/i.exec(signature.trim())
  if (!match?.[1]) return `malformed ${SIGNATURE_HEADER}`
  const expected = Buffer.from(sign(secret, timestamp, body).slice('sha256='.length), 'hex')
  if (!timingSafeEqual(Buffer.from(match[1], 'hex'), expected)) return `wrong ${SIGNATURE_HEADER}`
  if (Math.abs(now.getTime() - Number(timestamp) * 1000) > toleranceMs)
    return `${TIMESTAMP_HEADER} is too old or in the future`
  return null
}
