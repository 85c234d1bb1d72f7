import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AuditEvent, ConversationSummary, WidgetConversation } from '../../shared/protocol.ts'
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

let relay: TestRelay
let agent: ConsoleClient
let other: ConsoleClient
beforeAll(async () => {
  relay = await startRelay()
  agent = await signedInAgent(relay, 'robin@example.com', 'Robin')
  other = await signedInAgent(relay, 'kim@example.com', 'Kim')
})
afterAll(async () => {
  agent.close()
  other.close()
  await relay.close()
})

async function events(conversationId: string, type: string): Promise<AuditEvent[]> {
  return (await relay.app.parley.store.listEvents(conversationId)).filter((e) => e.type === type)
}

/** A queued conversation the agent took over, answered and resolved. */
async function resolvedConversation() {
  const shopper = await queuedConversation(relay.url)
  const { conversationId } = shopper
  await call(agent, 'conversation:claim', { conversationId })
  await call(agent, 'message:send', { conversationId, clientId: clientId(), text: 'Sorted, have a nice day' })
  const resolved = waitFor<WidgetConversation>(
    shopper.socket,
    'conversation:updated',
    (c) => c.status === 'resolved',
  )
  await call(agent, 'conversation:resolve', { conversationId })
  expect(await resolved).toMatchObject({ status: 'resolved', rated: false })
  return shopper
}

describe('CSAT: the shopper rates a resolution from the widget', () => {
  it('refuses a rating before the conversation is resolved, and stores nothing', async () => {
    const shopper = await queuedConversation(relay.url)
    const early = await request(shopper.socket, 'csat:rate', {
      conversationId: shopper.conversationId,
      score: 5,
    })
    expect(early).toMatchObject({ ok: false, error: { code: 'invalid_transition' } })
    expect(await events(shopper.conversationId, 'csat')).toEqual([])
    shopper.socket.close()
  })

  it('stores one rating per resolution as a csat event by the contact, and the agents see it', async () => {
    const shopper = await resolvedConversation()
    const { conversationId } = shopper
    const pushed = waitFor<ConversationSummary>(
      agent,
      'conversation:upserted',
      (c) => c.id === conversationId && c.resolution?.csat !== undefined,
    )
    const rated = await call<{ conversation: WidgetConversation }>(shopper.socket, 'csat:rate', {
      conversationId,
      score: 4,
      comment: '  Quick and friendly  ',
    })
    expect(rated.conversation).toMatchObject({ id: conversationId, status: 'resolved', rated: true })
    expect((await pushed).resolution?.csat).toMatchObject({ score: 4, comment: 'Quick and friendly' })

    const [csat, ...more] = await events(conversationId, 'csat')
    expect(more).toEqual([])
    expect(csat).toMatchObject({
      actor: { kind: 'contact', id: shopper.contactId },
      data: { score: 4, comment: 'Quick and friendly' },
    })

    // The same rating again (a retried send) is acknowledged, not stored twice; another is refused.
    const retry = await request(shopper.socket, 'csat:rate', {
      conversationId,
      score: 4,
      comment: 'Quick and friendly',
    })
    expect(retry).toMatchObject({ ok: true })
    const again = await request(shopper.socket, 'csat:rate', { conversationId, score: 1 })
    expect(again).toMatchObject({ ok: false, error: { code: 'invalid_transition' } })
    expect(await events(conversationId, 'csat')).toHaveLength(1)

    // The console's conversation shows it: in the summary and in the activity.
    const detail = await call<{ conversation: ConversationSummary; events: AuditEvent[] }>(
      agent,
      'conversation:open',
      { conversationId },
    )
    expect(detail.conversation.resolution?.csat?.score).toBe(4)
    expect(detail.events.map((e) => e.type)).toContain('csat')

    // Reopened and resolved again: the new resolution may be rated again.
    await call(shopper.socket, 'message:send', {
      conversationId,
      clientId: clientId(),
      text: 'One more thing',
    })
    await call(agent, 'conversation:claim', { conversationId })
    await call(agent, 'conversation:resolve', { conversationId })
    await call(shopper.socket, 'csat:rate', { conversationId, score: 2 })
    expect((await events(conversationId, 'csat')).map((e) => e.data)).toEqual([
      { score: 4, comment: 'Quick and friendly' },
      { score: 2 },
    ])
    shopper.socket.close()
  })

  it("answers not_found for another shopper's conversation, and refuses invalid scores", async () => {
    const shopper = await resolvedConversation()
    const stranger = await connectWidget(relay.url)
    const foreign = await request(stranger.socket, 'csat:rate', {
      conversationId: shopper.conversationId,
      score: 1,
    })
    expect(foreign).toMatchObject({ ok: false, error: { code: 'not_found' } })
    const missing = await request(stranger.socket, 'csat:rate', { conversationId: 'cnv_nope', score: 3 })
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found' } })
    for (const score of [0, 6, 3.5, '5']) {
      const invalid = await request(shopper.socket, 'csat:rate', {
        conversationId: shopper.conversationId,
        score,
      })
      expect(invalid).toMatchObject({ ok: false, error: { code: 'invalid_payload' } })
    }
    const long = await request(shopper.socket, 'csat:rate', {
      conversationId: shopper.conversationId,
      score: 3,
      comment: 'x'.repeat(1001),
    })
    expect(long).toMatchObject({ ok: false, error: { code: 'invalid_payload' } })
    expect(await events(shopper.conversationId, 'csat')).toEqual([])
    stranger.socket.close()
    shopper.socket.close()
  })
})

describe('agent effort: the resolving agent rates the effort once', () => {
  it('stores an agent_effort event by the agent who resolved it; others and open conversations are refused', async () => {
    const open = await queuedConversation(relay.url)
    await call(agent, 'conversation:claim', { conversationId: open.conversationId })
    const early = await request(agent, 'effort:rate', { conversationId: open.conversationId, score: 2 })
    expect(early).toMatchObject({ ok: false, error: { code: 'invalid_transition' } })

    const shopper = await resolvedConversation()
    const { conversationId } = shopper
    const foreign = await request(other, 'effort:rate', { conversationId, score: 1 })
    expect(foreign).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    const rated = await call<{ conversation: ConversationSummary }>(agent, 'effort:rate', {
      conversationId,
      score: 2,
    })
    expect(rated.conversation.resolution?.effort).toMatchObject({ score: 2 })
    const twice = await request(agent, 'effort:rate', { conversationId, score: 5 })
    expect(twice).toMatchObject({ ok: false, error: { code: 'invalid_transition' } })
    const stored = await events(conversationId, 'agent_effort')
    expect(stored).toHaveLength(1)
    expect(stored[0]).toMatchObject({ actor: { kind: 'agent' }, data: { score: 2 } })
    open.socket.close()
    shopper.socket.close()
  })
})
