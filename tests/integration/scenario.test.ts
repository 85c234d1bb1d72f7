import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type {
  ConversationDetail,
  ConversationSummary,
  Message,
  WidgetConversation,
} from '../../shared/protocol.ts'
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
  waitFor,
} from '../support/relay.ts'

let relay: TestRelay
beforeEach(async () => {
  relay = await startRelay()
})
afterEach(async () => {
  await relay.close()
})

const byBot = (m: Message) => m.author === 'bot'

describe('the main job at protocol level', () => {
  it('a shopper is greeted with the disclosure, answered from an article, handed off, and served by an agent', async () => {
    await relay.addAgent({ email: 'sam@example.com', name: 'Sam Rivera' })
    const agent = await connectConsole(
      relay.url,
      await login(relay.url, 'sam@example.com', 'correct-horse-battery'),
    )
    const upserts = record<ConversationSummary>(agent, 'conversation:upserted')

    const shopper = await connectWidget(relay.url)
    expect(shopper.greeting).toMatch(/automated/i)
    const seen = record<Message>(shopper.socket, 'message:new')

    // An answerable question: the bot replies from the article, with its link.
    const botAnswer = waitFor<Message>(shopper.socket, 'message:new', (m) => byBot(m) && m.seq === 3)
    const first = await call<{ message: Message; conversation: WidgetConversation }>(
      shopper.socket,
      'message:send',
      {
        clientId: clientId(),
        text: 'How long does shipping take?',
      },
    )
    expect(first.message.seq).toBe(2)
    expect(first.conversation.status).toBe('bot')
    const answer = await botAnswer
    expect(answer.sources.map((s) => s.slug)).toEqual(['shipping-times'])
    expect(answer.sources[0]?.url).toBe(
      `${relay.url.replace('127.0.0.1', 'localhost')}/help/demo/shipping-times`,
    )
    expect(answer.text).toMatch(/business days/)
    const conversationId = first.conversation.id

    // The disclosure is stored as the conversation's first message.
    const history = await call<{ messages: Message[] }>(shopper.socket, 'conversation:resume', {
      afterSeq: 0,
    })
    expect(history.messages[0]).toMatchObject({ seq: 1, author: 'bot', text: shopper.greeting })

    // Asking for a person: the bot says so and the conversation is queued with the reason.
    const queued = waitFor<WidgetConversation>(
      shopper.socket,
      'conversation:updated',
      (c) => c.status === 'queued',
    )
    await call(shopper.socket, 'message:send', {
      clientId: clientId(),
      conversationId,
      text: 'I want to talk to a person',
    })
    await queued
    const handoffMessage = seen.filter(byBot).at(-1)
    expect(handoffMessage?.text).toMatch(/person/i)
    expect(handoffMessage?.sources).toEqual([])

    // The agent's inbox shows it live, with status, reason and the shopper's latest words.
    await expect
      .poll(() => upserts.find((c) => c.id === conversationId && c.status === 'queued'))
      .toBeTruthy()
    const inbox = await call<{ conversations: ConversationSummary[] }>(agent, 'inbox:list', {
      filter: 'open',
    })
    expect(inbox.conversations).toHaveLength(1)
    expect(inbox.conversations[0]).toMatchObject({
      id: conversationId,
      status: 'queued',
      handoffReason: 'requested_human',
      preview: 'I want to talk to a person',
    })

    // The whole transcript, bot part included.
    const detail = await call<ConversationDetail>(agent, 'conversation:open', { conversationId })
    expect(detail.messages.map((m) => m.author)).toEqual(['bot', 'contact', 'bot', 'contact', 'bot'])
    expect(detail.events.map((e) => e.type)).toEqual(['created', 'handoff'])

    // Take over, reply: the shopper sees the agent's name.
    const joined = waitFor<WidgetConversation>(
      shopper.socket,
      'conversation:updated',
      (c) => c.status === 'assigned',
    )
    const claimed = await call<{ conversation: ConversationSummary }>(agent, 'conversation:claim', {
      conversationId,
    })
    expect(claimed.conversation.assignee?.name).toBe('Sam Rivera')
    expect((await joined).assigneeName).toBe('Sam Rivera')
    const reply = waitFor<Message>(shopper.socket, 'message:new', (m) => m.author === 'agent')
    await call(agent, 'message:send', {
      conversationId,
      clientId: clientId(),
      text: 'Hi, Sam here. How can I help?',
    })
    expect(await reply).toMatchObject({ authorName: 'Sam Rivera', text: 'Hi, Sam here. How can I help?' })

    // From now on the bot never speaks, whatever the shopper types.
    const agentSees = waitFor<Message>(
      agent,
      'message:new',
      (m) => m.text === 'How long does shipping take?' && m.seq > 5,
    )
    await call(shopper.socket, 'message:send', {
      clientId: clientId(),
      conversationId,
      text: 'How long does shipping take?',
    })
    await agentSees
    await new Promise((r) => setTimeout(r, 300))
    const after = await call<ConversationDetail>(agent, 'conversation:open', { conversationId })
    const lastBot = after.messages.filter(byBot).at(-1)
    expect(lastBot?.seq).toBe(5)

    // Resolve.
    const resolved = await call<{ conversation: ConversationSummary }>(agent, 'conversation:resolve', {
      conversationId,
    })
    expect(resolved.conversation.status).toBe('resolved')
    const final = await call<ConversationDetail>(agent, 'conversation:open', { conversationId })
    expect(final.events.map((e) => e.type)).toEqual(['created', 'handoff', 'assigned', 'resolved'])

    shopper.socket.close()
    agent.close()
  })

  it('a question the knowledge base does not cover goes to the queue, with nothing invented', async () => {
    const shopper = await connectWidget(relay.url)
    const queued = waitFor<WidgetConversation>(
      shopper.socket,
      'conversation:updated',
      (c) => c.status === 'queued',
    )
    await call(shopper.socket, 'message:send', {
      clientId: clientId(),
      text: 'Do you offer gift wrapping for my order?',
    })
    await queued
    const { messages } = await call<{ messages: Message[] }>(shopper.socket, 'conversation:resume', {
      afterSeq: 0,
    })
    const reply = messages.at(-1)
    expect(reply?.author).toBe('bot')
    expect(reply?.sources).toEqual([])
    expect(reply?.text).toMatch(/person/i)
    shopper.socket.close()
  })

  it('a shopper message after resolution reopens the conversation to the queue when a human had handled it', async () => {
    await relay.addAgent({ email: 'kim@example.com', name: 'Kim' })
    const agent = await connectConsole(
      relay.url,
      await login(relay.url, 'kim@example.com', 'correct-horse-battery'),
    )
    const shopper = await connectWidget(relay.url)
    const queued = waitFor<WidgetConversation>(
      shopper.socket,
      'conversation:updated',
      (c) => c.status === 'queued',
    )
    const sent = await call<{ conversation: WidgetConversation }>(shopper.socket, 'message:send', {
      clientId: clientId(),
      text: 'Can I speak to a human please',
    })
    await queued
    const conversationId = sent.conversation.id
    await call(agent, 'conversation:claim', { conversationId })
    await call(agent, 'conversation:resolve', { conversationId })
    const again = await call<{ conversation: WidgetConversation }>(shopper.socket, 'message:send', {
      clientId: clientId(),
      conversationId,
      text: 'One more thing',
    })
    expect(again.conversation).toMatchObject({ id: conversationId, status: 'queued' })
    const refused = await request(agent, 'message:send', {
      conversationId,
      clientId: clientId(),
      text: 'hello',
    })
    expect(refused).toMatchObject({ ok: false, error: { code: 'not_assignee' } })
    shopper.socket.close()
    agent.close()
  })
})
