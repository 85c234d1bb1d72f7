/** Random url-safe ids, for the relay and the widget alike (Web Crypto exists in both). */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/** A 21-character random id (126 bits), optionally prefixed (`msg_…`). */
export function newId(prefix = ''): string {
  const bytes = crypto.getRandomValues(new Uint8Array(21))
  let id = prefix
  for (const b of bytes) id += ALPHABET[b & 63]
  return id
}
