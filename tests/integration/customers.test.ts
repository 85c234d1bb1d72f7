/**
 * One customer across channels: the customer's timeline (web chat and email on one contact), the
 * contact search, merging two contacts by hand and undoing it — over real sockets, scoped to the
 * agent's sites, without widening what a shopper's own widget can see.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { identityHash } from '../../relay/auth/identity.ts'
import type { ContactMatch, CustomerProfile } from '../../shared/customers.ts'
import type { ConversationSummary, WidgetConversation } from '../../shared/protocol.ts'
import {
  type ConsoleClient,
  call,
  clientId,
  connectWidget,
  queuedConversation,
  request,
  signedInAgent,
  startRelay,
  type TestRelay,
  waitFor,
} from '../support/relay.ts'

const SUPPORT = 'support@tidewater.test'
const SECRET = 'a-long-shared-webhook-secret'
const IDENTITY_SECRET = 'store-identity-secret'

const mime = (id: string, from: string, text: string) =>
  [
    `From: Maya Chen <${from}>`,
    `To: ${SUPPORT}`,
    'Subject: My order',
    `Message-ID: <${id}@example.org>`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    text,
    '',
  ].join('\r\n')

let relay: TestRelay
let agent: ConsoleClient
beforeEach(async () => {
  relay = await startRelay({
    PARLEY_SUPPORT_EMAIL: SUPPORT,
    PARLEY_EMAIL_WEBHOOK_SECRET: SECRET,
    PARLEY_IDENTITY_SECRET: IDENTITY_SECRET,
  })
  agent = await signedInAgent(relay, 'ana@example.com', 'Ana')
})
afterEach(async () => {
  agent.close()
  await relay.close()
})

async function emailFrom(from: string, text: string, id = `m${Math.random()}`): Promise<string> {
  const response = await fetch(`${relay.url}/webhooks/email`, {
    method: 'POST',
    headers: { 'content-type': 'message/rfc822', 'x-parley-email-secret': SECRET },
    body: mime(id.replace(/[^a-z0-9]/gi, ''), from, text),
  })
  expect(response.status).toBe(202)
  return ((await response.json()) as { data: { conversationId: string } }).data.conversationId
}

async function contactOf(conversationId: string): Promise<string> {
  const conversation = await relay.app.parley.store.getConversation(conversationId)
  if (!conversation) throw new Error('no conversation')
  return conversation.contactId
}

const profile = async (contactId: string) =>
  (await call<{ customer: CustomerProfile }>(agent, 'customer:get', { contactId })).customer

describe('customers', () => {
  it('shows a customer with every conversation, newest first, each with its channel', async () => {
    const first = await emailFrom('maya@example.com', 'Where is my order?')
    const second = await emailFrom('maya@example.com', 'And can I change the address?')
    const contactId = await contactOf(first)
    expect(await contactOf(second)).toBe(contactId)

    const customer = await profile(contactId)
    expect(customer).toMatchObject({ id: contactId, name: 'Maya Chen', email: 'maya@example.com' })
    expect(customer.conversations.map((c) => [c.id, c.channel])).toEqual([
      [second, 'email'],
      [first, 'email'],
    ])
    expect(customer.identities.map((i) => i.contactId)).toEqual([contactId])
  })

  it('merges an anonymous chat into an email customer: one timeline, pushed to every console, and undone', async () => {
    const chat = await queuedConversation(relay.url, 'I want to talk to a person about my order')
    const emailConversation = await emailFrom('maya@example.com', 'Where is my order?')
    const customerId = await contactOf(emailConversation)
    const colleague = await signedInAgent(relay, 'ben@example.com', 'Ben')

    // "Merge with…": the search finds the anonymous chat by nothing but its contact's name or email…
    const anonymous = await relay.app.parley.store.getContact(chat.contactId)
    if (!anonymous) throw new Error('no contact')
    await relay.app.parley.store.putContact({ ...anonymous, name: 'Maya C.' })
    const found = await call<{ contacts: ContactMatch[] }>(agent, 'customer:search', {
      query: 'maya',
      excludeId: customerId,
    })
    expect(found.contacts.map((c) => [c.id, c.conversations])).toEqual([[chat.contactId, 1]])

    const pushed = waitFor<ConversationSummary>(
      colleague,
      'conversation:upserted',
      (c) => c.id === chat.conversationId && c.contact.id === customerId,
    )
    const merged = await call<{ customer: CustomerProfile }>(agent, 'customer:merge', {
      sourceId: chat.contactId,
      targetId: customerId,
    })
    expect(merged.customer.id).toBe(customerId)
    expect(merged.customer.conversations.map((c) => [c.id, c.channel]).sort()).toEqual(
      [
        [chat.conversationId, 'web'],
        [emailConversation, 'email'],
      ].sort(),
    )
    expect(merged.customer.identities.map((i) => [i.contactId, i.mergedBy])).toEqual([
      [customerId, null],
      [chat.contactId, 'Ana'],
    ])
    // Every console now shows the chat under the customer's name.
    expect((await pushed).contact).toEqual({ id: customerId, name: 'Maya Chen', email: 'maya@example.com' })
    // Opening the merged contact opens the customer; searching no longer offers it.
    expect((await profile(chat.contactId)).id).toBe(customerId)
    const again = await call<{ contacts: ContactMatch[] }>(agent, 'customer:search', {
      query: 'maya',
      excludeId: customerId,
    })
    expect(again.contacts).toEqual([])

    // The shopper's own widget sees its own chat and nothing of the email customer's.
    const back = await connectWidget(relay.url, { token: chat.token })
    expect(back.contactId).toBe(chat.contactId)
    const resumed = await call<{ conversation: WidgetConversation | null }>(
      back.socket,
      'conversation:resume',
      {
        afterSeq: 0,
      },
    )
    expect(resumed.conversation?.id).toBe(chat.conversationId)
    const sent = await call<{ conversation: WidgetConversation }>(back.socket, 'message:send', {
      clientId: clientId(),
      text: 'still there?',
    })
    expect(sent.conversation.id).toBe(chat.conversationId)

    // Undo: the chat is its own customer again.
    const undone = await call<{ customer: CustomerProfile }>(agent, 'customer:unmerge', {
      contactId: chat.contactId,
    })
    expect(undone.customer.conversations.map((c) => c.id)).toEqual([emailConversation])
    expect((await profile(chat.contactId)).conversations.map((c) => c.id)).toEqual([chat.conversationId])

    back.socket.close()
    chat.socket.close()
    colleague.close()
  })

  it('a verified shopper’s email conversation is on their customer, but their widget stays on the web chat', async () => {
    const identity = {
      email: 'maya@example.com',
      name: 'Maya Chen',
      userHash: identityHash(IDENTITY_SECRET, 'maya@example.com'),
    }
    const widget = await connectWidget(relay.url, { identity })
    const chat = await call<{ conversation: WidgetConversation }>(widget.socket, 'message:send', {
      clientId: clientId(),
      text: 'Hello from the shop',
    })
    const emailConversation = await emailFrom('maya@example.com', 'And hello by email')
    expect(await contactOf(emailConversation)).toBe(widget.contactId)
    expect((await profile(widget.contactId)).conversations.map((c) => c.channel).sort()).toEqual([
      'email',
      'web',
    ])

    const again = await connectWidget(relay.url, { identity })
    const resumed = await call<{ conversation: WidgetConversation | null }>(
      again.socket,
      'conversation:resume',
      {
        afterSeq: 0,
      },
    )
    expect(resumed.conversation?.id).toBe(chat.conversation.id)
    expect(
      await request(again.socket, 'conversation:resume', { afterSeq: 0, conversationId: emailConversation }),
    ).toMatchObject({ ok: false, error: { code: 'not_found' } })
    widget.socket.close()
    again.socket.close()
  })

  it('keeps chains flat: merging a customer moves the contacts merged into it along', async () => {
    const a = await contactOf(await emailFrom('a@example.com', 'one'))
    const b = await contactOf(await emailFrom('b@example.com', 'two'))
    const c = await contactOf(await emailFrom('c@example.com', 'three'))
    await call(agent, 'customer:merge', { sourceId: a, targetId: b })
    const merged = await call<{ customer: CustomerProfile }>(agent, 'customer:merge', {
      sourceId: b,
      targetId: c,
    })
    expect(merged.customer.identities.map((i) => i.contactId).sort()).toEqual([a, b, c].sort())
    expect(merged.customer.conversations).toHaveLength(3)
    expect((await relay.app.parley.store.getContact(a))?.mergedInto).toBe(c)
    // Merging a contact into its own customer is refused, and nothing changes.
    const refused = await request(agent, 'customer:merge', { sourceId: a, targetId: c })
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_payload' } })
  })

  it('keeps the better-known contact primary whichever way round the agent merges', async () => {
    const chat = await queuedConversation(relay.url)
    const emailCustomer = await contactOf(await emailFrom('maya@example.com', 'Where is my order?'))
    const merged = await call<{ customer: CustomerProfile }>(agent, 'customer:merge', {
      sourceId: emailCustomer,
      targetId: chat.contactId,
    })
    expect(merged.customer).toMatchObject({ id: emailCustomer, email: 'maya@example.com' })
    expect((await relay.app.parley.store.getContact(chat.contactId))?.mergedInto).toBe(emailCustomer)
    chat.socket.close()
  })

  it('two crossing merges at once make one customer, never a loop', async () => {
    const a = await contactOf(await emailFrom('a@example.com', 'one'))
    const b = await contactOf(await emailFrom('b@example.com', 'two'))
    const colleague = await signedInAgent(relay, 'ben@example.com', 'Ben')
    const [first, second] = await Promise.all([
      request<{ customer: CustomerProfile }>(agent, 'customer:merge', { sourceId: a, targetId: b }),
      request<{ customer: CustomerProfile }>(colleague, 'customer:merge', { sourceId: b, targetId: a }),
    ])
    expect([first.ok, second.ok].filter(Boolean)).toHaveLength(1)
    const [ca, cb] = await Promise.all([
      relay.app.parley.store.getContact(a),
      relay.app.parley.store.getContact(b),
    ])
    expect([ca?.mergedInto ?? null, cb?.mergedInto ?? null].filter(Boolean)).toHaveLength(1)
    expect((await profile(a)).id).toBe((await profile(b)).id)
    colleague.close()
  })

  it('scopes every customer event to the agent’s sites', async () => {
    const contactId = await contactOf(await emailFrom('maya@example.com', 'hello'))
    const site = await relay.app.parley.store.getSite('demo')
    if (!site) throw new Error('no demo site')
    await relay.app.parley.store.putSite({ ...site, id: 'other', name: 'Other shop' })
    await relay.app.parley.store.putContact({
      id: 'ctc_other',
      siteId: 'other',
      name: 'Maya Elsewhere',
      email: 'maya@example.com',
      createdAt: new Date().toISOString(),
    })
    const outsider = await signedInAgent(relay, 'olga@example.com', 'Olga', ['other'])

    expect(await request(outsider, 'customer:get', { contactId })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    })
    const found = await call<{ contacts: ContactMatch[] }>(outsider, 'customer:search', { query: 'maya' })
    expect(found.contacts.map((c) => c.id)).toEqual(['ctc_other'])
    // Two sites' contacts are never one customer, whoever asks.
    const both = await signedInAgent(relay, 'root@example.com', 'Root', ['demo', 'other'])
    expect(
      await request(both, 'customer:merge', { sourceId: 'ctc_other', targetId: contactId }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload' },
    })
    both.close()
    expect(
      await request(outsider, 'customer:merge', { sourceId: 'ctc_other', targetId: contactId }),
    ).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    })
    expect(await request(agent, 'customer:search', { query: 'm' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload' },
    })
    expect((await relay.app.parley.store.getContact(contactId))?.mergedInto).toBeUndefined()
    outsider.close()
  })
})
