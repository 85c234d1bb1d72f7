import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { InboxCounts } from '../../shared/helpdesk.ts'
import type { ConversationSummary } from '../../shared/protocol.ts'
import { manualAssignment, queuedConversation, signIn } from '../support/helpdesk-console.ts'
import {
  call,
  connectWidget,
  record,
  request,
  startRelay,
  type TestRelay,
  waitFor,
} from '../support/relay.ts'

let relay: TestRelay
beforeEach(async () => {
  relay = await startRelay()
  await manualAssignment(relay)
})
afterEach(async () => {
  await relay.close()
})

type Summary = { conversation: ConversationSummary }
type Inbox = { conversations: ConversationSummary[]; counts: InboxCounts }

describe('priority and tags', () => {
  it('an agent changes priority and tags; the change is audited as updated and pushed to the inbox', async () => {
    const ada = await signIn(relay, 'Ada')
    const bo = await signIn(relay, 'Bo')
    const { conversationId } = await queuedConversation(relay)
    const pushed = waitFor<ConversationSummary>(
      bo.socket,
      'conversation:upserted',
      (c) => c.id === conversationId && c.priority === 'urgent',
    )
    const { conversation } = await call<Summary>(ada.socket, 'conversation:update', {
      conversationId,
      priority: 'urgent',
      tags: ['Refund', 'vip', 'refund'],
    })
    expect(conversation).toMatchObject({ priority: 'urgent', tags: ['refund', 'vip'] })
    expect((await pushed).tags).toEqual(['refund', 'vip'])
    const events = await relay.app.parley.store.listEvents(conversationId)
    expect(events.at(-1)).toMatchObject({
      type: 'updated',
      actor: { kind: 'agent', id: ada.agent.id },
      data: { priority: { from: 'normal', to: 'urgent' }, tags: { from: [], to: ['refund', 'vip'] } },
    })
    // The same values again change nothing and record nothing.
    await call(ada.socket, 'conversation:update', {
      conversationId,
      priority: 'urgent',
      tags: ['vip', 'refund'],
    })
    expect(await relay.app.parley.store.listEvents(conversationId)).toHaveLength(events.length)
    expect(
      await request(ada.socket, 'conversation:update', { conversationId, tags: ['no/slashes'] }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload' },
    })
  })
})

describe('inbox views', () => {
  it('orders the queue by priority then age, filters by tag, priority and channel, and counts every view', async () => {
    const ada = await signIn(relay, 'Ada')
    const bo = await signIn(relay, 'Bo')
    const normalOld = await queuedConversation(relay)
    const low = await queuedConversation(relay)
    const urgent = await queuedConversation(relay)
    const normalNew = await queuedConversation(relay)
    const mine = await queuedConversation(relay)
    await connectWidget(relay.url) // a shopper who has not written: no conversation
    const bot = await connectWidget(relay.url)
    await call(bot.socket, 'message:send', { clientId: 'c_bot_00001', text: 'hello' })
    await call(ada.socket, 'conversation:update', { conversationId: low.conversationId, priority: 'low' })
    await call(ada.socket, 'conversation:update', {
      conversationId: urgent.conversationId,
      priority: 'urgent',
      tags: ['chargeback'],
    })
    await call(ada.socket, 'conversation:claim', { conversationId: mine.conversationId })

    const queue = await call<Inbox>(ada.socket, 'inbox:query', { view: 'unassigned' })
    expect(queue.conversations.map((c) => c.id)).toEqual([
      urgent.conversationId,
      normalOld.conversationId,
      normalNew.conversationId,
      low.conversationId,
    ])
    expect(queue.counts).toEqual({ mine: 1, unassigned: 4, open: 6, bot: 1, resolved: 0, all: 6 })
    expect((await call<Inbox>(bo.socket, 'inbox:query', { view: 'mine' })).counts.mine).toBe(0)

    const byTag = await call<Inbox>(ada.socket, 'inbox:query', { view: 'open', tag: 'chargeback' })
    expect(byTag.conversations.map((c) => c.id)).toEqual([urgent.conversationId])
    const byPriority = await call<Inbox>(ada.socket, 'inbox:query', { view: 'all', priority: 'low' })
    expect(byPriority.conversations.map((c) => c.id)).toEqual([low.conversationId])
    expect(
      (await call<Inbox>(ada.socket, 'inbox:query', { view: 'open', channel: 'email' })).conversations,
    ).toEqual([])
    const own = await call<Inbox>(ada.socket, 'inbox:query', { view: 'mine' })
    expect(own.conversations.map((c) => c.id)).toEqual([mine.conversationId])
    const open = await call<Inbox>(ada.socket, 'inbox:query', { view: 'open' })
    expect(open.conversations[0]?.id).toBe(urgent.conversationId)
    expect(open.conversations).toHaveLength(6)

    await call(ada.socket, 'conversation:resolve', { conversationId: mine.conversationId })
    const resolved = await call<Inbox>(ada.socket, 'inbox:query', { view: 'resolved' })
    expect(resolved.conversations.map((c) => c.id)).toEqual([mine.conversationId])
    expect(resolved.counts).toMatchObject({ mine: 0, resolved: 1, open: 5 })
    // The older event keeps working.
    const listed = await call<{ conversations: ConversationSummary[] }>(ada.socket, 'inbox:list', {
      filter: 'queued',
    })
    expect(listed.conversations).toHaveLength(4)
    expect(await request(ada.socket, 'inbox:query', { view: 'everything' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload' },
    })
  })

  it('pushes each agent their own counts, once per burst of changes', async () => {
    const ada = await signIn(relay, 'Ada')
    const bo = await signIn(relay, 'Bo')
    const { conversationId } = await queuedConversation(relay)
    await new Promise((r) => setTimeout(r, 400))
    const adaCounts = record<InboxCounts>(ada.socket, 'inbox:counts')
    const boGets = waitFor<InboxCounts>(bo.socket, 'inbox:counts', (c) => c.unassigned === 0)
    const adaGets = waitFor<InboxCounts>(ada.socket, 'inbox:counts', (c) => c.mine === 1)
    await call(ada.socket, 'conversation:claim', { conversationId })
    await call(ada.socket, 'conversation:update', { conversationId, priority: 'high' })
    expect(await adaGets).toEqual({ mine: 1, unassigned: 0, open: 1, bot: 0, resolved: 0, all: 1 })
    expect(await boGets).toMatchObject({ mine: 0, unassigned: 0, open: 1 })
    await new Promise((r) => setTimeout(r, 400))
    expect(adaCounts).toHaveLength(1)
  })
})
