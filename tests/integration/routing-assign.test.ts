/**
 * Auto-assignment at handoff and when agents free up, through a real relay with real sockets:
 * skills, language, capacity, least loaded, idle longest, the queue's order, and races with people.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AgentNotification } from '../../shared/helpdesk.ts'
import type { ConversationSummary } from '../../shared/protocol.ts'
import { agentOnline, openConsole, shopperAsksForPerson, stored } from '../support/helpdesk.ts'
import { call, record, request, startRelay, type TestRelay } from '../support/relay.ts'

let relay: TestRelay
beforeEach(async () => {
  relay = await startRelay()
})
afterEach(async () => {
  await relay.close()
})

const billingEn = { skills: ['billing'], language: 'en' }

describe('auto-assignment at handoff', () => {
  it('gives a handed-off conversation to the online agent with the skill and language, least loaded first, ties to the one idle longest', async () => {
    // Di is the only one there at first: she takes the first conversation.
    const di = await agentOnline(relay, {
      email: 'di@example.com',
      name: 'Di',
      skills: ['billing'],
      languages: ['en'],
      capacity: 2,
    })
    const first = await shopperAsksForPerson(relay, billingEn)
    expect((await stored(relay, first.conversationId)).assigneeId).toBe(di.agent.id)

    // Then Ada (fits), Bo (Spanish only) and Cy (no billing skill) come online.
    const ada = await agentOnline(relay, {
      email: 'ada@example.com',
      name: 'Ada',
      skills: ['billing', 'shipping'],
      languages: ['en-GB', 'fr'],
      capacity: 2,
    })
    await agentOnline(relay, {
      email: 'bo@example.com',
      name: 'Bo',
      skills: ['billing'],
      languages: ['es'],
      capacity: 5,
    })
    await agentOnline(relay, {
      email: 'cy@example.com',
      name: 'Cy',
      skills: ['shipping'],
      languages: ['en'],
      capacity: 5,
    })

    // Least loaded: Ada (0) over Di (1).
    const second = await shopperAsksForPerson(relay, billingEn)
    expect((await stored(relay, second.conversationId)).assigneeName).toBe('Ada')
    // Both at 1: the one who has waited longer for a new conversation, Di.
    const third = await shopperAsksForPerson(relay, billingEn)
    expect((await stored(relay, third.conversationId)).assigneeName).toBe('Di')
    // Di is full (2 of 2): Ada.
    const fourth = await shopperAsksForPerson(relay, billingEn)
    expect((await stored(relay, fourth.conversationId)).assigneeName).toBe('Ada')

    const events = await relay.app.parley.store.listEvents(fourth.conversationId)
    expect(events.filter((e) => e.type === 'assigned')).toEqual([
      expect.objectContaining({
        actor: { kind: 'system', id: null },
        data: expect.objectContaining({ auto: true }),
      }),
    ])
    expect(relay.app.parley.helpdesk.load.load(ada.agent.id)).toBe(2)
    expect(relay.app.parley.helpdesk.load.load(di.agent.id)).toBe(2)
  })

  it('tells the shopper who joined and the agent that a conversation was assigned to them', async () => {
    const ada = await agentOnline(relay, { email: 'ada@example.com', name: 'Ada', capacity: 1 })
    const notices = record<AgentNotification>(ada.socket, 'notification')
    const { shopper, conversationId } = await shopperAsksForPerson(relay)
    const joined = await call<{ messages: { author: string; text: string }[] }>(
      shopper,
      'conversation:resume',
      {
        conversationId,
        afterSeq: 0,
      },
    )
    expect(joined.messages.at(-1)).toMatchObject({ author: 'system', text: 'Ada joined the conversation' })
    await expect
      .poll(() => notices.filter((n) => n.kind === 'assigned').map((n) => n.conversationId))
      .toEqual([conversationId])
  })

  it('leaves a conversation nobody fits in the queue; an agent who fits coming online takes the highest priority, oldest first', async () => {
    // Cy is online but speaks no English: nobody fits any of these.
    await agentOnline(relay, {
      email: 'cy@example.com',
      name: 'Cy',
      skills: ['billing'],
      languages: ['de'],
      capacity: 5,
    })
    const older = await shopperAsksForPerson(relay, billingEn)
    const vip = await shopperAsksForPerson(relay, billingEn, { vip: true })
    const newer = await shopperAsksForPerson(relay, billingEn)
    for (const { conversationId } of [older, vip, newer]) {
      expect((await stored(relay, conversationId)).status).toBe('queued')
    }
    // A VIP's conversation is raised one step at handoff, by the system.
    expect((await stored(relay, vip.conversationId)).priority).toBe('high')
    expect((await stored(relay, older.conversationId)).priority).toBe('normal')
    const updates = (await relay.app.parley.store.listEvents(vip.conversationId)).filter(
      (e) => e.type === 'updated',
    )
    expect(updates).toEqual([
      expect.objectContaining({
        actor: { kind: 'system', id: null },
        data: { priority: { from: 'normal', to: 'high' } },
      }),
    ])

    // Bo fits, with room for one: the high-priority one goes first though it is not the oldest.
    const bo = await agentOnline(relay, {
      email: 'bo@example.com',
      name: 'Bo',
      skills: ['billing'],
      languages: ['en'],
      capacity: 1,
    })
    expect((await stored(relay, vip.conversationId)).assigneeId).toBe(bo.agent.id)
    expect((await stored(relay, older.conversationId)).status).toBe('queued')

    // Bo resolves it: the freed slot takes the oldest of the rest.
    await call(bo.socket, 'conversation:resolve', { conversationId: vip.conversationId })
    await relay.app.parley.helpdesk.routing?.settled()
    expect((await stored(relay, older.conversationId)).assigneeId).toBe(bo.agent.id)
    expect((await stored(relay, newer.conversationId)).status).toBe('queued')
  })

  it('keeps the conversation queued when auto-assignment is off for the site', async () => {
    const site = await relay.app.parley.store.getSite('demo')
    if (!site) throw new Error('no demo site')
    await relay.app.parley.store.putSite({ ...site, helpdesk: { ...site.helpdesk, autoAssign: false } })
    await agentOnline(relay, { email: 'ada@example.com', name: 'Ada', capacity: 3 })
    const { conversationId } = await shopperAsksForPerson(relay)
    expect((await stored(relay, conversationId)).status).toBe('queued')
  })

  it('does not auto-assign an agent whose record has no capacity (the bootstrap admin, older records)', async () => {
    await agentOnline(relay, { email: 'old@example.com', name: 'Old Timer' })
    const { conversationId } = await shopperAsksForPerson(relay)
    expect((await stored(relay, conversationId)).status).toBe('queued')
  })
})

describe('auto-assignment racing people', () => {
  it('of auto-assignment and a manual take-over at the same moment, exactly one owns the conversation', async () => {
    const bo = await agentOnline(relay, { email: 'bo@example.com', name: 'Bo', capacity: 10 })
    // Ada is never auto-assigned (no capacity set): she only takes over by hand.
    await relay.addAgent({ email: 'ada@example.com', name: 'Ada' })
    const ada = await openConsole(relay, 'ada@example.com')

    for (let round = 0; round < 8; round++) {
      // Bo steps away: the handoff waits in the queue.
      await call(bo.socket, 'agent:status', { status: 'away' })
      const { shopper, conversationId } = await shopperAsksForPerson(relay)
      expect((await stored(relay, conversationId)).status).toBe('queued')

      // Bo coming back (routing gives him the queue's next) and Ada's Take over, at once, sent in
      // alternating order so each side sometimes gets to the store first.
      const back = () => call(bo.socket, 'agent:status', { status: 'online' })
      const takeOver = () =>
        request<{ conversation: ConversationSummary }>(ada, 'conversation:claim', { conversationId })
      const claim =
        round % 2 === 0
          ? (await Promise.all([back(), takeOver()]))[1]
          : (await Promise.all([takeOver(), back()]))[0]
      await relay.app.parley.helpdesk.routing?.settled()

      const conversation = await stored(relay, conversationId)
      const events = await relay.app.parley.store.listEvents(conversationId)
      expect(events.filter((e) => e.type === 'assigned')).toHaveLength(1)
      if (claim.ok) expect(conversation.assigneeName).toBe('Ada')
      else
        expect(claim).toMatchObject({
          ok: false,
          error: { code: 'already_assigned', details: { assigneeName: 'Bo' } },
        })
      const messages = await relay.app.parley.store.listMessages(conversationId)
      expect(messages.filter((m) => m.author === 'system' && /joined/.test(m.text))).toEqual([
        expect.objectContaining({ text: `${conversation.assigneeName} joined the conversation` }),
      ])
      shopper.close()
    }
    // Routing's count of Bo's conversations is the store's.
    const assigned = await relay.app.parley.store.listConversations({
      siteIds: ['demo'],
      statuses: ['assigned'],
    })
    expect(relay.app.parley.helpdesk.load.load(bo.agent.id)).toBe(
      assigned.filter((c) => c.assigneeId === bo.agent.id).length,
    )
  })
})
