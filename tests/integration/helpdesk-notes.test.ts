import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Message, ResumeResult, WidgetConversation } from '../../shared/protocol.ts'
import { manualAssignment, queuedConversation, signIn } from '../support/helpdesk-console.ts'
import { call, clientId, record, request, startRelay, type TestRelay, waitFor } from '../support/relay.ts'

let relay: TestRelay
beforeEach(async () => {
  relay = await startRelay()
  await manualAssignment(relay)
})
afterEach(async () => {
  await relay.close()
})

describe('internal notes and replies', () => {
  it('a note reaches the agents but never the shopper, live or on resume, and the shopper’s seqs stay gapless', async () => {
    const ada = await signIn(relay, 'Ada')
    const bo = await signIn(relay, 'Bo')
    const { shopper, conversationId } = await queuedConversation(relay)
    await call(ada.socket, 'conversation:claim', { conversationId })
    await call(ada.socket, 'conversation:open', { conversationId })
    const live = record<Message>(shopper, 'message:new')
    const updates = record<WidgetConversation>(shopper, 'conversation:updated')

    const adaSees = waitFor<Message>(ada.socket, 'message:new', (m) => m.internal === true)
    const { message: note } = await call<{ message: Message }>(bo.socket, 'note:add', {
      conversationId,
      clientId: clientId(),
      text: 'Refund approved by finance, go ahead',
    })
    expect(note).toMatchObject({ internal: true, author: 'agent', authorName: 'Bo' })
    expect((await adaSees).id).toBe(note.id)

    const before = await call<ResumeResult>(shopper, 'conversation:resume', { conversationId, afterSeq: 0 })
    const visibleBefore = before.messages.length
    const reply = waitFor<Message>(shopper, 'message:new', (m) => m.text === 'Your refund is on its way')
    const sent = await call<{ message: Message }>(ada.socket, 'message:send', {
      conversationId,
      clientId: clientId(),
      text: 'Your refund is on its way',
    })
    // The note took a seq in the conversation (the agents' numbering); the shopper's numbering skips it.
    expect(sent.message.seq).toBe(note.seq + 1)
    expect((await reply).seq).toBe(visibleBefore + 1)
    expect((await reply).seq).toBe(sent.message.seq - 1)

    const resumed = await call<ResumeResult>(shopper, 'conversation:resume', { conversationId, afterSeq: 0 })
    expect(resumed.messages.map((m) => m.seq)).toEqual(resumed.messages.map((_, i) => i + 1))
    expect(resumed.messages.some((m) => m.internal || m.text.includes('finance'))).toBe(false)
    expect(resumed.conversation?.lastSeq).toBe(resumed.messages.length)
    const tail = await call<ResumeResult>(shopper, 'conversation:resume', {
      conversationId,
      afterSeq: resumed.messages.length - 1,
    })
    expect(tail.messages.map((m) => m.text)).toEqual(['Your refund is on its way'])

    expect(live.some((m) => m.internal || m.text.includes('finance'))).toBe(false)
    expect(Math.max(...updates.map((u) => u.lastSeq))).toBe(resumed.messages.length)
    // Agents keep the whole record, the note included; the inbox preview stays the shopper's words.
    const detail = await call<{ messages: Message[] }>(bo.socket, 'conversation:open', { conversationId })
    expect(detail.messages.find((m) => m.id === note.id)?.internal).toBe(true)
    expect((await relay.app.parley.store.getConversation(conversationId))?.preview).toBe('talk to a human')
  })

  it('an agent who does not own the conversation can add a note but cannot reply to the customer', async () => {
    const ada = await signIn(relay, 'Ada')
    const bo = await signIn(relay, 'Bo')
    const { conversationId } = await queuedConversation(relay)
    await call(ada.socket, 'conversation:claim', { conversationId })
    const refused = await request(bo.socket, 'message:send', {
      conversationId,
      clientId: clientId(),
      text: 'Hi!',
    })
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'not_assignee', details: { assigneeName: 'Ada' } },
    })
    const noted = await request<{ message: Message }>(bo.socket, 'note:add', {
      conversationId,
      clientId: clientId(),
      text: 'I know this customer, ping me',
    })
    expect(noted).toMatchObject({ ok: true, data: { message: { internal: true } } })
    const messages = await relay.app.parley.store.listMessages(conversationId)
    expect(messages.filter((m) => m.authorName === 'Bo').map((m) => m.internal)).toEqual([true])
  })

  it('stores a retried note once, and hides conversations of other sites', async () => {
    const ada = await signIn(relay, 'Ada')
    const outsider = await signIn(relay, 'Olga', { siteIds: ['elsewhere'] })
    const { conversationId } = await queuedConversation(relay)
    const payload = { conversationId, clientId: clientId(), text: 'Check the address first' }
    const first = await call<{ message: Message }>(ada.socket, 'note:add', payload)
    const again = await call<{ message: Message }>(ada.socket, 'note:add', payload)
    expect(again.message.id).toBe(first.message.id)
    const notes = (await relay.app.parley.store.listMessages(conversationId)).filter((m) => m.internal)
    expect(notes).toHaveLength(1)
    expect(await request(outsider.socket, 'note:add', { ...payload, clientId: clientId() })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    })
  })
})
