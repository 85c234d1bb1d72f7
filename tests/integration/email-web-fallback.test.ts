/** A web chat whose shopper left an email and went away gets the agent's reply by email; their reply continues the chat. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Message, WidgetConversation } from '../../shared/protocol.ts'
import {
  call,
  clientId,
  connectWidget,
  queuedConversation,
  signedInAgent,
  startRelay,
  type TestRelay,
} from '../support/relay.ts'
import { eventually, type SmtpSink, sendToRelay, startSmtpSink } from '../support/smtp.ts'

const SUPPORT = 'support@tidewater.test'

describe('email fallback for web chats', () => {
  let relay: TestRelay
  let sink: SmtpSink

  beforeEach(async () => {
    sink = await startSmtpSink()
    relay = await startRelay({
      PARLEY_SMTP_PORT: '0',
      PARLEY_SUPPORT_EMAIL: SUPPORT,
      PARLEY_SMTP_URL: sink.url,
    })
  })
  afterEach(async () => {
    await relay.close()
    await sink.close()
  })

  it('emails the reply only once the widget is gone, and the emailed answer threads back into the web chat', async () => {
    const shopper = await queuedConversation(relay.url)
    await call(shopper.socket, 'contact:email', { email: 'cy@example.org' })
    const agent = await signedInAgent(relay, 'dana@tidewater.test', 'Dana')
    await call(agent, 'conversation:claim', { conversationId: shopper.conversationId })

    await call(agent, 'message:send', {
      conversationId: shopper.conversationId,
      clientId: clientId(),
      text: 'Hi, Dana here.',
    })
    await relay.app.parley.email.drain()
    expect(sink.mails).toHaveLength(0)

    shopper.socket.close()
    await eventually(async () => {
      const sockets = await relay.app.parley.io.of('/widget').fetchSockets()
      return sockets.length === 0
    })
    await call(agent, 'message:send', {
      conversationId: shopper.conversationId,
      clientId: clientId(),
      text: 'Your refund is on its way.',
    })
    const [mail] = await sink.waitForCount(1)
    expect(mail?.envelope.to).toEqual(['cy@example.org'])
    expect(mail?.parsed.text).toContain('Your refund is on its way.')
    expect(mail?.parsed.headers.get('auto-submitted')).toBeUndefined()
    expect(mail?.parsed.from?.value[0]?.name).toBe('Dana (Tidewater Coffee Co.)')

    await sendToRelay(relay.app.parley.email.smtpPort() ?? 0, {
      from: 'cy@example.org',
      to: mail?.parsed.replyTo?.value[0]?.address ?? '',
      subject: mail?.parsed.subject ?? '',
      text: 'Great, thank you!\n\nOn Tue, Dana wrote:\n> Your refund is on its way.',
      inReplyTo: mail?.parsed.messageId ?? '',
    })
    const messages = await eventually(async () => {
      const all = await relay.app.parley.store.listMessages(shopper.conversationId)
      return all.some((m) => m.text === 'Great, thank you!') ? all : null
    })
    expect(messages.filter((m) => m.author === 'contact').at(-1)?.text).toBe('Great, thank you!')
    const conversation = await relay.app.parley.store.getConversation(shopper.conversationId)
    expect(conversation?.channel).toBe('web')
    expect(conversation?.status).toBe('assigned')

    // A new mail (not a reply) from the address typed into the widget is not that browser's: the
    // address was never proven, so it starts another customer, and the chat never shows it.
    await sendToRelay(relay.app.parley.email.smtpPort() ?? 0, {
      from: 'cy@example.org',
      to: SUPPORT,
      subject: 'Private: my home address',
      text: 'Please send it to 12 Harbour Road.',
    })
    const emailConversation = await eventually(async () => {
      const all = await relay.app.parley.store.listConversations({ siteIds: ['demo'] })
      return all.find((c) => c.channel === 'email') ?? null
    })
    expect(emailConversation.contactId).not.toBe(shopper.contactId)
    const back = await connectWidget(relay.url, { token: shopper.token })
    const resumed = await call<{ conversation: WidgetConversation | null; messages: Message[] }>(
      back.socket,
      'conversation:resume',
      { afterSeq: 0 },
    )
    expect(resumed.conversation?.id).toBe(shopper.conversationId)
    expect(resumed.messages.map((m) => m.text)).not.toContain('Please send it to 12 Harbour Road.')
    back.socket.close()
    agent.close()
  })
})
