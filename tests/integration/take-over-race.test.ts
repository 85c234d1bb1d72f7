import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Ack, ConversationSummary, WidgetConversation } from '../../shared/protocol.ts'
import {
  call,
  clientId,
  connectConsole,
  connectWidget,
  login,
  request,
  startRelay,
  type TestRelay,
  waitFor,
} from '../support/relay.ts'

let relay: TestRelay
beforeEach(async () => {
  relay = await startRelay()
})
afterEach(async () => {
  await relay.close()
})

describe('concurrent take-over', () => {
  it('of two agents pressing Take over at once, exactly one owns the conversation and the other is told who', async () => {
    await relay.addAgent({ email: 'a@example.com', name: 'Ada' })
    await relay.addAgent({ email: 'b@example.com', name: 'Bo' })
    const ada = await connectConsole(
      relay.url,
      await login(relay.url, 'a@example.com', 'correct-horse-battery'),
    )
    const bo = await connectConsole(
      relay.url,
      await login(relay.url, 'b@example.com', 'correct-horse-battery'),
    )

    for (let round = 0; round < 5; round++) {
      const shopper = await connectWidget(relay.url)
      const queued = waitFor<WidgetConversation>(
        shopper.socket,
        'conversation:updated',
        (c) => c.status === 'queued',
      )
      const sent = await call<{ conversation: WidgetConversation }>(shopper.socket, 'message:send', {
        clientId: clientId(),
        text: 'talk to a human',
      })
      await queued
      const conversationId = sent.conversation.id
      const results = await Promise.all([
        request<{ conversation: ConversationSummary }>(ada, 'conversation:claim', { conversationId }),
        request<{ conversation: ConversationSummary }>(bo, 'conversation:claim', { conversationId }),
      ])
      const winners = results.filter(
        (r): r is Extract<Ack<{ conversation: ConversationSummary }>, { ok: true }> => r.ok,
      )
      const losers = results.filter((r) => !r.ok)
      expect(winners).toHaveLength(1)
      expect(losers).toHaveLength(1)
      const owner = winners[0]?.data.conversation.assignee?.name
      expect(losers[0]).toMatchObject({
        ok: false,
        error: { code: 'already_assigned', details: { assigneeName: owner } },
      })
      const stored = await relay.app.parley.store.getConversation(conversationId)
      expect(stored?.assigneeName).toBe(owner)
      const events = await relay.app.parley.store.listEvents(conversationId)
      expect(events.filter((e) => e.type === 'assigned')).toHaveLength(1)
      shopper.socket.close()
    }
    ada.close()
    bo.close()
  })
})
