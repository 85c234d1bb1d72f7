import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Message, WidgetConversation } from '../../shared/protocol.ts'
import {
  call,
  clientId,
  connectConsole,
  connectWidget,
  login,
  record,
  request,
  startRelay,
  type TestRelay,
} from '../support/relay.ts'

let relay: TestRelay
beforeEach(async () => {
  relay = await startRelay()
})
afterEach(async () => {
  await relay.close()
})

async function startConversation(text = 'hello there, I need a person') {
  const shopper = await connectWidget(relay.url)
  const sent = await call<{ conversation: WidgetConversation; message: Message }>(
    shopper.socket,
    'message:send',
    {
      clientId: clientId(),
      text,
    },
  )
  return { ...shopper, conversationId: sent.conversation.id }
}

describe('scope: a token reaches only its own conversations on its own site', () => {
  it("a shopper naming another shopper's conversation id is refused and learns nothing", async () => {
    const alice = await startConversation('my address is 12 Secret Lane')
    const mallory = await connectWidget(relay.url)
    const overheard = record<Message>(mallory.socket, 'message:new')
    const resume = await request(mallory.socket, 'conversation:resume', {
      conversationId: alice.conversationId,
      afterSeq: 0,
    })
    expect(resume).toMatchObject({ ok: false, error: { code: 'not_found' } })
    const send = await request(mallory.socket, 'message:send', {
      clientId: clientId(),
      conversationId: alice.conversationId,
      text: 'injected',
    })
    expect(send).toMatchObject({ ok: false, error: { code: 'not_found' } })
    const stored = await relay.app.parley.store.listMessages(alice.conversationId)
    expect(stored.some((m) => m.text === 'injected')).toBe(false)
    // Alice keeps talking; Mallory hears none of it.
    await call(alice.socket, 'message:send', {
      clientId: clientId(),
      conversationId: alice.conversationId,
      text: 'more',
    })
    await new Promise((r) => setTimeout(r, 300))
    expect(overheard).toEqual([])
    alice.socket.close()
    mallory.socket.close()
  })

  it('a forged or foreign-site token gets a fresh anonymous identity, not the victim', async () => {
    const alice = await startConversation()
    const [version, payload] = alice.token.split('.')
    const forged = await connectWidget(relay.url, { token: `${version}.${payload}.AAAA` })
    expect(forged.contactId).not.toBe(alice.contactId)
    const latest = await call<{ conversation: unknown }>(forged.socket, 'conversation:resume', {
      afterSeq: 0,
    })
    expect(latest.conversation).toBeNull()
    alice.socket.close()
    forged.socket.close()
  })

  it('refuses unknown sites, wrong protocol versions and origins the site does not allow', async () => {
    await expect(connectWidget(relay.url, { site: 'nope' })).rejects.toThrow('unknown_site')
    await expect(connectWidget(relay.url, {}, { origin: 'https://evil.example' })).rejects.toThrow(
      'origin_not_allowed',
    )
    const own = await connectWidget(relay.url, {}, { origin: relay.url })
    own.socket.close()
  })

  it('a site can allow other origins to embed its widget', async () => {
    await relay.close()
    relay = await startRelay({ PARLEY_DEMO_ORIGINS: 'https://shop.example' })
    const allowed = await connectWidget(relay.url, {}, { origin: 'https://shop.example' })
    expect(allowed.token).toMatch(/^v1\./)
    allowed.socket.close()
  })

  it('invalid payloads get invalid_payload and store nothing', async () => {
    const shopper = await connectWidget(relay.url)
    for (const payload of [
      { clientId: 'short', text: 'hi' },
      { clientId: clientId(), text: '   ' },
      { clientId: clientId(), text: 'x'.repeat(4001) },
      { clientId: clientId(), text: 42 },
      null,
    ]) {
      expect(await request(shopper.socket, 'message:send', payload)).toMatchObject({
        ok: false,
        error: { code: 'invalid_payload' },
      })
    }
    expect(await relay.app.parley.store.listConversations({ siteIds: ['demo'] })).toEqual([])
    shopper.socket.close()
  })

  it('a flood of messages from one shopper is cut off with rate_limited, and what was acked is stored', async () => {
    const shopper = await connectWidget(relay.url)
    const acks = []
    for (let i = 0; i < 40; i++) {
      acks.push(
        await request<{ conversation: { id: string } }>(shopper.socket, 'message:send', {
          clientId: clientId(),
          text: `spam ${i}`,
        }),
      )
    }
    const accepted = acks.filter((a) => a.ok)
    expect(accepted).toHaveLength(30)
    expect(acks.at(-1)).toMatchObject({ ok: false, error: { code: 'rate_limited' } })
    const first = accepted[0]
    if (!first?.ok) throw new Error('no accepted message')
    const stored = await relay.app.parley.store.listMessages(first.data.conversation.id)
    expect(stored.filter((m) => m.author === 'contact')).toHaveLength(30)
    shopper.socket.close()
  })

  it('the console refuses sockets without a session, from another origin, and conversations of other sites', async () => {
    await expect(connectConsole(relay.url, 'parley_session=forged')).rejects.toThrow('unauthorized')
    await relay.addAgent({ email: 'other@example.com', name: 'Other', siteIds: ['another-site'] })
    const cookie = await login(relay.url, 'other@example.com', 'correct-horse-battery')
    await expect(connectConsole(relay.url, cookie, { origin: 'https://evil.example' })).rejects.toThrow(
      'origin_not_allowed',
    )
    const outsider = await connectConsole(relay.url, cookie)
    const shopper = await startConversation()
    expect(
      await request(outsider, 'conversation:open', { conversationId: shopper.conversationId }),
    ).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    })
    expect(
      await request(outsider, 'conversation:claim', { conversationId: shopper.conversationId }),
    ).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    })
    const inbox = await call<{ conversations: unknown[] }>(outsider, 'inbox:list', { filter: 'all' })
    expect(inbox.conversations).toEqual([])
    shopper.socket.close()
    outsider.close()
  })

  it('signing out ends the session and its open console sockets', async () => {
    await relay.addAgent({ email: 'sam@example.com', name: 'Sam' })
    const cookie = await login(relay.url, 'sam@example.com', 'correct-horse-battery')
    const agent = await connectConsole(relay.url, cookie)
    const disconnected = new Promise((resolve) => agent.once('disconnect', resolve))
    const out = await fetch(`${relay.url}/api/auth/logout`, { method: 'POST', headers: { cookie } })
    expect(out.status).toBe(200)
    await disconnected
    await expect(connectConsole(relay.url, cookie)).rejects.toThrow('unauthorized')
  })
})
