/** Behind a proxy: with PARLEY_TRUST_PROXY the sign-in limit counts each client, not the proxy. */
import type { IncomingMessage } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { clientAddressResolver, parseTrustProxy } from '../../relay/http/client-address.ts'
import { startRelay, type TestRelay } from '../support/relay.ts'

let relay: TestRelay | undefined
afterEach(() => relay?.close())

const attempt = (from: string | null) =>
  fetch(`${relay?.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(from && { 'x-forwarded-for': from }) },
    body: JSON.stringify({ email: 'nobody@example.com', password: 'wrong-password' }),
  })

async function exhaust(from: string | null): Promise<number[]> {
  const statuses: number[] = []
  for (let i = 0; i < 11; i++) statuses.push((await attempt(from)).status)
  return statuses
}

describe('trusted proxies', () => {
  it('counts sign-in attempts per forwarded client when the proxy is trusted', async () => {
    relay = await startRelay({ PARLEY_TRUST_PROXY: 'loopback' })
    expect((await exhaust('203.0.113.1')).at(-1)).toBe(429)
    // Another shopper behind the same proxy is not locked out by the first one's attempts.
    expect((await attempt('203.0.113.2')).status).toBe(401)
  })

  it('ignores X-Forwarded-For without a trusted proxy, so a client cannot dodge the limit', async () => {
    relay = await startRelay()
    const statuses: number[] = []
    for (let i = 0; i < 11; i++) statuses.push((await attempt(`198.51.100.${i}`)).status)
    expect(statuses.at(-1)).toBe(429)
  })

  it('reads the setting strictly and resolves a handshake’s address by the same rule', () => {
    expect(parseTrustProxy(undefined)).toBeNull()
    expect(parseTrustProxy('2')).toBe(2)
    expect(parseTrustProxy('loopback, 10.0.0.0/8')).toEqual(['loopback', '10.0.0.0/8'])
    expect(() => parseTrustProxy('true')).toThrow('name the proxies')
    expect(() => parseTrustProxy('0')).toThrow('1 to 10')
    expect(() => parseTrustProxy('not-an-address')).toThrow('PARLEY_TRUST_PROXY')
    const request = (remote: string, forwarded: string) =>
      ({
        socket: { remoteAddress: remote },
        headers: { 'x-forwarded-for': forwarded },
      }) as unknown as IncomingMessage
    const viaLoopback = clientAddressResolver(['loopback'])
    expect(viaLoopback(request('127.0.0.1', '203.0.113.9'))).toBe('203.0.113.9')
    expect(viaLoopback(request('192.0.2.50', '203.0.113.9'))).toBe('192.0.2.50')
    expect(clientAddressResolver(1)(request('192.0.2.50', '198.51.100.1, 203.0.113.9'))).toBe('203.0.113.9')
  })
})
