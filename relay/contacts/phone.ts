/**
 * Phone numbers as the messaging channels join a customer on them: one form (E.164 digits, no `+`),
 * and the site's contact that already has that number. WhatsApp reports `wa_id` in that form; an
 * SMS gateway's `from` on the generic webhook API is normalised to it.
 */
import type { Contact, Store } from '../store/types.ts'

/** E.164 allows at most 15 digits; fewer than 7 is a short code or an extension, not a number. */
const PHONE = /^\d{7,15}$/

/**
 * The digits of a phone number written as people and gateways write it (`+34 612 345 678`,
 * `0034-612.345.678`, `(555) 010 2030`): separators and a leading `+` or `00` are dropped. Null when
 * what is left is not 7–15 digits (`user-42`, an email address).
 */
export function normalizePhone(raw: string): string | null {
  let digits = raw.trim().replace(/[\s\-.()]/g, '')
  if (digits.startsWith('+')) digits = digits.slice(1)
  else if (digits.startsWith('00')) digits = digits.slice(2)
  return PHONE.test(digits) ? digits : null
}

/**
 * The site's contact whose `phone` is exactly `digits`: one not merged into another first, then the
 * oldest. The contact itself, not its customer: merges are resolved where contacts are shown.
 */
export async function contactByPhone(
  store: Pick<Store, 'listContacts'>,
  siteId: string,
  digits: string,
): Promise<Contact | null> {
  // The store's query is a substring match on the digits; only an exact number is the same person.
  const found = await store.listContacts({ siteIds: [siteId], query: digits, limit: Number.MAX_SAFE_INTEGER })
  const exact = found.filter((c) => c.phone === digits)
  exact.sort(
    (a, b) =>
      Number(Boolean(a.mergedInto)) - Number(Boolean(b.mergedInto)) ||
      a.createdAt.localeCompare(b.createdAt) ||
      a.id.localeCompare(b.id),
  )
  return exact[0] ?? null
}
