import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { sign } from '../../relay/channels/api/signature.ts'
import type { CustomerProfile } from '../../shared/customers.ts'
import { type FakeGraphApi, startGraphApi } from '../support/graph-api.ts'
import { call, signedInAgent, startRelay, type TestRelay } from '../support/relay.ts'
import { postWhatsApp, WA_APP_SECRET, waDelivery, waText } from '../support/whatsapp.ts'

const API_SECRET = 'generic-webhook-secret-for-tests'
const APP_SECRET = WA_APP_SECRET
const WA_ID = '34612345678'

let relay: TestRelay
let graph: FakeGraphApi
beforeEach(async () => {
  graph = await startGraphApi()
  relay = await startRelay({
    PARLEY_API_WEBHOOK_SECRET: API_SECRET,
    PARLEY_WHATSAPP_APP_SECRET: APP_SECRET,
    PARLEY_WHATSAPP_VERIFY_TOKEN: 'verify-me-please',
    PARLEY_WHATSAPP_ACCESS_TOKEN: 'EAAG-test-access-token',
    PARLEY_GRAPH_API_URL: graph.url,
  })
})
afterEach(async () => {
  await relay.close()
  await graph.close()
})

/** An SMS gateway's message through `POST /webhooks/api`; resolves with its conversation id. */
async function sms(id: string, from: string, text: string): Promise<string> {
  const raw = JSON.stringify({ id, from, text })
  const timestamp = String(Math.floor(Date.now() / 1000))
  const response = await fetch(`${relay.url}/webhooks/api`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-parley-timestamp': timestamp,
      'x-parley-signature': sign(API_SECRET, timestamp, raw),
    },
    body: raw,
  })
  expect(response.status).toBe(202)
  return ((await response.json()) as { data: { conversationId: string } }).data.conversationId
}

/** A signed WhatsApp Cloud API delivery from `WA_ID`; resolves with its conversation id. */
async function whatsapp(id: string, text: string): Promise<string> {
  const response = await postWhatsApp(
    relay.url,
    waDelivery({ messages: [waText(id, text, WA_ID)] }, { waId: WA_ID }),
  )
  expect(response.status).toBe(200)
  const conversations = await relay.app.parley.store.listConversations({ siteIds: ['demo'] })
  const found = conversations.find((c) => c.channel === 'whatsapp')
  if (!found) throw new Error('no whatsapp conversation')
  return found.id
}

async function conversation(id: string) {
  const found = await relay.app.parley.store.getConversation(id)
  if (!found) throw new Error(`no conversation ${id}`)
  return found
}

describe('one customer by phone number', () => {
  it('puts an SMS from +34 612 345 678 and a WhatsApp message from 34612345678 on one contact, listed together', async () => {
    const fromSms = await conversation(await sms('sms-1', '+34 612 345 678', 'Where is my order?'))
    const fromWhatsApp = await conversation(await whatsapp('wamid.p1', 'Any news on my order?'))
    expect(fromSms.channel).toBe('api')
    expect(fromWhatsApp.channel).toBe('whatsapp')
    expect(fromWhatsApp.contactId).toBe(fromSms.contactId)
    expect(await relay.app.parley.store.getContact(fromSms.contactId)).toMatchObject({ phone: WA_ID })

    const agent = await signedInAgent(relay, 'dana@tidewater.test', 'Dana')
    const { customer } = await call<{ customer: CustomerProfile }>(agent, 'customer:get', {
      contactId: fromSms.contactId,
    })
    agent.close()
    expect(customer.phone).toBe(WA_ID)
    expect(customer.identities.map((i) => i.contactId)).toEqual([fromSms.contactId])
    expect(customer.conversations.map((c) => [c.id, c.channel]).sort()).toEqual(
      [
        [fromSms.id, 'api'],
        [fromWhatsApp.id, 'whatsapp'],
      ].sort(),
    )
  })

  it('puts an SMS on the contact WhatsApp created for that number', async () => {
    const fromWhatsApp = await conversation(await whatsapp('wamid.p2', 'Hola'))
    const fromSms = await conversation(await sms('sms-2', '0034 612-345-678', 'Hello again'))
    expect(fromSms.contactId).toBe(fromWhatsApp.contactId)
    // The next SMS from that sender goes through the channel's own record, to the same contact.
    const again = await conversation(await sms('sms-3', '0034 612-345-678', 'Still there?'))
    expect(again.id).toBe(fromSms.id)
    expect(
      (await relay.app.parley.store.listContacts({ siteIds: ['demo'] })).filter((c) => c.phone === WA_ID),
    ).toHaveLength(1)
  })

  it('keeps a sender id that is not a number on its own contact without a phone', async () => {
    await whatsapp('wamid.p3', 'Hola')
    const first = await conversation(await sms('sms-4', 'user-42', 'Hi from the app'))
    const second = await conversation(await sms('sms-5', 'user-42', 'And again'))
    expect(second.id).toBe(first.id)
    const contact = await relay.app.parley.store.getContact(first.contactId)
    expect(contact?.phone ?? null).toBeNull()
    const whatsappContact = (await relay.app.parley.store.listContacts({ siteIds: ['demo'] })).find(
      (c) => c.phone === WA_ID,
    )
    expect(whatsappContact?.id).not.toBe(first.contactId)
  })
})
