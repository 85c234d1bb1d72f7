/** `/webhooks/messenger` in the shape of the Messenger Platform, with a loopback Graph API for replies. */
import { createHmac } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Conversation } from '../../relay/store/types.ts'
import type { ConversationSummary } from '../../shared/protocol.ts'
import { type FakeGraphApi, startGraphApi } from '../support/graph-api.ts'
import { call, clientId, signedInAgent, startRelay, type TestRelay } from '../support/relay.ts'
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

const HOUR = 3600 * 1000
const DAY = 24 * HOUR

describe('messenger webhook', () => {
  let relay: TestRelay | undefined
  let graph: FakeGraphApi
  /** A clock the tests move; the relay reads it for the messaging windows. */
  let at: number
  const start = Date.parse('2025-06-09T10:00:00.000Z')
  beforeEach(async () => {
    at = start
    graph = await startGraphApi()
    relay = await startRelay(
      {
        PARLEY_MESSENGER_APP_SECRET: APP_SECRET,
        PARLEY_MESSENGER_VERIFY_TOKEN: 'messenger-verify',
        PARLEY_MESSENGER_PAGE_TOKEN: PAGE_TOKEN,
        PARLEY_GRAPH_API_URL: graph.url,
      },
      { now: () => new Date(at) },
    )
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

  /**
   * The person asks for a person (the bot's answer is the first send), `later` passes, then an agent
   * claims the conversation and replies. Returns the conversation and its summary as the agent saw it.
   */
  const agentReplyAfter = async (later: number) => {
    const raw = JSON.stringify(delivery('m_w1', 'I want to talk to a person'))
    expect((await post(raw, sign(raw))).status).toBe(200)
    const [conversation] = await eventually(async () => {
      const found = (await relay?.app.parley.store.listConversations({ siteIds: ['demo'] })) ?? []
      return found[0]?.status === 'queued' ? found : null
    })
    if (!conversation) throw new Error('no conversation')
    await eventually(async () => graph.requests.length === 1)
    expect(graph.requests[0]?.body).toMatchObject({ messaging_type: 'RESPONSE' })
    at += later
    const agent = await signedInAgent(relay as TestRelay, 'dana@tidewater.test', 'Dana')
    const inbox = await call<{ conversations: ConversationSummary[] }>(agent, 'inbox:list', {})
    const summary = inbox.conversations.find((c) => c.id === conversation.id)
    await call(agent, 'conversation:claim', { conversationId: conversation.id })
    await call(agent, 'message:send', {
      conversationId: conversation.id,
      clientId: clientId(),
      text: 'Hallo, hier ist Dana.',
    })
    await relay?.app.parley.messenger.drain()
    agent.close()
    return { conversation: conversation as Conversation, summary }
  }
  const notesOf = async (conversationId: string) =>
    ((await relay?.app.parley.store.listMessages(conversationId)) ?? []).filter((m) => m.internal)

  it('sends an agent reply within 24 hours of the last message as a standard RESPONSE', async () => {
    const { summary } = await agentReplyAfter(23 * HOUR)
    expect(summary?.replyWindowEndsAt).toBe(new Date(start + 7 * DAY).toISOString())
    expect(graph.requests).toHaveLength(2)
    expect(graph.requests[1]?.body).toEqual({
      recipient: { id: PSID },
      messaging_type: 'RESPONSE',
      message: { text: 'Hallo, hier ist Dana.' },
    })
  })

  it('tags an agent reply after 24 hours with HUMAN_AGENT', async () => {
    await agentReplyAfter(25 * HOUR)
    expect(graph.requests).toHaveLength(2)
    expect(graph.requests[1]?.body).toEqual({
      recipient: { id: PSID },
      messaging_type: 'MESSAGE_TAG',
      tag: 'HUMAN_AGENT',
      message: { text: 'Hallo, hier ist Dana.' },
    })
  })

  it('sends nothing after 7 days and leaves a note, until the person writes again', async () => {
    const { conversation } = await agentReplyAfter(8 * DAY)
    expect(graph.requests).toHaveLength(1)
    const notes = await notesOf(conversation.id)
    expect(notes.map((n) => n.text)).toEqual([expect.stringContaining('more than 7 days ago')])
    expect(notes[0]?.text).toContain(new Date(start + 7 * DAY).toISOString())
    // The person writes again: the windows start over from now.
    const raw = JSON.stringify(delivery('m_w2', 'Bist du noch da?'))
    expect((await post(raw, sign(raw))).status).toBe(200)
    expect(await relay?.app.parley.messenger.replyWindowEndsAt(conversation.id)).toBe(
      new Date(at + 7 * DAY).toISOString(),
    )
  })

  it('refuses a wrong signature with 401 and stores nothing', async () => {
    const raw = JSON.stringify(delivery('m_2', 'hello'))
    expect((await post(raw, sign(raw, 'wrong-secret'))).status).toBe(401)
    expect(await relay?.app.parley.store.listConversations({ siteIds: ['demo'] })).toEqual([])
  })
})
