/**
 * Who is asking, behind a proxy: with `PARLEY_TRUST_PROXY` the relay believes `X-Forwarded-For`
 * from the proxies it names, so rate limits count each shopper and agent, not the load balancer.
 * Off by default: without it a client could claim any address.
 */
import type { IncomingMessage } from 'node:http'
import proxyaddr from '@fastify/proxy-addr'

/** Trusted proxies: a number of hops in front of the relay, or addresses, CIDRs and the names `loopback`, `linklocal`, `uniquelocal`. */
export type TrustProxy = number | string[]

export function parseTrustProxy(raw: string | undefined): TrustProxy | null {
  const value = raw?.trim()
  if (!value) return null
  if (/^\d+$/.test(value)) {
    const hops = Number(value)
    if (hops < 1 || hops > 10) throw new Error('PARLEY_TRUST_PROXY: a number of proxies must be 1 to 10')
    return hops
  }
  if (value === 'true' || value === '*')
    throw new Error(
      'PARLEY_TRUST_PROXY: name the proxies (addresses, CIDRs, loopback) or their number, not every address',
    )
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  // Validates every entry (an unknown name or a malformed address throws here, at start-up).
  try {
    proxyaddr.compile(list)
  } catch (error) {
    throw new Error(`PARLEY_TRUST_PROXY: ${(error as Error).message}`)
  }
  return list
}

/** Whether the address `hop` steps from the relay is a trusted proxy (Fastify's `trustProxy`). */
export function trustFunction(trust: TrustProxy): (address: string, hop: number) => boolean {
  return typeof trust === 'number' ? (_address, hop) => hop < trust : proxyaddr.compile(trust)
}

/** The client's address of a raw request (a socket.io handshake), by the same rule as Fastify's. */
export function clientAddressResolver(trust: TrustProxy): (request: IncomingMessage) => string {
  const trusted = trustFunction(trust)
  return (request) => proxyaddr(request, trusted)
}
