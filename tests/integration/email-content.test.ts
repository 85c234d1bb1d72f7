/** What agents read of inbound email: decoded charsets, HTML as text, quotes and signatures stripped, originals kept. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { extractReply } from '../../relay/channels/email/reply-text.ts'
import type { Message } from '../../shared/protocol.ts'
import { startRelay, type TestRelay } from '../support/relay.ts'
import { eventually, type SmtpSink, sendToRelay, startSmtpSink } from '../support/smtp.ts'

const SUPPORT = 'support@tidewater.test'

/** "こんにちは" in ISO-2022-JP (JIS X 0208 between ESC $ B and ESC ( B). */
const KONNICHIWA_JIS = Buffer.from([
  0x1b, 0x24, 0x42, 0x24, 0x33, 0x24, 0x73, 0x24, 0x4b, 0x24, 0x41, 0x24, 0x4f, 0x1b, 0x28, 0x42,
])

describe('email content', () => {
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

  /** The first customer message of the only conversation of `from`, once stored. */
  async function firstMessageFrom(from: string): Promise<{ message: Message; conversationId: string }> {
    const { store } = relay.app.parley
    return eventually(async () => {
      for (const c of await store.listConversations({ siteIds: ['demo'] })) {
        if ((await store.getContact(c.contactId))?.email !== from) continue
        const message = (await store.listMessages(c.id)).find((m) => m.author === 'contact')
        if (message) return { message, conversationId: c.id }
      }
      return null
    })
  }

  it('turns an HTML-only mail into readable text', async () => {
    await sendToRelay(port, {
      from: 'html@example.org',
      to: SUPPORT,
      subject: 'HTML',
      html: '<html><body><p>Hello <b>team</b>,</p><p>my order&nbsp;#1042 is <a href="https://track.example/1042">late</a>.</p><img src="https://pixel.example/open.gif"><script>alert(1)</script></body></html>',
    })
    const { message, conversationId } = await firstMessageFrom('html@example.org')
    expect(message.text).toContain('Hello team,')
    expect(message.text).toContain('my order #1042 is late [https://track.example/1042].')
    expect(message.text).not.toMatch(/<[a-z]/)
    // A tracking pixel is not text: its address stays out of what the agent reads.
    expect(message.text).not.toContain('pixel.example')
    expect(message.text).not.toContain('alert(1)')
    const thread = await relay.app.parley.email.records.thread(conversationId)
    expect(thread?.messages[message.id]?.html).toContain('<b>team</b>')
  })

  it('decodes an ISO-2022-JP body and an encoded subject', async () => {
    const raw = Buffer.concat([
      Buffer.from(
        [
          'From: =?ISO-2022-JP?B?GyRCJUYlOSVIGyhC?= <jp@example.jp>',
          `To: ${SUPPORT}`,
          `Subject: =?ISO-2022-JP?B?${KONNICHIWA_JIS.toString('base64')}?=`,
          'Message-ID: <jis-1@example.jp>',
          'MIME-Version: 1.0',
          'Content-Type: text/plain; charset=ISO-2022-JP',
          'Content-Transfer-Encoding: 7bit',
          '',
          '',
        ].join('\r\n'),
      ),
      KONNICHIWA_JIS,
      Buffer.from('\r\n'),
    ])
    await sendToRelay(port, { raw, envelope: { from: 'jp@example.jp', to: [SUPPORT] } } as never)
    const { message, conversationId } = await firstMessageFrom('jp@example.jp')
    expect(message.text).toBe('こんにちは')
    const thread = await relay.app.parley.email.records.thread(conversationId)
    expect(thread?.subject).toBe('こんにちは')
    const contact = await relay.app.parley.store.getContact(
      (await relay.app.parley.store.getConversation(conversationId))?.contactId ?? '',
    )
    expect(contact?.name).toBe('テスト')
  })

  it('strips quoted history and the signature, and keeps the full original with attachments', async () => {
    const body = [
      'The grinder arrived broken.',
      '',
      '-- ',
      'Ann Example',
      'Head of Coffee, Example Org',
      '',
      'On Mon, 2 Jun 2025 at 10:00, Tidewater <support@tidewater.test> wrote:',
      '> How can we help?',
    ].join('\n')
    await sendToRelay(port, {
      from: 'quote@example.org',
      to: SUPPORT,
      subject: 'Broken grinder',
      text: body,
      attachments: [
        { filename: 'photo.png', content: Buffer.from('not really a png'), contentType: 'image/png' },
      ],
    })
    const { message, conversationId } = await firstMessageFrom('quote@example.org')
    expect(message.text).toBe('The grinder arrived broken.\n\n[attachments: photo.png]')
    const thread = await relay.app.parley.email.records.thread(conversationId)
    const original = thread?.messages[message.id]
    expect(original?.fullText).toContain('> How can we help?')
    expect(original?.fullText).toContain('Head of Coffee')
    expect(original?.attachments).toEqual([
      expect.objectContaining({ filename: 'photo.png', contentType: 'image/png', size: 16, stored: true }),
    ])
  })
})

describe('reply extraction rules', () => {
  it('cuts Outlook header blocks, two-line attributions and mobile footers', () => {
    expect(
      extractReply(
        'Yes please.\n\n________________________________\nFrom: Shop <s@x.com>\nSent: Monday\nTo: me\nSubject: Re',
      ),
    ).toBe('Yes please.')
    expect(extractReply('Sure.\n\nOn Mon, 2 Jun 2025 at 10:00, Tidewater <s@x.com>\nwrote:\n> old')).toBe(
      'Sure.',
    )
    expect(extractReply('Thanks!\n\nSent from my iPhone')).toBe('Thanks!')
    expect(extractReply('Le lun. 2 juin 2025, Tidewater a écrit :\n> old')).toBe('')
    expect(extractReply('> inline question\nmy answer\n\n> trailing quote\n>')).toBe(
      '> inline question\nmy answer',
    )
  })
})
