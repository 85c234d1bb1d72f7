import { afterEach, describe, expect, it } from 'vitest'
import type { Conversation } from '../../relay/store/types.ts'
import type { Message } from '../../shared/protocol.ts'
import { type FakeGraphApi, startGraphApi } from '../support/graph-api.ts'
import { call, clientId, signedInAgent, startRelay, type TestRelay } from '../support/relay.ts'
import { eventually, type SmtpSink, sendToRelay, startSmtpSink } from '../support/smtp.ts'
import { postWhatsApp, WA_APP_SECRET, waDelivery, waText } from '../support/whatsapp.ts'

const APP_SECRET = WA_APP_SECRET
const ACCESS_TOKEN = 'EAAG-test-access-token'
const _PHONE_NUMBER_ID = '106540352242922'
const PHONE = '34612345678'
const SUPPORT = 'support@tidewater.test'
const SHOPPER = 'ann@example.org'
/** Four attempts in all. */
const SHORT = [5, 5, 5]

let relay: TestRelay | undefined
let graph: FakeGraphApi | undefined
let sink: SmtpSink | undefined
afterEach(async () => {
  await relay?.close()
  await graph?.close()
  await sink?.close()
  relay = graph = sink = undefined
})

const messagesOf = async (conversationId: string): Promise<Message[]> =>
  (await relay?.app.parley.store.listMessages(conversationId)) ?? []
const notesOf = async (conversationId: string) => (await messagesOf(conversationId)).filter((m) => m.internal)

/** Lets the bot finish, then waits for every queued send (retries included). */
async function settle(): Promise<void> {
  await relay?.app.parley.service.close()
  await Promise.all([relay?.app.parley.whatsapp.drain(), relay?.app.parley.email.drain()])
}

describe('whatsapp reply retries', () => {
  const start = async (retryDelaysMs: readonly number[] = SHORT) => {
    graph = await startGraphApi()
    relay = await startRelay(
      {
        PARLEY_WHATSAPP_APP_SECRET: APP_SECRET,
        PARLEY_WHATSAPP_VERIFY_TOKEN: 'verify-me-please',
        PARLEY_WHATSAPP_ACCESS_TOKEN: ACCESS_TOKEN,
        PARLEY_GRAPH_API_URL: graph.url,
      },
      { retryDelaysMs },
    )
    return { relay, graph }
  }

  /** A signed webhook delivery of one text message; resolves with its conversation. */
  const customerWrites = async (id: string, body: string): Promise<Conversation> => {
    const response = await postWhatsApp(
      relay?.url ?? '',
      waDelivery(
        { messages: [waText(id, body, PHONE, `${Math.floor(Date.now() / 1000)}`)] },
        { waId: PHONE },
      ),
    )
    expect(response.status).toBe(200)
    const all = (await relay?.app.parley.store.listConversations({ siteIds: ['demo'] })) ?? []
    const conversation = all.find((c) => c.channel === 'whatsapp')
    if (!conversation) throw new Error('no whatsapp conversation')
    return conversation
  }

  it('retries a reply the Graph API answered 500 and delivers it once, with no internal note', async () => {
    const { graph } = await start()
    graph.failNext(1, 500)
    const conversation = await customerWrites('wamid.r1', 'What are your opening hours?')
    await eventually(async () => graph.requests.length === 2)
    await settle()
    const bot = (await messagesOf(conversation.id)).filter((m) => m.author === 'bot')
    expect(bot).toHaveLength(1)
    expect(graph.requests).toHaveLength(2)
    expect(graph.requests[1]?.body).toEqual(graph.requests[0]?.body)
    expect(graph.requests[1]?.body.text?.body).toContain(bot[0]?.text)
    expect(await notesOf(conversation.id)).toEqual([])
  })

  it('gives up at once on a 400 and leaves a note after exactly one request', async () => {
    const { graph } = await start()
    graph.failNext(1, 400)
    const conversation = await customerWrites('wamid.r2', 'What are your opening hours?')
    const [note] = await eventually(async () => {
      const notes = await notesOf(conversation.id)
      return notes.length ? notes : null
    })
    await settle()
    expect(graph.requests).toHaveLength(1)
    expect(note?.text).toContain('could not be sent after 1 attempt: the Graph API answered 400')
    expect(note?.text).not.toContain(ACCESS_TOKEN)
    expect(await notesOf(conversation.id)).toHaveLength(1)
  })

  it('leaves a note after every configured attempt failed with 500', async () => {
    const { graph } = await start()
    graph.failWith(500)
    const conversation = await customerWrites('wamid.r3', 'What are your opening hours?')
    const [note] = await eventually(async () => {
      const notes = await notesOf(conversation.id)
      return notes.length ? notes : null
    })
    await settle()
    expect(graph.requests).toHaveLength(SHORT.length + 1)
    expect(note?.text).toContain(
      `could not be sent after ${SHORT.length + 1} attempts: the Graph API answered 500`,
    )
    expect(note?.text).not.toContain(ACCESS_TOKEN)
  })

  it("holds a conversation's later replies back while one is retried, so they arrive in order", async () => {
    const { relay, graph } = await start()
    const conversation = await customerWrites('wamid.r4', 'I want to talk to a person')
    await eventually(async () => graph.requests.length === 1)
    const agent = await signedInAgent(relay, 'dana@tidewater.test', 'Dana')
    await call(agent, 'conversation:claim', { conversationId: conversation.id })
    graph.failNext(1, 503)
    for (const text of ['First line', 'Second line'])
      await call(agent, 'message:send', { conversationId: conversation.id, clientId: clientId(), text })
    await eventually(async () => graph.requests.length === 4)
    agent.close()
    await settle()
    expect(graph.requests.slice(1).map((r) => r.body.text?.body)).toEqual([
      'First line',
      'First line',
      'Second line',
    ])
    expect(await notesOf(conversation.id)).toEqual([])
  })

  it('on close, cuts a pending retry wait short: one last attempt, then the note', async () => {
    const { relay, graph } = await start([60_000])
    graph.failWith(500)
    const conversation = await customerWrites('wamid.r5', 'What are your opening hours?')
    await eventually(async () => graph.requests.length === 1)
    await relay.app.parley.service.close()
    // Would wait out the minute without the cut (and fail on the test timeout).
    await relay.app.parley.whatsapp.close()
    expect(graph.requests).toHaveLength(2)
    const notes = await notesOf(conversation.id)
    expect(notes.map((n) => n.text)).toEqual([
      expect.stringContaining('could not be sent after 2 attempts: the Graph API answered 500'),
    ])
  })
})

describe('email reply retries', () => {
  const start = async () => {
    sink = await startSmtpSink()
    relay = await startRelay(
      { PARLEY_SMTP_PORT: '0', PARLEY_SUPPORT_EMAIL: SUPPORT, PARLEY_SMTP_URL: sink.url },
      { retryDelaysMs: SHORT },
    )
    return { relay, sink, port: relay.app.parley.email.smtpPort() ?? 0 }
  }
  const emailConversation = async (): Promise<Conversation> => {
    const all = (await relay?.app.parley.store.listConversations({ siteIds: ['demo'] })) ?? []
    const conversation = all.find((c) => c.channel === 'email')
    if (!conversation) throw new Error('no email conversation')
    return conversation
  }

  it('retries a reply the SMTP server refused with 451 and delivers it, with no internal note', async () => {
    const { sink, port } = await start()
    sink.refuseNext(1, 451)
    await sendToRelay(port, {
      from: SHOPPER,
      to: SUPPORT,
      subject: 'Shipping',
      text: 'How long does shipping take?',
    })
    const [mail] = await sink.waitForCount(1)
    await settle()
    const conversation = await emailConversation()
    const bot = (await messagesOf(conversation.id)).filter((m) => m.author === 'bot')
    expect(sink.refused).toBe(1)
    expect(sink.mails).toHaveLength(1)
    expect(mail?.envelope.to).toEqual([SHOPPER])
    expect(mail?.parsed.text).toContain(bot[0]?.text)
    expect(await notesOf(conversation.id)).toEqual([])
  })

  it('gives up at once on a 550 and leaves a note after one attempt', async () => {
    const { sink, port } = await start()
    sink.refuseNext(1, 550)
    await sendToRelay(port, {
      from: SHOPPER,
      to: SUPPORT,
      subject: 'Shipping',
      text: 'How long does shipping take?',
    })
    const conversation = await emailConversation()
    const [note] = await eventually(async () => {
      const notes = await notesOf(conversation.id)
      return notes.length ? notes : null
    })
    await settle()
    expect(sink.refused).toBe(1)
    expect(sink.mails).toEqual([])
    expect(note?.text).toContain(`The email to ${SHOPPER} could not be sent after 1 attempt`)
    expect(note?.text).toContain('550')
  })
})
