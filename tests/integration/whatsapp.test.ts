import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Conversation } from '../../relay/store/types.ts'
import type {
  ConversationDetail,
  ConversationSummary,
  DeliveryStatus,
  Message,
} from '../../shared/protocol.ts'
import { type FakeGraphApi, startGraphApi } from '../support/graph-api.ts'
import {
  type ConsoleClient,
  call,
  clientId,
  record,
  signedInAgent,
  startRelay,
  type TestRelay,
  waitFor,
} from '../support/relay.ts'
import { eventually } from '../support/smtp.ts'
import {
  postWhatsApp,
  WA_APP_SECRET,
  WA_PHONE_NUMBER_ID,
  waDelivery,
  waSignature,
  waText,
} from '../support/whatsapp.ts'

const APP_SECRET = WA_APP_SECRET
const VERIFY_TOKEN = 'verify-me-please'
const ACCESS_TOKEN = 'EAAG-test-access-token'
const PHONE_NUMBER_ID = WA_PHONE_NUMBER_ID
const SHOPPER = '34612345678'

const delivery = (messages: object[], name = 'Lucía Gómez') =>
  waDelivery({ messages }, { name, waId: SHOPPER })
const textMessage = (id: string, body: string) => waText(id, body, SHOPPER)
const sign = waSignature
const statusDelivery = (statuses: object[]) => waDelivery({ statuses })

const status = (id: string, state: string, timestamp: number, extra: object = {}) => ({
  id,
  status: state,
  timestamp: String(timestamp),
  recipient_id: SHOPPER,
  ...extra,
})

/** The loopback Graph API answers its n-th accepted send (1-based) with `wamid.out<n>`. */
const wamidOf = (requestIndex: number) => `wamid.out${requestIndex + 1}`

const HOUR = 3600 * 1000

describe('whatsapp webhook', () => {
  let relay: TestRelay | undefined
  let graph: FakeGraphApi
  beforeEach(async () => {
    graph = await startGraphApi()
  })
  afterEach(async () => {
    await relay?.close()
    relay = undefined
    await graph.close()
  })

  const start = async (env: Record<string, string> = {}, options: { now?: () => Date } = {}) => {
    relay = await startRelay(
      {
        PARLEY_WHATSAPP_APP_SECRET: APP_SECRET,
        PARLEY_WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
        PARLEY_WHATSAPP_ACCESS_TOKEN: ACCESS_TOKEN,
        PARLEY_GRAPH_API_URL: graph.url,
        ...env,
      },
      options,
    )
    return relay
  }

  const post = (body: object | string, signature?: string) =>
    postWhatsApp(relay?.url ?? '', body, signature ?? null)
  const postSigned = (body: object) => post(body, sign(JSON.stringify(body)))

  const whatsappConversations = async (): Promise<Conversation[]> =>
    (await relay?.app.parley.store.listConversations({ siteIds: ['demo'] }))?.filter(
      (c) => c.channel === 'whatsapp',
    ) ?? []
  const customerTexts = async (conversationId: string) =>
    ((await relay?.app.parley.store.listMessages(conversationId)) ?? [])
      .filter((m) => m.author === 'contact')
      .map((m) => m.text)

  it('answers the verification handshake with the challenge only for the right verify token', async () => {
    const { url } = await start()
    const ok = await fetch(
      `${url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`,
    )
    expect(ok.status).toBe(200)
    expect(ok.headers.get('content-type')).toContain('text/plain')
    expect(await ok.text()).toBe('1158201444')
    const wrong = await fetch(
      `${url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}x&hub.challenge=1158201444`,
    )
    expect(wrong.status).toBe(403)
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('forbidden')
    const mode = await fetch(
      `${url}/webhooks/whatsapp?hub.mode=unsubscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`,
    )
    expect(mode.status).toBe(403)
  })

  it('stores a signed non-ASCII message exactly, and the bot answer goes to the Graph API with the bearer token', async () => {
    await start()
    const text = '¿Dónde está mi pedido? 🚚'
    const response = await postSigned(delivery([textMessage('wamid.HBgLMzQ2MTIzNDU2NzgVAgASGBQz', text)]))
    expect(response.status).toBe(200)
    const [conversation] = await whatsappConversations()
    if (!conversation) throw new Error('no whatsapp conversation')
    expect(await customerTexts(conversation.id)).toEqual([text])
    const contact = await relay?.app.parley.store.getContact(conversation.contactId)
    expect(contact).toMatchObject({ name: 'Lucía Gómez', phone: SHOPPER })
    const [sent] = await eventually(async () => (graph.requests.length ? graph.requests : null))
    const messages = (await relay?.app.parley.store.listMessages(conversation.id)) ?? []
    const bot = messages.find((m) => m.author === 'bot')
    if (!bot) throw new Error('the bot did not answer')
    expect(sent?.method).toBe('POST')
    expect(sent?.path).toBe(`/v21.0/${PHONE_NUMBER_ID}/messages`)
    expect(sent?.authorization).toBe(`Bearer ${ACCESS_TOKEN}`)
    expect(sent?.body).toMatchObject({ messaging_product: 'whatsapp', to: SHOPPER, type: 'text' })
    expect(sent?.body.text?.body).toContain(bot.text)
  })

  it('refuses a missing or wrong signature with 401 and stores nothing', async () => {
    await start()
    const body = delivery([textMessage('wamid.bad1', 'Hola')])
    expect((await post(body)).status).toBe(401)
    expect((await post(body, sign(JSON.stringify(body), 'another-secret'))).status).toBe(401)
    // Signed bytes that differ from the bytes sent (a re-serialised body) are refused too.
    const tampered = await post(JSON.stringify(body, null, 2), sign(JSON.stringify(body)))
    expect(tampered.status).toBe(401)
    expect(((await tampered.json()) as { error: { code: string } }).error.code).toBe('unauthorized')
    expect(await relay?.app.parley.store.listConversations({ siteIds: ['demo'] })).toEqual([])
  })

  it('stores and answers a message delivered twice only once', async () => {
    await start()
    const body = delivery([textMessage('wamid.retry1', 'What are your opening hours?')])
    // A retry racing its original, then a late retry.
    const racing = await Promise.all([postSigned(body), postSigned(body)])
    expect(racing.map((r) => r.status)).toEqual([200, 200])
    await eventually(async () => graph.requests.length === 1)
    expect((await postSigned(body)).status).toBe(200)
    const [conversation, other] = await whatsappConversations()
    if (!conversation) throw new Error('no whatsapp conversation')
    expect(other).toBeUndefined()
    expect(await customerTexts(conversation.id)).toEqual(['What are your opening hours?'])
    await relay?.app.parley.service.close()
    await relay?.app.parley.whatsapp.drain()
    const botMessages = (await relay?.app.parley.store.listMessages(conversation.id))?.filter(
      (m) => m.author === 'bot',
    )
    expect(botMessages).toHaveLength(1)
    expect(graph.requests).toHaveLength(1)
  })

  it('continues the open conversation and keeps media as a readable placeholder', async () => {
    await start()
    await postSigned(delivery([textMessage('wamid.m1', 'My mug arrived broken')]))
    await postSigned(
      delivery([
        {
          from: SHOPPER,
          id: 'wamid.m2',
          timestamp: '1749416400',
          type: 'image',
          image: { id: '1479537139650973', mime_type: 'image/jpeg', caption: 'the box' },
        },
      ]),
    )
    const conversations = await whatsappConversations()
    expect(conversations).toHaveLength(1)
    expect(await customerTexts(conversations[0]?.id ?? '')).toEqual([
      'My mug arrived broken',
      '[image] the box (media 1479537139650973)',
    ])
  })

  it('records a status callback without creating a message', async () => {
    await start()
    const body = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '102290129340398',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550783881', phone_number_id: PHONE_NUMBER_ID },
                statuses: [
                  { id: 'wamid.out1', status: 'delivered', timestamp: '1749416500', recipient_id: SHOPPER },
                ],
              },
            },
          ],
        },
      ],
    }
    const response = await postSigned(body)
    expect(response.status).toBe(200)
    expect(((await response.json()) as { data: { statuses: number } }).data.statuses).toBe(1)
    expect(await relay?.app.parley.store.listConversations({ siteIds: ['demo'] })).toEqual([])
  })

  it('sends the agent reply after a handoff to the Graph API', async () => {
    await start()
    await postSigned(delivery([textMessage('wamid.h1', 'I want to talk to a person')]))
    const [conversation] = await eventually(async () => {
      const found = await whatsappConversations()
      return found[0]?.status === 'queued' ? found : null
    })
    if (!conversation) throw new Error('no conversation')
    await eventually(async () => graph.requests.length === 1)
    const agent = await signedInAgent(relay as TestRelay, 'dana@tidewater.test', 'Dana')
    const inbox = await call<{ conversations: ConversationSummary[] }>(agent, 'inbox:list', {})
    expect(inbox.conversations.find((c) => c.id === conversation.id)).toMatchObject({
      channel: 'whatsapp',
      contact: { name: 'Lucía Gómez' },
    })
    await call(agent, 'conversation:claim', { conversationId: conversation.id })
    await call(agent, 'message:send', {
      conversationId: conversation.id,
      clientId: clientId(),
      text: 'Hola Lucía, soy Dana. ¿En qué puedo ayudarte?',
    })
    const requests = await eventually(async () => (graph.requests.length === 2 ? graph.requests : null))
    expect(requests[1]?.body.text?.body).toBe('Hola Lucía, soy Dana. ¿En qué puedo ayudarte?')
    expect(requests[1]?.body.to).toBe(SHOPPER)
    expect(requests[1]?.authorization).toBe(`Bearer ${ACCESS_TOKEN}`)
    agent.close()
  })

  it('leaves an internal note when the Graph API refuses a reply', async () => {
    await start()
    graph.failWith(401)
    await postSigned(delivery([textMessage('wamid.f1', 'Do you ship to Canada?')]))
    const [conversation] = await whatsappConversations()
    if (!conversation) throw new Error('no conversation')
    const note = await eventually(async () =>
      (await relay?.app.parley.store.listMessages(conversation.id))?.find((m) => m.internal),
    )
    expect(note.text).toContain('could not be sent')
    expect(note.text).toContain('401')
    expect(note.text).not.toContain(ACCESS_TOKEN)
  })

  /** A handed-off conversation, claimed and open in an agent's console, with the agent's reply sent. */
  const agentReply = async (text = 'Hola Lucía, soy Dana.') => {
    await postSigned(delivery([textMessage('wamid.in1', 'I want to talk to a person')]))
    const [conversation] = await eventually(async () => {
      const found = await whatsappConversations()
      return found[0]?.status === 'queued' ? found : null
    })
    if (!conversation) throw new Error('no conversation')
    await eventually(async () => graph.requests.length === 1)
    const agent = await signedInAgent(relay as TestRelay, 'dana@tidewater.test', 'Dana')
    await call(agent, 'conversation:claim', { conversationId: conversation.id })
    await call<ConversationDetail>(agent, 'conversation:open', { conversationId: conversation.id })
    const { message } = await call<{ message: Message }>(agent, 'message:send', {
      conversationId: conversation.id,
      clientId: clientId(),
      text,
    })
    await eventually(async () => graph.requests.length === 2)
    // The wamid is recorded once the send is done.
    await relay?.app.parley.whatsapp.drain()
    return { agent, conversation, message, wamid: wamidOf(1) }
  }
  const deliveriesOf = async (agent: ConsoleClient, conversationId: string) =>
    (await call<ConversationDetail>(agent, 'conversation:open', { conversationId })).deliveries
  const notesOf = async (conversationId: string) =>
    ((await relay?.app.parley.store.listMessages(conversationId)) ?? []).filter((m) => m.internal)

  it('pushes a reply’s delivered then read status to the console that has the conversation open', async () => {
    await start()
    const { agent, conversation, message, wamid } = await agentReply()
    const pushed = record<DeliveryStatus>(agent, 'message:delivery')
    const read = waitFor<DeliveryStatus>(agent, 'message:delivery', (s) => s.status === 'read')
    expect((await postSigned(statusDelivery([status(wamid, 'delivered', 1749416500)]))).status).toBe(200)
    expect((await postSigned(statusDelivery([status(wamid, 'read', 1749416560)]))).status).toBe(200)
    expect(await read).toEqual({
      conversationId: conversation.id,
      messageId: message.id,
      status: 'read',
      at: new Date(1749416560 * 1000).toISOString(),
    })
    expect(pushed.map((s) => s.status)).toEqual(['delivered', 'read'])
    // Opening the conversation again returns the status kept for the reply.
    expect(await deliveriesOf(agent, conversation.id)).toContainEqual(
      expect.objectContaining({ messageId: message.id, status: 'read' }),
    )
    agent.close()
  })

  it('does not move a read reply back to delivered when the statuses arrive out of order', async () => {
    await start()
    const { agent, conversation, message, wamid } = await agentReply()
    const pushed = record<DeliveryStatus>(agent, 'message:delivery')
    await postSigned(statusDelivery([status(wamid, 'read', 1749416560)]))
    await postSigned(
      statusDelivery([status(wamid, 'delivered', 1749416500), status(wamid, 'sent', 1749416490)]),
    )
    const kept = (await deliveriesOf(agent, conversation.id))?.find((d) => d.messageId === message.id)
    expect(kept).toMatchObject({ status: 'read', at: new Date(1749416560 * 1000).toISOString() })
    expect(pushed.map((s) => s.status)).toEqual(['read'])
    agent.close()
  })

  it('leaves one internal note with WhatsApp’s reason when a reply fails', async () => {
    await start()
    const { agent, conversation, message, wamid } = await agentReply()
    const failed = status(wamid, 'failed', 1749416600, {
      errors: [
        {
          code: 131047,
          title: 'Re-engagement message',
          message: 'Re-engagement message',
          error_data: { details: 'Message failed to send because more than 24 hours have passed.' },
        },
      ],
    })
    await postSigned(statusDelivery([failed]))
    // A redelivered failure, and a late read, change nothing: failed is final.
    await postSigned(statusDelivery([failed, status(wamid, 'read', 1749416700)]))
    const notes = await eventually(async () => {
      const found = await notesOf(conversation.id)
      return found.length ? found : null
    })
    expect(notes.map((n) => n.text)).toEqual([
      'WhatsApp could not deliver the reply: Re-engagement message (131047)',
    ])
    expect((await deliveriesOf(agent, conversation.id))?.find((d) => d.messageId === message.id)).toEqual({
      conversationId: conversation.id,
      messageId: message.id,
      status: 'failed',
      at: new Date(1749416600 * 1000).toISOString(),
      error: 'Re-engagement message (131047)',
    })
    agent.close()
  })

  it('ignores a status for a message it did not send: 200, nothing stored, no note', async () => {
    await start()
    await postSigned(delivery([textMessage('wamid.u1', 'Hi there')]))
    const [conversation] = await whatsappConversations()
    if (!conversation) throw new Error('no conversation')
    await eventually(async () => graph.requests.length === 1)
    await relay?.app.parley.whatsapp.drain()
    const before = (await relay?.app.parley.store.listMessages(conversation.id))?.length
    const response = await postSigned(
      statusDelivery([
        status('wamid.not-ours', 'failed', 1749416600, {
          errors: [{ code: 131026, title: 'Message undeliverable' }],
        }),
      ]),
    )
    expect(response.status).toBe(200)
    expect(((await response.json()) as { data: { statuses: number } }).data.statuses).toBe(1)
    expect(await relay?.app.parley.whatsapp.deliveries(conversation.id)).toEqual([])
    expect(await relay?.app.parley.store.getRecord('whatsapp.deliveries', conversation.id)).toBeNull()
    expect((await relay?.app.parley.store.listMessages(conversation.id))?.length).toBe(before)
  })

  /** A clock the test moves; the relay reads it for the window. */
  const fakeClock = () => {
    let at = Date.parse('2025-06-09T10:00:00.000Z')
    return { now: () => new Date(at), advance: (ms: number) => (at += ms), start: at }
  }

  /** The customer asks for a person (at the clock's start), then a day and an hour pass. */
  const queuedThenLater = async (clock: ReturnType<typeof fakeClock>) => {
    await postSigned(delivery([textMessage('wamid.w1', 'I want to talk to a person')]))
    const [conversation] = await eventually(async () => {
      const found = await whatsappConversations()
      return found[0]?.status === 'queued' ? found : null
    })
    if (!conversation) throw new Error('no conversation')
    await eventually(async () => graph.requests.length === 1)
    clock.advance(25 * HOUR)
    const agent = await signedInAgent(relay as TestRelay, 'dana@tidewater.test', 'Dana')
    const inbox = await call<{ conversations: ConversationSummary[] }>(agent, 'inbox:list', {})
    expect(inbox.conversations.find((c) => c.id === conversation.id)?.replyWindowEndsAt).toBe(
      new Date(clock.start + 24 * HOUR).toISOString(),
    )
    await call(agent, 'conversation:claim', { conversationId: conversation.id })
    return { agent, conversation }
  }

  it('sends the configured template with the reply as its parameter once the 24-hour window has closed', async () => {
    const clock = fakeClock()
    await start(
      { PARLEY_WHATSAPP_TEMPLATE: 'support_followup', PARLEY_WHATSAPP_TEMPLATE_LANGUAGE: 'es' },
      clock,
    )
    const { agent, conversation } = await queuedThenLater(clock)
    await call(agent, 'message:send', {
      conversationId: conversation.id,
      clientId: clientId(),
      text: 'Hola Lucía:\n\n¿Sigues necesitando ayuda con tu pedido?',
    })
    const requests = await eventually(async () => (graph.requests.length === 2 ? graph.requests : null))
    expect(requests[1]?.path).toBe(`/v21.0/${PHONE_NUMBER_ID}/messages`)
    expect(requests[1]?.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: SHOPPER,
      type: 'template',
      template: {
        name: 'support_followup',
        language: { code: 'es' },
        components: [
          {
            type: 'body',
            parameters: [{ type: 'text', text: 'Hola Lucía: ¿Sigues necesitando ayuda con tu pedido?' }],
          },
        ],
      },
    })
    agent.close()
  })

  it('holds a reply back with a note when the window has closed and no template is configured, and sends again once the customer writes', async () => {
    const clock = fakeClock()
    await start({}, clock)
    const { agent, conversation } = await queuedThenLater(clock)
    await call(agent, 'message:send', {
      conversationId: conversation.id,
      clientId: clientId(),
      text: 'Are you still there?',
    })
    const [note] = await eventually(async () => {
      const found = await notesOf(conversation.id)
      return found.length ? found : null
    })
    expect(note?.text).toContain('24 hours')
    expect(note?.text).toContain('PARLEY_WHATSAPP_TEMPLATE')
    await relay?.app.parley.whatsapp.drain()
    expect(graph.requests).toHaveLength(1)
    // The customer writes again: the window reopens and the next reply goes out as text.
    const upserted = waitFor<ConversationSummary>(
      agent,
      'conversation:upserted',
      (c) => c.id === conversation.id && c.preview.includes('Yes'),
    )
    await postSigned(delivery([textMessage('wamid.w2', 'Yes, still here')]))
    expect((await upserted).replyWindowEndsAt).toBe(new Date(clock.now().getTime() + 24 * HOUR).toISOString())
    await call(agent, 'message:send', {
      conversationId: conversation.id,
      clientId: clientId(),
      text: 'Great!',
    })
    const requests = await eventually(async () => (graph.requests.length === 2 ? graph.requests : null))
    expect(requests[1]?.body).toMatchObject({ type: 'text', text: { body: 'Great!' } })
    agent.close()
  })

  /** What the Graph API answers a free-form message outside the 24-hour window. */
  const REENGAGEMENT = {
    message: '(#131047) Re-engagement message',
    type: 'OAuthException',
    code: 131047,
    error_data: {
      messaging_product: 'whatsapp',
      details:
        'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
    },
    fbtrace_id: 'AbCdEfGhIjK',
  }

  /** A handed-off conversation, claimed by an agent whose text reply the Graph API refuses with 131047. */
  const refusedAsReengagement = async (text: string) => {
    await postSigned(delivery([textMessage('wamid.r1', 'I want to talk to a person')]))
    const [conversation] = await eventually(async () => {
      const found = await whatsappConversations()
      return found[0]?.status === 'queued' ? found : null
    })
    if (!conversation) throw new Error('no conversation')
    await eventually(async () => graph.requests.length === 1)
    const agent = await signedInAgent(relay as TestRelay, 'dana@tidewater.test', 'Dana')
    await call(agent, 'conversation:claim', { conversationId: conversation.id })
    graph.failNext(1, 400, REENGAGEMENT)
    const { message } = await call<{ message: Message }>(agent, 'message:send', {
      conversationId: conversation.id,
      clientId: clientId(),
      text,
    })
    await relay?.app.parley.whatsapp.drain()
    agent.close()
    return { conversation, message }
  }

  it('resends a text refused with 131047 once as the configured template, with no note', async () => {
    await start({ PARLEY_WHATSAPP_TEMPLATE: 'support_followup', PARLEY_WHATSAPP_TEMPLATE_LANGUAGE: 'es' })
    const { conversation, message } = await refusedAsReengagement('¿Sigues ahí?\nTe escribo por tu pedido.')
    expect(graph.requests).toHaveLength(3)
    expect(graph.requests[1]?.body).toMatchObject({
      type: 'text',
      text: { body: '¿Sigues ahí?\nTe escribo por tu pedido.' },
    })
    expect(graph.requests[2]?.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: SHOPPER,
      type: 'template',
      template: {
        name: 'support_followup',
        language: { code: 'es' },
        components: [
          { type: 'body', parameters: [{ type: 'text', text: '¿Sigues ahí? Te escribo por tu pedido.' }] },
        ],
      },
    })
    expect(await notesOf(conversation.id)).toEqual([])
    // Delivery statuses follow the template that went out: the second accepted send.
    await postSigned(statusDelivery([status(wamidOf(1), 'delivered', 1749416500)]))
    expect(await relay?.app.parley.whatsapp.deliveries(conversation.id)).toEqual([
      expect.objectContaining({ messageId: message.id, status: 'delivered' }),
    ])
  })

  it('says the 24-hour window has closed when a text is refused with 131047 and no template is configured', async () => {
    await start()
    const { conversation } = await refusedAsReengagement('Are you still there?')
    expect(graph.requests).toHaveLength(2)
    const notes = await notesOf(conversation.id)
    expect(notes).toHaveLength(1)
    expect(notes[0]?.text).toContain('the 24-hour window has closed')
    expect(notes[0]?.text).toContain('PARLEY_WHATSAPP_TEMPLATE')
    expect(notes[0]?.text).not.toContain('could not be sent')
  })

  it('is off without an app secret: the webhook answers 404 not_found', async () => {
    relay = await startRelay({})
    const response = await fetch(`${relay.url}/webhooks/whatsapp?hub.mode=subscribe`)
    expect(response.status).toBe(404)
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('not_found')
  })
})
