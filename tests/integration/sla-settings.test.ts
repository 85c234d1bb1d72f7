/** `GET/PUT /api/sites/:site/helpdesk`: routing and SLA settings, validated, admins only to change. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PASSWORD } from '../support/helpdesk.ts'
import { login, startRelay, type TestRelay } from '../support/relay.ts'

let relay: TestRelay
let adminCookie: string
let agentCookie: string
beforeAll(async () => {
  relay = await startRelay()
  await relay.addAgent({ email: 'root@example.com', name: 'Root', role: 'admin' })
  await relay.addAgent({ email: 'sam@example.com', name: 'Sam' })
  adminCookie = await login(relay.url, 'root@example.com', PASSWORD)
  agentCookie = await login(relay.url, 'sam@example.com', PASSWORD)
})
afterAll(async () => {
  await relay.close()
})

const put = (cookie: string | null, payload: unknown, site = 'demo') =>
  relay.app.inject({
    method: 'PUT',
    url: `/api/sites/${site}/helpdesk`,
    headers: cookie ? { cookie } : {},
    payload: payload as object,
  })
const get = (cookie: string | null, site = 'demo') =>
  relay.app.inject({ method: 'GET', url: `/api/sites/${site}/helpdesk`, headers: cookie ? { cookie } : {} })

describe('helpdesk settings over HTTP', () => {
  it('shows an agent of the site the defaults: auto-assignment on, no reassignment timeout, the common-practice targets, no hours', async () => {
    const res = await get(agentCookie)
    expect(res.statusCode).toBe(200)
    const { data } = res.json()
    expect(data).toMatchObject({ autoAssign: true, reassignAfterMs: null, sla: {}, businessHours: null })
    expect(data.policy.channels.web.targets.normal).toEqual({
      firstResponseMs: 120_000,
      resolutionMs: 3_600_000,
    })
    expect(data.policy.channels.email.targets.urgent.firstResponseMs).toBe(6 * 3_600_000)
  })

  it('lets an admin change them, keeping the site’s teams and macros, and shows the result to everyone', async () => {
    const site = await relay.app.parley.store.getSite('demo')
    if (!site) throw new Error('no demo site')
    await relay.app.parley.store.putSite({
      ...site,
      helpdesk: { teams: [{ id: 'billing', name: 'Billing' }] },
    })
    const hours = {
      site: { timeZone: 'America/New_York', weekly: { mon: [{ start: '22:00', end: '06:00' }] } },
      teams: { billing: { timeZone: 'Europe/Madrid', weekly: { tue: [{ start: '09:00', end: '14:00' }] } } },
    }
    const res = await put(adminCookie, {
      autoAssign: false,
      reassignAfterMs: 300_000,
      sla: { channels: { web: { targets: { urgent: { firstResponseMs: 20_000 } } } } },
      businessHours: hours,
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().data.policy.channels.web.targets.urgent).toEqual({
      firstResponseMs: 20_000,
      resolutionMs: 900_000,
    })
    const seen = (await get(agentCookie)).json().data
    expect(seen).toMatchObject({ autoAssign: false, reassignAfterMs: 300_000, businessHours: hours })
    const stored = await relay.app.parley.store.getSite('demo')
    expect(stored?.helpdesk?.teams).toEqual([{ id: 'billing', name: 'Billing' }])

    // A partial change leaves the rest; null turns the timeout off again.
    expect((await put(adminCookie, { reassignAfterMs: null, autoAssign: true })).statusCode).toBe(200)
    expect((await get(agentCookie)).json().data).toMatchObject({
      autoAssign: true,
      reassignAfterMs: null,
      businessHours: hours,
    })
  })

  it('refuses invalid settings with invalid_payload and changes nothing', async () => {
    const before = (await get(adminCookie)).json().data
    for (const payload of [
      {
        businessHours: {
          site: { timeZone: 'Mars/Olympus', weekly: { mon: [{ start: '09:00', end: '17:00' }] } },
        },
      },
      { businessHours: { site: { timeZone: 'UTC', weekly: {} } } },
      { businessHours: { site: { timeZone: 'UTC', weekly: { mon: [{ start: '9am', end: '17:00' }] } } } },
      // A resolution target shorter than the first response's.
      {
        sla: {
          channels: {
            email: { targets: { normal: { firstResponseMs: 7_200_000, resolutionMs: 3_600_000 } } },
          },
        },
      },
      { sla: { nearBreachRatio: 2 } },
      { reassignAfterMs: -5 },
      { autoAssign: 'yes' },
      { unknownSetting: true },
    ]) {
      const res = await put(adminCookie, payload)
      expect(res.statusCode, JSON.stringify(payload)).toBe(400)
      expect(res.json()).toMatchObject({ ok: false, error: { code: 'invalid_payload' } })
    }
    expect((await get(adminCookie)).json().data).toEqual(before)
  })

  it('lets only admins change settings, only agents of the site read them', async () => {
    expect((await put(agentCookie, { autoAssign: false })).json()).toMatchObject({
      error: { code: 'forbidden' },
    })
    expect((await put(null, { autoAssign: false })).statusCode).toBe(401)
    expect((await get(null)).statusCode).toBe(401)
    expect((await get(agentCookie, 'elsewhere')).json()).toMatchObject({ error: { code: 'not_found' } })
    expect((await put(adminCookie, { autoAssign: false }, 'elsewhere')).statusCode).toBe(404)
  })
})
