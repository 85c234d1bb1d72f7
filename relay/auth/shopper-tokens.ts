/**
 * Shopper tokens: an HMAC-signed `(site, contact, verified)` triple. Stateless, so any node can
 * verify one; a token only ever opens that contact's conversations on that one site. A token of a
 * verified contact is honoured only together with the identity that proved it (a shared computer
 * must not keep the last shopper signed in).
 */
import { createHmac, timingSafeEqual } from 'node:crypto'

export interface ShopperIdentity {
  siteId: string
  contactId: string
  /** Linked through the store's identity verification. */
  verified?: boolean
}

function sign(secret: Buffer, payload: string): string {
  return createHmac('sha256', secret).update(`shopper:${payload}`).digest('base64url')
}

/** Issues a token for a contact on a site. */
export function issueShopperToken(secret: Buffer, identity: ShopperIdentity): string {
  const fields: unknown[] = [identity.siteId, identity.contactId]
  if (identity.verified) fields.push(1)
  const payload = Buffer.from(JSON.stringify(fields)).toString('base64url')
  return `v1.${payload}.${sign(secret, payload)}`
}

/** The identity a token proves, or null for anything forged, malformed or for another site. */
export function verifyShopperToken(secret: Buffer, token: string, siteId: string): ShopperIdentity | null {
  const [version, payload, signature] = token.split('.')
  if (version !== 'v1' || !payload || !signature) return null
  const expected = Buffer.from(sign(secret, payload))
  const given = Buffer.from(signature)
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null
  try {
    const parsed: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
    if (!Array.isArray(parsed) || parsed.length < 2 || parsed.length > 3) return null
    const [site, contact, verified] = parsed as unknown[]
    if (typeof site !== 'string' || typeof contact !== 'string' || site !== siteId) return null
    return { siteId: site, contactId: contact, verified: verified === 1 }
  } catch {
    return null
  }
}
