/**
 * What the widget is told about a person being around (`session:ready.availability`, the
 * `availability:changed` push) and the email a shopper leaves when nobody is (`contact:email`).
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { Availability } from '../../shared/helpdesk.ts'
import type { ConversationSummary } from '../../shared/protocol.ts'
import { agentOnline, fakeClock, PASSWORD, shopperAsksForPerson } from '../support/helpdesk.ts'
import { call, connectWidget, login, request, startRelay, type TestRelay, waitFor } from '../support/relay.ts'

let relay: TestRelay | undefined
afterEach(async () => {
  await relay?.close()
  relay = undefined
})

const day = [{ start: '09:00', end: '17:00' }]
const BERLIN_OFFICE = {
  timeZone: 'Europe/Berlin',
  weekly: { mon: day, tue: day, wed: day, thu: day, fri: day },
}

describe('availability for the widget', () => {
  it('session:ready says whether an agent is online, and availability:changed follows agents coming and going', async () => {
    relay = await startRelay({}, { helpdesk: { offlineGraceMs: 20 } })
    const shopper = await connectWidget(relay.url)
    expect(shopper.ready.availability).toEqual({ open: true, agentsOnline: false, backAt: null })

    const online = waitFor<Availability>(shopper.socket, 'availability:changed', (a) => a.agentsOnline)
    const ada = await agentOnline(relay, { email: 'ada@example.com', name: 'Ada' })
    expect(await online).toEqual({ open: true, agentsOnline: true, backAt: null })

    // Away counts as not there for the shopper.
    const away = waitFor<Availability>(shopper.socket, 'availability:changed', (a) => !a.agentsOnline)
    await call(ada.socket, 'agent:status', { status: 'away' })
    expect(await away).toEqual({ open: true, agentsOnline: false, backAt: null })

    const again = waitFor<Availability>(shopper.socket, 'availability:changed', (a) => a.agentsOnline)
    await call(ada.socket, 'agent:status', { status: 'online' })
    await again
    const gone = waitFor<Availability>(shopper.socket, 'availability:changed', (a) => !a.agentsOnline)
    ada.socket.close()
    await gone
    // A newcomer is told the same.
    expect((await connectWidget(relay.url)).ready.availability).toEqual({
      open: true,
      agentsOnline: false,
      backAt: null,
    })
  })

  it('outside business hours says when a person is back, and the tick announces the opening', async () => {
    // Friday 17:30 in Berlin.
    const clock = fakeClock('2026-01-16T16:30:00.000Z')
    relay = await startRelay({}, { now: clock.now })
    const admin = await relay.addAgent({ email: 'root@example.com', name: 'Root', role: 'admin' })
    const res = await relay.app.inject({
      method: 'PUT',
      url: '/api/sites/demo/helpdesk',
      headers: { cookie: await login(relay.url, admin.email, PASSWORD) },
      payload: { businessHours: { site: BERLIN_OFFICE } },
    })
    expect(res.statusCode).toBe(200)
    await agentOnline(relay, { email: 'ada@example.com', name: 'Ada' })

    const shopper = await connectWidget(relay.url)
    // Monday 09:00 in Berlin is 08:00 UTC in January.
    expect(shopper.ready.availability).toEqual({
      open: false,
      agentsOnline: true,
      backAt: '2026-01-19T08:00:00.000Z',
    })

    const opened = waitFor<Availability>(shopper.socket, 'availability:changed', (a) => a.open)
    clock.set('2026-01-19T08:00:30.000Z')
    await relay.app.parley.helpdesk.tick()
    expect(await opened).toEqual({ open: true, agentsOnline: true, backAt: null })
  })
})

describe('contact:email', () => {
  it('stores the address on the shopper’s contact, unverified, and agents see it in the summary', async () => {
    relay = await startRelay()
    const sam = await agentOnline(relay, { email: 'sam@example.com', name: 'Sam' })
    const { shopper, contactId, conversationId } = await shopperAsksForPerson(relay)
    const shown = waitFor<ConversationSummary>(
      sam.socket,
      'conversation:upserted',
      (c) => c.id === conversationId && c.contact.email === 'maya@example.com',
    )
    expect(await call(shopper, 'contact:email', { email: '  Maya@Example.com ' })).toEqual({
      email: 'maya@example.com',
    })
    expect(await relay.app.parley.store.getContact(contactId)).toMatchObject({
      email: 'maya@example.com',
      emailVerified: false,
    })
    await shown
  })

  it('refuses an address that is not one with invalid_payload, storing nothing', async () => {
    relay = await startRelay()
    const shopper = await connectWidget(relay.url)
    expect(await request(shopper.socket, 'contact:email', { email: 'not an address' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload' },
    })
    expect(await request(shopper.socket, 'contact:email', {})).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload' },
    })
    expect(await relay.app.parley.store.getContact(shopper.contactId)).toBeNull()
  })

  it('never replaces a verified address with a typed one', async () => {
    relay = await startRelay()
    const shopper = await connectWidget(relay.url)
    const { store } = relay.app.parley
    await store.putContact({
      id: shopper.contactId,
      siteId: 'demo',
      name: 'Maya',
      email: 'maya@example.com',
      emailVerified: true,
      createdAt: new Date().toISOString(),
    })
    expect(await call(shopper.socket, 'contact:email', { email: 'someone@else.example' })).toEqual({
      email: 'maya@example.com',
    })
    expect(await store.getContact(shopper.contactId)).toMatchObject({
      email: 'maya@example.com',
      emailVerified: true,
    })
  })
})
