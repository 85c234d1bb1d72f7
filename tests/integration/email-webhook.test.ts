/** `POST /webhooks/email`: raw MIME from an inbound-mail service, behind a shared secret. */
import { afterEach, describe, expect, it } from 'vitest'
import type { OutboxMail } from '../../shared/email.ts'
import { login, startRelay, type TestRelay } from '../support/relay.ts'
import { eventually } from '../support/smtp.ts'

const SUPPORT = 'support@tidewater.test'
const SECRET = 'a-long-shared-webhook-secret'

const mime = (id: string, text: string) =>
  [
    'From: Bea <bea@example.org>',
    `To: ${SUPPORT}`,
    'Subject: =?UTF-8?Q?Caf=C3=A9_order?=',
    `Message-ID: <${id}@example.org>`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    text,
    '',
  ].join('\r\n')

describe('email webhook', () => {
  let relay: TestRelay | undefined
  afterEach(() => relay?.close())

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${relay?.url}/webhooks/email`, {
      method: 'POST',
      headers: { 'content-type': 'message/rfc822', ...headers },
      body,
    })

  it('stores a raw MIME message posted with the right secret, once even when retried', async () => {
    relay = await startRelay({ PARLEY_SUPPORT_EMAIL: SUPPORT, PARLEY_EMAIL_WEBHOOK_SECRET: SECRET })
    const first = await post(mime('w1', 'Where is my café order?'), { 'x-parley-email-secret': SECRET })
    expect(first.status).toBe(202)
    const data = ((await first.json()) as { data: { conversationId: string } }).data
    const again = await post(mime('w1', 'Where is my café order?'), { 'x-parley-email-secret': SECRET })
    expect(again.status).toBe(200)
    const messages = await relay.app.parley.store.listMessages(data.conversationId)
    expect(messages.filter((m) => m.author === 'contact').map((m) => m.text)).toEqual([
      'Where is my café order?',
    ])
    expect((await relay.app.parley.email.records.thread(data.conversationId))?.subject).toBe('Café order')
  })

  it('refuses a post without the secret or with a wrong one, and stores nothing', async () => {
    relay = await startRelay({ PARLEY_SUPPORT_EMAIL: SUPPORT, PARLEY_EMAIL_WEBHOOK_SECRET: SECRET })
    expect((await post(mime('w2', 'no secret'))).status).toBe(401)
    expect((await post(mime('w3', 'bad secret'), { 'x-parley-email-secret': `${SECRET}x` })).status).toBe(401)
    expect(await relay.app.parley.store.listConversations({ siteIds: ['demo'] })).toEqual([])
  })

  it('refuses mail for an address that is not a support address', async () => {
    relay = await startRelay({ PARLEY_SUPPORT_EMAIL: SUPPORT, PARLEY_EMAIL_WEBHOOK_SECRET: SECRET })
    const body = mime('w4', 'hello').replace(`To: ${SUPPORT}`, 'To: other@elsewhere.test')
    expect((await post(body, { 'x-parley-email-secret': SECRET })).status).toBe(404)
  })

  it('without PARLEY_SMTP_URL, replies go to the outbox that admins can list', async () => {
    relay = await startRelay({
      PARLEY_SUPPORT_EMAIL: SUPPORT,
      PARLEY_EMAIL_WEBHOOK_SECRET: SECRET,
      PARLEY_ADMIN_EMAIL: 'admin@tidewater.test',
      PARLEY_ADMIN_PASSWORD: 'correct-horse-battery',
    })
    await relay.addAgent({ email: 'admin@tidewater.test', name: 'Admin', role: 'admin' })
    await relay.addAgent({ email: 'agent@tidewater.test', name: 'Agent' })
    await post(mime('w6', 'How long does shipping take?'), { 'x-parley-email-secret': SECRET })
    const admin = await login(relay.url, 'admin@tidewater.test', 'correct-horse-battery')
    const list = await eventually(async () => {
      const response = await fetch(`${relay?.url}/api/dev/outbox`, { headers: { cookie: admin } })
      const body = (await response.json()) as { data: { messages: OutboxMail[] } }
      return body.data.messages.length > 0 ? body.data.messages : null
    })
    expect(list[0]?.raw).toMatch(/^To: bea@example\.org/m)
    expect(list[0]?.raw).toMatch(/^Auto-Submitted: auto-replied/m)
    // Parsed for the console's outbox page: who, what, and the readable text.
    expect(list[0]).toMatchObject({ to: 'bea@example.org', subject: 'Re: Café order' })
    expect(list[0]?.text).toContain('an automated assistant')
    const agent = await login(relay.url, 'agent@tidewater.test', 'correct-horse-battery')
    expect((await fetch(`${relay.url}/api/dev/outbox`, { headers: { cookie: agent } })).status).toBe(403)
  })

  it('is off when no secret is configured', async () => {
    relay = await startRelay({ PARLEY_SUPPORT_EMAIL: SUPPORT })
    expect((await post(mime('w5', 'hello'), { 'x-parley-email-secret': SECRET })).status).toBe(404)
    expect(relay.app.parley.email.smtpPort()).toBeNull()
  })
})
