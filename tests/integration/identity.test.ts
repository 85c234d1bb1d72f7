import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { identityHash } from '../../relay/auth/identity.ts'
import type { Message, WidgetConversation } from '../../shared/protocol.ts'
import { call, clientId, connectWidget, startRelay, type TestRelay } from '../support/relay.ts'

const SECRET = 'store-identity-secret'
let relay: TestRelay
beforeEach(async () => {
  relay = await startRelay({ PARLEY_IDENTITY_SECRET: SECRET })
})
afterEach(async () => {
  await relay.close()
})

const maya = (hash = identityHash(SECRET, 'maya@example.com')) => ({
  email: 'Maya@Example.com',
  name: 'Maya Chen',
  userHash: hash,
})

describe('widget identity verification', () => {
  it('a correct userHash links the chat to one verified contact, the same on every device', async () => {
    const laptop = await connectWidget(relay.url, { identity: maya() })
    expect(laptop.ready.verified).toBe(true)
    const sent = await call<{ conversation: WidgetConversation; message: Message }>(
      laptop.socket,
      'message:send',
      {
        clientId: clientId(),
        text: 'I want to talk to a person about my order',
      },
    )
    const contact = await relay.app.parley.store.getContact(laptop.contactId)
    expect(contact).toMatchObject({ email: 'maya@example.com', emailVerified: true, name: 'Maya Chen' })

    // Another device, no token: the same contact, the same conversation.
    const phone = await connectWidget(relay.url, { identity: maya() })
    expect(phone.contactId).toBe(laptop.contactId)
    const resumed = await call<{ conversation: WidgetConversation | null }>(
      phone.socket,
      'conversation:resume',
      {
        afterSeq: 0,
      },
    )
    expect(resumed.conversation?.id).toBe(sent.conversation.id)
    laptop.socket.close()
    phone.socket.close()
  })

  it('a wrong userHash leaves the chat anonymous and reveals nothing of that email', async () => {
    const real = await connectWidget(relay.url, { identity: maya() })
    await call(real.socket, 'message:send', { clientId: clientId(), text: 'my address is 12 Secret Lane' })
    const forged = await connectWidget(relay.url, { identity: maya('0'.repeat(64)) })
    expect(forged.ready.verified).toBe(false)
    expect(forged.contactId).not.toBe(real.contactId)
    const resumed = await call<{ conversation: unknown }>(forged.socket, 'conversation:resume', {
      afterSeq: 0,
    })
    expect(resumed.conversation).toBeNull()
    real.socket.close()
    forged.socket.close()
  })

  it("a verified shopper's token without the identity (signed out of the store) is not honoured", async () => {
    const signedIn = await connectWidget(relay.url, { identity: maya() })
    const after = await connectWidget(relay.url, { token: signedIn.token })
    expect(after.contactId).not.toBe(signedIn.contactId)
    expect(after.ready.verified).toBe(false)
    signedIn.socket.close()
    after.socket.close()
  })

  it('a site that requires identity refuses anonymous widgets; a site without a secret ignores identities', async () => {
    const site = await relay.app.parley.store.getSite('demo')
    if (!site) throw new Error('no demo site')
    await relay.app.parley.store.putSite({ ...site, requireIdentity: true })
    await expect(connectWidget(relay.url)).rejects.toThrow('identity_required')
    const verified = await connectWidget(relay.url, { identity: maya() })
    expect(verified.ready.verified).toBe(true)
    verified.socket.close()

    const { identitySecret: _removed, ...open } = site
    await relay.app.parley.store.putSite(open)
    const ignored = await connectWidget(relay.url, { identity: maya() })
    expect(ignored.ready.verified).toBe(false)
    ignored.socket.close()
  })
})

describe('one customer across channels', () => {
  it('an email from the address a widget chat verified lands on the same contact', async () => {
    await relay.close()
    relay = await startRelay({
      PARLEY_IDENTITY_SECRET: SECRET,
      PARLEY_SUPPORT_EMAIL: 'support@tidewater.test',
      PARLEY_EMAIL_WEBHOOK_SECRET: 'webhook-secret-for-tests',
    })
    const chat = await connectWidget(relay.url, { identity: maya() })
    const web = await call<{ conversation: WidgetConversation }>(chat.socket, 'message:send', {
      clientId: clientId(),
      text: 'Hello from the chat',
    })
    const mime = [
      'From: Maya Chen <maya@example.com>',
      'To: support@tidewater.test',
      'Subject: About my order',
      'Message-ID: <one-customer@example.com>',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Hello from my mailbox',
      '',
    ].join('\r\n')
    const posted = await fetch(`${relay.url}/webhooks/email`, {
      method: 'POST',
      headers: { 'content-type': 'message/rfc822', 'x-parley-email-secret': 'webhook-secret-for-tests' },
      body: mime,
    })
    expect(posted.status).toBe(202)
    const { conversationId } = ((await posted.json()) as { data: { conversationId: string } }).data
    const email = await relay.app.parley.store.getConversation(conversationId)
    expect(email).toMatchObject({ channel: 'email', contactId: chat.contactId })
    const mine = await relay.app.parley.store.listConversations({
      siteIds: ['demo'],
      contactId: chat.contactId,
    })
    expect(mine.map((c) => c.id).sort()).toEqual([web.conversation.id, conversationId].sort())
    chat.socket.close()
  })
})
