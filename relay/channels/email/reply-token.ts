/**
 * Reply addresses: `support+<token>@domain`, where the token carries the conversation id and an
 * HMAC of it with the relay secret, so a reply finds its conversation and nobody can forge one.
 * Lowercase base32 only: mail systems may change the case of the local part.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567'
const PREFIX = 'cnv_'
/** 80 bits of signature: 16 base32 characters. */
const SIG_CHARS = 16

function base32(bytes: Uint8Array): string {
  let out = ''
  let bits = 0
  let value = 0
  for (const byte of bytes) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31]
  return out
}

function unbase32(text: string): Buffer | null {
  const bytes: number[] = []
  let bits = 0
  let value = 0
  for (const char of text) {
    const index = ALPHABET.indexOf(char)
    if (index < 0) return null
    value = ((value << 5) | index) & 0xffff
    bits += 5
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff)
      bits -= 8
    }
  }
  return Buffer.from(bytes)
}

function signature(secret: Buffer, body: string): string {
  return base32(createHmac('sha256', secret).update(`parley-email-reply:${body}`).digest()).slice(
    0,
    SIG_CHARS,
  )
}

/** The token for a conversation id. */
export function replyToken(secret: Buffer, conversationId: string): string {
  const id = conversationId.startsWith(PREFIX) ? conversationId.slice(PREFIX.length) : conversationId
  const body = base32(Buffer.from(id, 'utf8'))
  return `${body}-${signature(secret, body)}`
}

/** The conversation id a token carries, or null when it is malformed or its signature is wrong. */
export function verifyReplyToken(secret: Buffer, token: string): string | null {
  const [body, sig, ...rest] = token.toLowerCase().split('-')
  if (!body || !sig || rest.length > 0 || sig.length !== SIG_CHARS) return null
  const expected = Buffer.from(signature(secret, body))
  if (!timingSafeEqual(expected, Buffer.from(sig))) return null
  const id = unbase32(body)?.toString('utf8')
  return id && /^[A-Za-z0-9_-]+$/.test(id) ? `${PREFIX}${id}` : null
}

/** `local+token@domain` for a support address `local@domain`. */
export function replyAddress(supportAddress: string, token: string): string {
  const at = supportAddress.lastIndexOf('@')
  return `${supportAddress.slice(0, at)}+${token}@${supportAddress.slice(at + 1)}`
}

/** Splits `local+tag@domain` into the base address and the tag (null without one). */
export function splitAddress(address: string): { base: string; tag: string | null } {
  const lower = address.trim().toLowerCase()
  const at = lower.lastIndexOf('@')
  if (at < 1) return { base: lower, tag: null }
  const local = lower.slice(0, at)
  const plus = local.indexOf('+')
  if (plus < 0) return { base: lower, tag: null }
  return { base: `${local.slice(0, plus)}${lower.slice(at)}`, tag: local.slice(plus + 1) }
}
