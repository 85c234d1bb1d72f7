import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Ack, ConversationSummary } from '../../shared/protocol.ts'
import { queuedConversation, request, signedInAgent, startRelay, type TestRelay } from '../support/relay.ts'

let relay: TestRelay
beforeEach(async () => {
  relay = await startRelay()
})
afterEach(async () => {
  await relay.close()
})

describe('concurrent take-over', () => {
  it('of two agents pressing Take over at once, exactly one owns the conversation and the other is told who', async () => {
    const ada = await signedInAgent(relay, 'a@example.com', 'Ada')
    const bo = await signedInAgent(relay, 'b@example.com', 'Bo')

    for (let round = 0; round < 5; round++) {
      const shopper = await queuedConversation(relay.url, 'talk to a human')
      const { conversationId } = shopper
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
