/** Auto-replies and bounces are stored for agents but never answered, so two systems can't loop. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startRelay, type TestRelay } from '../support/relay.ts'
import { eventually, type SmtpSink, sendToRelay, startSmtpSink } from '../support/smtp.ts'

const SUPPORT = 'support@tidewater.test'

describe('email loops', () => {
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

  /** Starts a thread and returns the bot's first answer (so the next mail is a reply into it). */
  async function thread(from: string) {
    await sendToRelay(port, { from, to: SUPPORT, subject: 'Shipping', text: 'How long does shipping take?' })
    const [answer] = await sink.waitForCount(1)
    if (!answer?.parsed.messageId) throw new Error('no answer')
    return answer.parsed.messageId
  }

  async function contactMessages(from: string) {
    const { store } = relay.app.parley
    const texts: string[] = []
    for (const c of await store.listConversations({ siteIds: ['demo'] })) {
      if ((await store.getContact(c.contactId))?.email !== from) continue
      for (const m of await store.listMessages(c.id)) if (m.author === 'contact') texts.push(m.text)
    }
    return texts
  }

  /** Time for a bot answer to have gone out, had there been one. */
  const settle = () => new Promise((r) => setTimeout(r, 400))

  it('an out-of-office reply (Auto-Submitted: auto-replied) is stored in the thread and gets no answer', async () => {
    const answered = await thread('ooo@example.org')
    await sendToRelay(port, {
      from: 'ooo@example.org',
      to: SUPPORT,
      subject: 'Out of office: Re: Shipping',
      text: 'I am away until Monday.',
      inReplyTo: answered,
      references: [answered],
      headers: { 'Auto-Submitted': 'auto-replied' },
    })
    await eventually(async () => (await contactMessages('ooo@example.org')).length === 2)
    await relay.app.parley.email.drain()
    await settle()
    expect(sink.mails).toHaveLength(1)
    expect(await contactMessages('ooo@example.org')).toEqual([
      'How long does shipping take?',
      'I am away until Monday.',
    ])
  })

  it('Precedence: bulk and X-Autoreply mail gets no answer either', async () => {
    await sendToRelay(port, {
      from: 'list@example.org',
      to: SUPPORT,
      subject: 'Newsletter',
      text: 'How long does shipping take?',
      headers: { Precedence: 'bulk' },
    })
    await sendToRelay(port, {
      from: 'robot@example.org',
      to: SUPPORT,
      subject: 'Auto',
      text: 'How long does shipping take?',
      headers: { 'X-Autoreply': 'yes' },
    })
    await eventually(async () => (await contactMessages('robot@example.org')).length === 1)
    await settle()
    expect(sink.mails).toHaveLength(0)
  })

  it('a delivery-status report from the mailer daemon (null sender) gets no answer', async () => {
    const answered = await thread('gone@example.org')
    const report = [
      'From: Mail Delivery System <MAILER-DAEMON@mx.example.org>',
      `To: ${SUPPORT}`,
      'Subject: Undelivered Mail Returned to Sender',
      'Message-ID: <bounce-1@mx.example.org>',
      `In-Reply-To: <${answered}>`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain',
      '',
      'Delivery to gone@example.org failed permanently.',
      '--b1',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.example.org',
      '',
      'Final-Recipient: rfc822; gone@example.org',
      'Action: failed',
      'Status: 5.1.1',
      '--b1--',
      '',
    ].join('\r\n')
    await sendToRelay(port, { raw: report, envelope: { from: '', to: [SUPPORT] } } as never)
    const stored = await eventually(async () => {
      const { store } = relay.app.parley
      for (const c of await store.listConversations({ siteIds: ['demo'] })) {
        const m = (await store.listMessages(c.id)).find((x) => x.text.includes('failed permanently'))
        if (m) return { conversationId: c.id, message: m }
      }
      return null
    })
    const thread_ = await relay.app.parley.email.records.thread(stored.conversationId)
    expect(thread_?.messages[stored.message.id]?.automatic).toBe('report: delivery-status')
    await settle()
    expect(sink.mails).toHaveLength(1)
  })
})
