import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Macro } from '../../shared/helpdesk.ts'
import { manualAssignment, signIn } from '../support/helpdesk-console.ts'
import { call, startRelay, type TestRelay } from '../support/relay.ts'

let relay: TestRelay
let admin: string
let agent: string
beforeEach(async () => {
  relay = await startRelay()
  await manualAssignment(relay)
  await relay.app.parley.store.putSite({
    id: 'other',
    name: 'Other',
    allowedOrigins: [],
    botName: 'Bot',
    createdAt: new Date().toISOString(),
  })
  admin = (await signIn(relay, 'Root', { role: 'admin' })).cookie
  agent = (await signIn(relay, 'Ada')).cookie
})
afterEach(async () => {
  await relay.close()
})

function send(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, cookie: string | null, body?: unknown) {
  return relay.app.inject({
    method,
    url,
    headers: { ...(cookie ? { cookie } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { payload: body as object } : {}),
  })
}

const refund = {
  name: 'Refund issued',
  body: 'Hi {{contact.name}}, the refund for {{order.number}} is on its way. {{agent.name}}',
  actions: { tags: ['refund'], resolve: true },
}

describe('macros API', () => {
  it('lets an admin create, list, replace and delete a site’s macros', async () => {
    const created = await send('POST', '/api/sites/demo/macros', admin, refund)
    expect(created.statusCode).toBe(201)
    const macro = created.json().data.macro as Macro
    expect(macro).toMatchObject({ siteId: 'demo', ...refund })
    const listed = await send('GET', '/api/sites/demo/macros', admin)
    expect(listed.json()).toEqual({ ok: true, data: { macros: [macro] } })

    const replaced = await send('PUT', `/api/sites/demo/macros/${macro.id}`, admin, {
      ...refund,
      actions: { priority: 'low' },
    })
    expect(replaced.json().data.macro).toMatchObject({ id: macro.id, actions: { priority: 'low' } })
    const deleted = await send('DELETE', `/api/sites/demo/macros/${macro.id}`, admin)
    expect(deleted.json()).toEqual({ ok: true, data: { id: macro.id } })
    expect((await send('GET', '/api/sites/demo/macros', admin)).json().data.macros).toEqual([])
    expect((await send('DELETE', `/api/sites/demo/macros/${macro.id}`, admin)).statusCode).toBe(404)
  })

  it('lets agents read macros but not change them, and nobody outside the site see them', async () => {
    const macro = (await send('POST', '/api/sites/demo/macros', admin, refund)).json().data.macro as Macro
    expect((await send('GET', '/api/sites/demo/macros', agent)).json().data.macros).toHaveLength(1)
    for (const [method, url] of [
      ['POST', '/api/sites/demo/macros'],
      ['PUT', `/api/sites/demo/macros/${macro.id}`],
      ['DELETE', `/api/sites/demo/macros/${macro.id}`],
    ] as const) {
      const res = await send(method, url, agent, method === 'DELETE' ? undefined : refund)
      expect(res.statusCode).toBe(403)
      expect(res.json()).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    }
    expect((await send('GET', '/api/sites/demo/macros', null)).statusCode).toBe(401)
    // The admin works on demo only: another site is not probeable.
    expect((await send('GET', '/api/sites/other/macros', admin)).statusCode).toBe(404)
  })

  it('refuses an invalid macro and a second macro with the same name', async () => {
    const bad = await send('POST', '/api/sites/demo/macros', admin, { name: '', body: 'x' })
    expect(bad.statusCode).toBe(400)
    expect(bad.json()).toMatchObject({ ok: false, error: { code: 'invalid_payload' } })
    await send('POST', '/api/sites/demo/macros', admin, refund)
    const twin = await send('POST', '/api/sites/demo/macros', admin, { ...refund, name: 'REFUND ISSUED' })
    expect(twin.statusCode).toBe(400)
    expect(twin.json().error.message).toMatch(/already exists/)
  })

  it('gives the console every macro of the agent’s sites over the socket', async () => {
    await send('POST', '/api/sites/demo/macros', admin, refund)
    await send('POST', '/api/sites/demo/macros', admin, { name: 'Address', body: 'Which address?' })
    const ada = await signIn(relay, 'Bea')
    const { macros } = await call<{ macros: Macro[] }>(ada.socket, 'macro:list', {})
    expect(macros.map((m) => m.name)).toEqual(['Address', 'Refund issued'])
    const olga = await signIn(relay, 'Olga', { siteIds: ['other'] })
    expect((await call<{ macros: Macro[] }>(olga.socket, 'macro:list', {})).macros).toEqual([])
  })
})
