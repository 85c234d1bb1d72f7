/** Email threading over a real SMTP exchange: nodemailer → the relay's listener, the relay → a test SMTP server. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { replyAddress, replyToken } from '../../relay/channels/email/reply-token.ts'
import { call, clientId, signedInAgent, startRelay, type TestRelay } from '../support/relay.ts'
import { eventually, type SmtpSink, sendToRelay, startSmtpSink } from '../support/smtp.ts'

const SUPPORT = 'support@tidewater.test'
const SHOPPER = 'ann@example.org'

describe('email threading', () => {
  let relay: TestRelay
  let sink: SmtpSink
  let port: number

  beforeEach(async () => {
    sink = await startSmtpSink()
    relay = await startRelay({
      PARLEY_SMTP_PORT: '0',
      PARLEY_SUPPORT_EMAIL: SUPPORT,
      PARLEY_SMTP_URL: sink.url,
    })
    port = relay.app.parley.email.smtpPort() ?? 0
  })
  afterEach(async () => {
    await relay.close()
    await sink.close()
  })

  const conversationsOf = async (email: string) => {
    const { store } = relay.app.parley
    const all = await store.listConversations({ siteIds: ['demo'] })
    const mine = []
    for (const c of all) if ((await store.getContact(c.contactId))?.email === email) mine.push(c)
    return mine
  }

  it('a thread of three replies lands in one email conversation, each answered in the thread', async () => {
    expect(port).toBeGreaterThan(0)
    const first = await sendToRelay(port, {
      from: `Ann Example <${SHOPPER}>`,
      to: SUPPORT,
      subject: 'Shipping question',
      text: 'How long does shipping take?',
    })
    const [answer1] = await sink.waitForCount(1)
    if (!answer1) throw new Error('no answer')
    expect(answer1.envelope.to).toEqual([SHOPPER])
    expect(answer1.parsed.inReplyTo).toBe(first)
    expect(answer1.parsed.subject).toBe('Re: Shipping question')
    expect(answer1.parsed.headers.get('auto-submitted')).toBe('auto-replied')
    const replyTo = answer1.parsed.replyTo?.value[0]?.address ?? ''
    expect(replyTo).toMatch(/^support\+[a-z2-7]+-[a-z2-7]{16}@tidewater\.test$/)

    // Reply 2: threaded by In-Reply-To/References only, sent to the plain support address.
    const second = await sendToRelay(port, {
      from: SHOPPER,
      to: SUPPORT,
      subject: 'Re: Shipping question',
      text: `And do you ship to Canada?\n\nOn Mon, 2 Jun 2025 at 10:00, Tidewater <${SUPPORT}> wrote:\n> ${answer1.parsed.text?.split('\n')[0]}`,
      inReplyTo: answer1.parsed.messageId,
      references: [first, answer1.parsed.messageId ?? ''],
    })
    const [, answer2] = await sink.waitForCount(2)
    expect(answer2?.parsed.inReplyTo).toBe(second)
    expect(answer2?.parsed.references).toContain(first)

    // Reply 3: no thread headers at all, only the signed reply address.
    await sendToRelay(port, { from: SHOPPER, to: replyTo, subject: 'one more', text: 'Thanks, and returns?' })
    await sink.waitForCount(3)

    const conversations = await conversationsOf(SHOPPER)
    expect(conversations).toHaveLength(1)
    const [conversation] = conversations
    expect(conversation?.channel).toBe('email')
    const messages = await relay.app.parley.store.listMessages(conversation?.id ?? '')
    expect(messages.filter((m) => m.author === 'contact').map((m) => m.text)).toEqual([
      'How long does shipping take?',
      'And do you ship to Canada?',
      'Thanks, and returns?',
    ])
    expect(messages.filter((m) => m.author === 'bot')).toHaveLength(3)
  })

  it('a new email from the same address opens a new conversation with the same contact', async () => {
    await sendToRelay(port, {
      from: SHOPPER,
      to: SUPPORT,
      subject: 'First',
      text: 'How long does shipping take?',
    })
    await sink.waitForCount(1)
    await sendToRelay(port, {
      from: SHOPPER,
      to: SUPPORT,
      subject: 'Another thing',
      text: 'Do you sell gift cards?',
    })
    await sink.waitForCount(2)
    const conversations = await conversationsOf(SHOPPER)
    expect(conversations).toHaveLength(2)
    expect(new Set(conversations.map((c) => c.contactId)).size).toBe(1)
  })

  it('a forged or foreign reply token joins no conversation', async () => {
    await sendToRelay(port, {
      from: SHOPPER,
      to: SUPPORT,
      subject: 'Mine',
      text: 'How long does shipping take?',
    })
    const [answer] = await sink.waitForCount(1)
    const token = (answer?.parsed.replyTo?.value[0]?.address ?? '').split('+')[1]?.split('@')[0] ?? ''
    const [conversation] = await conversationsOf(SHOPPER)
    if (!conversation) throw new Error('no conversation')

    // Same conversation id, signature made with another secret; and the real token from another sender.
    const forged = replyAddress(SUPPORT, replyToken(Buffer.from('not the relay secret'), conversation.id))
    await sendToRelay(port, { from: SHOPPER, to: forged, subject: 'x', text: 'Forged token here' })
    await sendToRelay(port, {
      from: 'mallory@evil.test',
      to: replyAddress(SUPPORT, token),
      subject: 'x',
      text: 'Stolen token here',
    })
    await eventually(async () => (await conversationsOf('mallory@evil.test')).length === 1)
    await eventually(async () => (await conversationsOf(SHOPPER)).length === 2)
    const messages = await relay.app.parley.store.listMessages(conversation.id)
    expect(messages.filter((m) => m.author === 'contact').map((m) => m.text)).toEqual([
      'How long does shipping take?',
    ])
  })

  it('a request for a person by email is handed off and queued; the agent answers by email, in the thread', async () => {
    await sendToRelay(port, {
      from: SHOPPER,
      to: SUPPORT,
      subject: 'Help',
      text: 'I want to talk to a person',
    })
    const [notice] = await sink.waitForCount(1)
    expect(notice?.parsed.headers.get('auto-submitted')).toBe('auto-replied')
    const [conversation] = await eventually(async () => {
      const found = await conversationsOf(SHOPPER)
      return found[0]?.status === 'queued' ? found : null
    })
    if (!conversation) throw new Error('no conversation')
    const agent = await signedInAgent(relay, 'dana@tidewater.test', 'Dana')
    await call(agent, 'conversation:claim', { conversationId: conversation.id })
    await call(agent, 'message:send', {
      conversationId: conversation.id,
      clientId: clientId(),
      text: 'Dana here.',
    })
    const [, reply] = await sink.waitForCount(2)
    expect(reply?.parsed.text).toContain('Dana here.')
    expect(reply?.parsed.headers.get('auto-submitted')).toBeUndefined()
    expect(reply?.parsed.references).toContain(notice?.parsed.messageId)
    agent.close()
  })

  it('refuses mail for addresses that are not a support address', async () => {
    await expect(
      sendToRelay(port, { from: SHOPPER, to: 'someone@elsewhere.test', subject: 'x', text: 'hello' }),
    ).rejects.toThrow(/550|mailbox/)
  })
})
