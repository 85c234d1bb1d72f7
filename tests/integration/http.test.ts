import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRelay, type TestRelay } from '../support/relay.ts'

let relay: TestRelay
beforeAll(async () => {
  relay = await startRelay()
  await relay.addAgent({ email: 'sam@example.com', name: 'Sam' })
})
afterAll(async () => {
  await relay.close()
})

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  relay.app.inject({
    method: 'POST',
    url: path,
    payload: body as object,
    headers: { 'content-type': 'application/json', ...headers },
  })

describe('HTTP routes', () => {
  it('GET /healthz answers ok', async () => {
    const res = await relay.app.inject({ method: 'GET', url: '/healthz' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ ok: true, data: { status: 'ok', sites: 1 } })
  })

  it('signing in sets an httpOnly, SameSite=Strict session cookie; wrong passwords get unauthorized', async () => {
    const bad = await post('/api/auth/login', { email: 'sam@example.com', password: 'nope' })
    expect(bad.statusCode).toBe(401)
    expect(bad.json()).toMatchObject({ ok: false, error: { code: 'unauthorized' } })
    const unknown = await post('/api/auth/login', { email: 'who@example.com', password: 'nope' })
    expect(unknown.json()).toEqual(bad.json())
    const invalid = await post('/api/auth/login', { email: 'not-an-email' })
    expect(invalid.statusCode).toBe(400)
    expect(invalid.json()).toMatchObject({ ok: false, error: { code: 'invalid_payload' } })

    const good = await post('/api/auth/login', {
      email: 'SAM@example.com',
      password: 'correct-horse-battery',
    })
    expect(good.statusCode).toBe(200)
    expect(good.json()).toMatchObject({
      ok: true,
      data: { agent: { name: 'Sam', email: 'sam@example.com' } },
    })
    const cookie = String(good.headers['set-cookie'])
    expect(cookie).toMatch(/^parley_session=[\w-]{40,};/)
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Strict/)
    const me = await relay.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { cookie: cookie.split(';')[0] ?? '' },
    })
    expect(me.json()).toMatchObject({ ok: true, data: { agent: { name: 'Sam' } } })
    expect((await relay.app.inject({ method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401)
  })

  it('sign-in attempts are rate limited per address', async () => {
    const codes: number[] = []
    for (let i = 0; i < 12; i++) {
      const res = await post('/api/auth/login', { email: 'sam@example.com', password: `guess-${i}` }, {})
      codes.push(res.statusCode)
    }
    expect(codes).toContain(429)
    const limited = await post('/api/auth/login', {
      email: 'sam@example.com',
      password: 'correct-horse-battery',
    })
    expect(limited.json()).toMatchObject({ ok: false, error: { code: 'rate_limited' } })
  })

  it('serves the widget loader compressed', async () => {
    const res = await relay.app.inject({
      method: 'GET',
      url: '/widget.js',
      headers: { 'accept-encoding': 'gzip' },
    })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-encoding']).toBe('gzip')
    expect(res.headers['content-type']).toMatch(/javascript/)
    expect(gunzipSync(res.rawPayload).toString('utf8')).toMatch(/Open chat/)
    const panel = await relay.app.inject({
      method: 'GET',
      url: '/widget/panel.js',
      headers: { 'accept-encoding': 'br' },
    })
    expect(panel.statusCode).toBe(200)
    expect(panel.headers['content-encoding']).toBe('br')
  })

  it('serves the demo storefront pages with the one-line script tag, and the console', async () => {
    for (const url of ['/demo', '/demo/product']) {
      const res = await relay.app.inject({ method: 'GET', url })
      expect(res.statusCode).toBe(200)
      expect(res.body).toContain('<script src="/widget.js" data-site="demo" async></script>')
    }
    const home = await relay.app.inject({ method: 'GET', url: '/demo' })
    expect(home.body).toContain('href="/demo/product"')
    const consolePage = await relay.app.inject({ method: 'GET', url: '/console/' })
    expect(consolePage.statusCode).toBe(200)
    expect(consolePage.headers['content-type']).toMatch(/text\/html/)
  })

  it('serves verified help articles as escaped HTML and never drafts', async () => {
    const article = await relay.app.inject({ method: 'GET', url: '/help/demo/returns' })
    expect(article.statusCode).toBe(200)
    expect(article.body).toContain('<h1>Returns and exchanges</h1>')
    const draft = await relay.app.inject({ method: 'GET', url: '/help/demo/holiday-sale-draft' })
    expect(draft.statusCode).toBe(404)
    expect(draft.json()).toMatchObject({ ok: false, error: { code: 'not_found' } })
  })

  it('unknown routes get a not_found envelope', async () => {
    const res = await relay.app.inject({ method: 'GET', url: '/nope' })
    expect(res.statusCode).toBe(404)
    expect(res.json()).toEqual({ ok: false, error: { code: 'not_found', message: 'no such route' } })
  })
})
