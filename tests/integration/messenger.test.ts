/** `/webhooks/messenger` in the shape of the Messenger Platform, with a loopback Graph API for replies. */
import { createHmac } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type FakeGraphApi, startGraphApi } from '../support/graph-api.ts'
import { startRelay, type TestRelay } from '../support/relay.ts'
import { eventually } from '../support/smtp.ts'

const APP_SECRET = 'messenger-app-secret-for-tests'
const PAGE_TOKEN = 'EAAB-page-token'
const PSID = '6783974818296702'

const delivery = (mid: string, text: string) => ({
  object: 'page',
  entry: [
    {
      id: '112233445566',
      time: 1749416383000,
      messaging: [
        {
          sender: { id: PSID },
          recipient: { id: '112233445566' },
          timestamp: 1749416383000,
          message: { mid, text },
        },
      ],
    },
  ],
})
const sign = (raw: string, secret = APP_SECRET) =>
  `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`

describe('messenger webhook', () => {
  let relay: TestRelay | undefined
  let graph: FakeGraphApi
  beforeEach(async () => {
    graph = await startGraphApi()
    relay = await startRelay({
      PARLEY_MESSENGER_APP_SECRET: APP_SECRET,
      PARLEY_MESSENGER_VERIFY_TOKEN: 'messenger-verify',
      PARLEY_MESSENGER_PAGE_TOKEN: PAGE_TOKEN,
      PARLEY_GRAPH_API_URL: graph.url,
    })
  })
  afterEach(async () => {
    await relay?.close()
    await graph.close()
  })
  const post = (raw: string, signature: string) =>
    fetch(`${relay?.url}/webhooks/messenger`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
      body: raw,
    })

  it('answers the handshake with the challenge only for the right token', async () => {
    const ok = await fetch(
      `${relay?.url}/webhooks/messenger?hub.mode=subscribe&hub.verify_token=messenger-verify&hub.challenge=42`,
    )
    expect(await ok.text()).toBe('42')
    const wrong = await fetch(
      `${relay?.url}/webhooks/messenger?hub.mode=subscribe&hub.verify_token=x&hub.challenge=42`,
    )
    expect(wrong.status).toBe(403)
  })

  it('stores a signed message once even when redelivered, and the bot reply goes to /me/messages', async () => {
    const raw = JSON.stringify(delivery('m_1', 'Ich möchte meine Bestellung ändern ☕'))
    expect((await post(raw, sign(raw))).status).toBe(200)
    expect((await post(raw, sign(raw))).status).toBe(200)
    const conversations = (await relay?.app.parley.store.listConversations({ siteIds: ['demo'] })) ?? []
    expect(conversations.map((c) => c.channel)).toEqual(['messenger'])
    const messages = (await relay?.app.parley.store.listMessages(conversations[0]?.id ?? '')) ?? []
    expect(messages.filter((m) => m.author === 'contact').map((m) => m.text)).toEqual([
      'Ich möchte meine Bestellung ändern ☕',
    ])
    const [sent] = await eventually(async () => (graph.requests.length ? graph.requests : null))
    expect(sent?.path).toBe('/v21.0/me/messages')
    expect(sent?.authorization).toBe(`Bearer ${PAGE_TOKEN}`)
    expect(sent?.body).toMatchObject({ recipient: { id: PSID }, messaging_type: 'RESPONSE' })
  })

  it('refuses a wrong signature with 401 and stores nothing', async () => {
    const raw = JSON.stringify(delivery('m_2', 'hello'))
    expect((await post(raw, sign(raw, 'wrong-secret'))).status).toBe(401)
    expect(await relay?.app.parley.store.listConversations({ siteIds: ['demo'] })).toEqual([])
  })
})
