import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Message, WidgetConversation } from '../../shared/protocol.ts'
import {
  call,
  clientId,
  connectWidget,
  queuedConversation,
  signedInAgent,
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

describe('reconnect and replay', () => {
  it('a shopper who was offline receives exactly the messages they missed, in order, and nothing twice', async () => {
    const agent = await signedInAgent(relay, 'sam@example.com', 'Sam')
    const first = await queuedConversation(relay.url, 'I need a real person')
    const { conversationId } = first
    await call(agent, 'conversation:claim', { conversationId })
    const { messages: before } = await call<{ messages: Message[] }>(first.socket, 'conversation:resume', {
      conversationId,
      afterSeq: 0,
    })
    const lastSeen = before.at(-1)?.seq ?? 0

    // The network drops; the agent keeps writing.
    first.socket.close()
    for (const text of ['one', 'two', 'three']) {
      await call(agent, 'message:send', { conversationId, clientId: clientId(), text })
    }

    // Back with the same token: the same contact, and exactly what was missed.
    const back = await connectWidget(relay.url, { token: first.token })
    expect(back.contactId).toBe(first.contactId)
    const { messages: missed, conversation } = await call<{
      messages: Message[]
      conversation: WidgetConversation
    }>(back.socket, 'conversation:resume', { conversationId, afterSeq: lastSeen })
    expect(conversation.id).toBe(conversationId)
    expect(missed.map((m) => m.text)).toEqual(['one', 'two', 'three'])
    expect(missed.map((m) => m.seq)).toEqual([lastSeen + 1, lastSeen + 2, lastSeen + 3])

    // Without an id the shopper's latest conversation comes back (a reload with lost state).
    const latest = await call<{ conversation: WidgetConversation }>(back.socket, 'conversation:resume', {
      afterSeq: 0,
    })
    expect(latest.conversation.id).toBe(conversationId)
    back.socket.close()
    agent.close()
  })

  it('a send retried with the same client id (lost ack) is stored once and acked with the same id and seq', async () => {
    const shopper = await connectWidget(relay.url)
    const id = clientId()
    const payload = { clientId: id, text: 'How long does shipping take?' }
    const firstAck = await call<{ message: Message; conversation: WidgetConversation }>(
      shopper.socket,
      'message:send',
      payload,
    )
    shopper.socket.close()
    const again = await connectWidget(relay.url, { token: shopper.token })
    // The outbox retries without knowing the conversation (the first ack never arrived).
    const secondAck = await call<{ message: Message }>(again.socket, 'message:send', payload)
    const thirdAck = await call<{ message: Message }>(again.socket, 'message:send', {
      ...payload,
      conversationId: firstAck.conversation.id,
    })
    expect(secondAck.message).toEqual(firstAck.message)
    expect(thirdAck.message).toEqual(firstAck.message)
    const stored = await relay.app.parley.store.listMessages(firstAck.conversation.id)
    expect(stored.filter((m) => m.clientId === id)).toHaveLength(1)
    // The bot answered once, not once per retry.
    await expect
      .poll(async () => (await relay.app.parley.store.listMessages(firstAck.conversation.id)).length)
      .toBe(3)
    await new Promise((r) => setTimeout(r, 200))
    expect(await relay.app.parley.store.listMessages(firstAck.conversation.id)).toHaveLength(3)
    again.socket.close()
  })

  it('messages sent from an outbox in a burst keep their order with gapless sequence numbers', async () => {
    const agent = await signedInAgent(relay, 'sam@example.com', 'Sam')
    const shopper = await queuedConversation(relay.url, 'agent please')
    const { conversationId } = shopper
    await call(agent, 'conversation:claim', { conversationId })
    const texts = Array.from({ length: 20 }, (_, i) => `burst ${i}`)
    await Promise.all(
      texts.map((text) =>
        call(shopper.socket, 'message:send', { clientId: clientId(), conversationId, text }),
      ),
    )
    const stored = await relay.app.parley.store.listMessages(conversationId)
    expect(stored.map((m) => m.seq)).toEqual(stored.map((_, i) => i + 1))
    expect(stored.filter((m) => m.text.startsWith('burst')).map((m) => m.text)).toEqual(texts)
    shopper.socket.close()
    agent.close()
  })
})
