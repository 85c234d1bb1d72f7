/**
 * Widget identity verification: the store's backend computes `userHash` = hex HMAC-SHA256 of the
 * shopper's email (or user id) with the site's identity secret; the relay checks it and links the
 * chat to that one contact, the same on every device.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import type { WidgetIdentity } from '../../shared/protocol.ts'

/** The string the store signs: the lowercased email, else the user id. */
export function identitySubject(identity: Pick<WidgetIdentity, 'email' | 'userId'>): string | null {
  return identity.email?.trim().toLowerCase() || identity.userId?.trim() || null
}

/** What a store's backend computes (exported for docs, tests and example code). */
export function identityHash(siteSecret: string, subject: string): string {
  return createHmac('sha256', siteSecret).update(subject).digest('hex')
}

/** True when `userHash` is right for this identity; constant time. */
export function identityVerified(siteSecret: string, identity: WidgetIdentity): boolean {
  const subject = identitySubject(identity)
  if (!subject) return false
  const expected = Buffer.from(identityHash(siteSecret, subject), 'hex')
  const given = Buffer.from(identity.userHash, 'hex')
  return expected.length === given.length && timingSafeEqual(expected, given)
}

/** The verified contact's id: derived, so the same shopper is the same contact on any device. */
export function verifiedContactId(relaySecret: Buffer, siteId: string, subject: string): string {
  const digest = createHmac('sha256', relaySecret).update(`contact:${siteId}:${subject}`).digest('base64url')
  return `ctc_v${digest.slice(0, 22).replace(/[^A-Za-z0-9_-]/g, '_')}`
}
