/** A site's identity verification from the console's API: generate a secret, require identity. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { identityHash } from '../../relay/auth/identity.ts'
import { loadConfig } from '../../relay/config.ts'
import { ensureDemoSite } from '../../relay/seed.ts'
import { connectWidget, login, startRelay, type TestRelay } from '../support/relay.ts'

let relay: TestRelay
let admin: string
beforeEach(async () => {
  relay = await startRelay()
  await relay.addAgent({ email: 'root@example.com', name: 'Root', role: 'admin' })
  admin = await login(relay.url, 'root@example.com', 'correct-horse-battery')
})
afterEach(() => relay.close())

const api = (method: string, path: string, cookie: string, body?: unknown) =>
  fetch(`${relay.url}${path}`, {
    method,
    headers: { cookie, ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })

describe('identity settings', () => {
  it('generates a secret shown once, then requires identity: anonymous widgets are refused, verified ones welcome', async () => {
    const before = await api('GET', '/api/sites/demo/identity', admin)
    expect(await before.json()).toEqual({
      ok: true,
      data: { enabled: false, secretEnding: null, requireIdentity: false },
    })
    const tooSoon = await api('PUT', '/api/sites/demo/identity', admin, { requireIdentity: true })
    expect(tooSoon.status).toBe(400)

    const generated = await api('POST', '/api/sites/demo/identity/secret', admin)
    const { data } = (await generated.json()) as { data: { secret: string; secretEnding: string } }
    expect(data.secret).toMatch(/^[0-9a-f]{64}$/)
    expect(data.secretEnding).toBe(data.secret.slice(-4))
    const read = await (await api('GET', '/api/sites/demo/identity', admin)).text()
    expect(read).not.toContain(data.secret)

    const required = await api('PUT', '/api/sites/demo/identity', admin, { requireIdentity: true })
    expect(((await required.json()) as { data: { requireIdentity: boolean } }).data.requireIdentity).toBe(
      true,
    )
    await expect(connectWidget(relay.url)).rejects.toThrow('identity_required')
    const wrong = { email: 'maya@example.com', userHash: identityHash('old-secret', 'maya@example.com') }
    await expect(connectWidget(relay.url, { identity: wrong })).rejects.toThrow('identity_required')
    const right = { email: 'maya@example.com', userHash: identityHash(data.secret, 'maya@example.com') }
    const shopper = await connectWidget(relay.url, { identity: right })
    expect(shopper.ready.verified).toBe(true)
    shopper.socket.close()

    // A restart keeps what the admin set (no PARLEY_IDENTITY_SECRET in the environment).
    await ensureDemoSite(relay.app.parley.store, loadConfig({ PARLEY_DATA_DIR: relay.dataDir }), new Date())
    const site = await relay.app.parley.store.getSite('demo')
    expect(site).toMatchObject({ identitySecret: data.secret, requireIdentity: true })
  })

  it('is for the site’s admins only, and validates what it is sent', async () => {
    await relay.addAgent({ email: 'ana@example.com', name: 'Ana' })
    const agent = await login(relay.url, 'ana@example.com', 'correct-horse-battery')
    expect((await api('GET', '/api/sites/demo/identity', agent)).status).toBe(403)
    expect((await api('POST', '/api/sites/demo/identity/secret', agent)).status).toBe(403)
    await relay.addAgent({ email: 'olga@example.com', name: 'Olga', role: 'admin', siteIds: ['other'] })
    const outsider = await login(relay.url, 'olga@example.com', 'correct-horse-battery')
    expect((await api('GET', '/api/sites/demo/identity', outsider)).status).toBe(404)
    expect((await api('GET', '/api/sites/demo/identity', '')).status).toBe(401)
    const bad = await api('PUT', '/api/sites/demo/identity', admin, { requireIdentity: 'yes' })
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalid_payload')
  })
})
