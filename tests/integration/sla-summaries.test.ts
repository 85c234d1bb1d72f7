/**
 * SLAs through a real relay with a fake clock: due times in summaries (business hours from the site's
 * settings), breach events recorded once, warnings to the assignee or the site, and a first-response
 * clock that only an agent's reply to the customer stops.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { AgentNotification } from '../../shared/helpdesk.ts'
import type { ConversationDetail, ConversationSummary, SlaSummary } from '../../shared/protocol.ts'
import { agentOnline, fakeClock, PASSWORD, shopperAsksForPerson } from '../support/helpdesk.ts'
import { call, clientId, login, record, startRelay, type TestRelay, waitFor } from '../support/relay.ts'

let relay: TestRelay | undefined
afterEach(async () => {
  await relay?.close()
  relay = undefined
})

const weekdays = { start: '09:00', end: '17:00' }
const BERLIN_OFFICE = {
  timeZone: 'Europe/Berlin',
  weekly: { mon: [weekdays], tue: [weekdays], wed: [weekdays], thu: [weekdays], fri: [weekdays] },
}

async function putSettings(r: TestRelay, cookie: string, payload: object) {
  const res = await r.app.inject({
    method: 'PUT',
    url: '/api/sites/demo/helpdesk',
    headers: { cookie },
    payload,
  })
  expect(res.statusCode, res.body).toBe(200)
}

async function inboxSla(
  socket: Parameters<typeof call>[0],
  conversationId: string,
): Promise<SlaSummary | null> {
  const { conversations } = await call<{ conversations: ConversationSummary[] }>(socket, 'inbox:list', {
    filter: 'open',
  })
  const found = conversations.find((c) => c.id === conversationId)
  if (!found) throw new Error('not in the inbox')
  return found.sla ?? null
}

describe('SLA due times', () => {
  it('summaries carry due times counted in the site’s business hours, holidays included', async () => {
    // Friday 16:59 in Berlin: one minute of the chat's two is left this week.
    const clock = fakeClock('2026-01-16T15:59:00.000Z')
    relay = await startRelay({}, { now: clock.now })
    const admin = await relay.addAgent({ email: 'root@example.com', name: 'Root', role: 'admin' })
    const cookie = await login(relay.url, admin.email, PASSWORD)
    await putSettings(relay, cookie, { businessHours: { site: BERLIN_OFFICE } })

    // Sam has no capacity set: the conversation stays queued for him to see.
    const sam = await agentOnline(relay, { email: 'sam@example.com', name: 'Sam' })
    const upserts = record<ConversationSummary>(sam.socket, 'conversation:upserted')
    const { conversationId } = await shopperAsksForPerson(relay)

    const expected = {
      firstResponseDue: '2026-01-19T08:01:00.000Z',
      resolutionDue: '2026-01-19T08:59:00.000Z',
      dueAt: '2026-01-19T08:01:00.000Z',
      firstResponseAt: null,
      state: 'ok',
      timeLeftMs: 120_000,
    }
    expect(await inboxSla(sam.socket, conversationId)).toEqual(expected)
    // The live push of the handoff carries it too; while the bot had it there was none.
    await expect
      .poll(() => upserts.filter((u) => u.id === conversationId && u.status === 'queued').at(-1)?.sla)
      .toEqual(expected)
    expect(upserts.find((u) => u.id === conversationId && u.status === 'bot')?.sla).toBeNull()

    // Monday becomes a holiday: the same conversation is now due on Tuesday morning.
    await putSettings(relay, cookie, {
      businessHours: { site: { ...BERLIN_OFFICE, holidays: [{ date: '2026-01-19' }] } },
    })
    expect(await inboxSla(sam.socket, conversationId)).toMatchObject({
      firstResponseDue: '2026-01-20T08:01:00.000Z',
      resolutionDue: '2026-01-20T08:59:00.000Z',
    })
    // Past 17:00 the clock stands still: still a minute left on Saturday.
    clock.set('2026-01-17T12:00:00.000Z')
    expect(await inboxSla(sam.socket, conversationId)).toMatchObject({ state: 'ok', timeLeftMs: 60_000 })
  })
})

describe('SLA breaches', () => {
  it('warns before the first response is due, records the breach once as an sla_breached event and tells the assignee, or the site while unassigned', async () => {
    const clock = fakeClock('2026-01-19T10:00:00.000Z')
    relay = await startRelay({}, { now: clock.now })
    const ada = await agentOnline(relay, { email: 'ada@example.com', name: 'Ada', capacity: 1 })
    const watcher = await agentOnline(relay, { email: 'wes@example.com', name: 'Wes' })
    const adaNotices = record<AgentNotification>(ada.socket, 'notification')
    const wesNotices = record<AgentNotification>(watcher.socket, 'notification')
    const upserts = record<ConversationSummary>(watcher.socket, 'conversation:upserted')
    const mine = await shopperAsksForPerson(relay)
    // Ada is full: this one waits in the queue.
    const queued = await shopperAsksForPerson(relay)
    const { store, helpdesk } = relay.app.parley
    expect((await store.getConversation(mine.conversationId))?.assigneeName).toBe('Ada')
    expect((await store.getConversation(queued.conversationId))?.status).toBe('queued')

    // 100 s of 120: less than a fifth left.
    clock.advance(100_000)
    await helpdesk.tick()
    await expect
      .poll(() => upserts.filter((u) => u.id === mine.conversationId).at(-1)?.sla?.state)
      .toBe('near_breach')
    await expect
      .poll(() => adaNotices.filter((n) => n.kind === 'sla_near_breach').map((n) => n.conversationId))
      .toContain(mine.conversationId)

    clock.advance(30_000)
    await helpdesk.tick()
    await helpdesk.tick()
    await helpdesk.tick()
    await expect
      .poll(() => upserts.filter((u) => u.id === mine.conversationId).at(-1)?.sla?.state)
      .toBe('breached')
    for (const { conversationId } of [mine, queued]) {
      const breaches = (await store.listEvents(conversationId)).filter((e) => e.type === 'sla_breached')
      expect(breaches).toEqual([
        expect.objectContaining({
          actor: { kind: 'system', id: null },
          data: expect.objectContaining({
            breach: 'first_response_breached',
            dueAt: '2026-01-19T10:02:00.000Z',
            startedAt: '2026-01-19T10:00:00.000Z',
            targetMs: 120_000,
            channel: 'web',
          }),
        }),
      ])
    }
    const breachedFor = (notices: AgentNotification[]) =>
      notices.filter((n) => n.kind === 'sla_breached').map((n) => n.conversationId)
    // Ada hears of hers (her own room) and of the unassigned one (the site's room); Wes only of the latter.
    await expect
      .poll(() => breachedFor(adaNotices).sort())
      .toEqual([mine.conversationId, queued.conversationId].sort())
    expect(breachedFor(wesNotices)).toEqual([queued.conversationId])

    // Later ticks record and announce nothing again.
    clock.advance(10_000)
    await helpdesk.tick()
    expect(
      (await store.listEvents(mine.conversationId)).filter((e) => e.type === 'sla_breached'),
    ).toHaveLength(1)
    expect(breachedFor(adaNotices)).toHaveLength(2)
  })
})

describe('the first-response clock', () => {
  it('ignores the bot’s replies, system messages and internal notes, and stops at the agent’s first reply', async () => {
    const clock = fakeClock('2026-01-19T10:00:00.000Z')
    relay = await startRelay({}, { now: clock.now })
    const sam = await agentOnline(relay, { email: 'sam@example.com', name: 'Sam' })
    const { conversationId } = await shopperAsksForPerson(relay)
    const open = async () =>
      (await call<ConversationDetail>(sam.socket, 'conversation:open', { conversationId })).conversation.sla

    // The bot greeted, answered and handed off: none of that is a human's first response.
    expect(await open()).toMatchObject({ firstResponseAt: null, dueAt: '2026-01-19T10:02:00.000Z' })

    clock.advance(10_000)
    await call(sam.socket, 'conversation:claim', { conversationId })
    clock.advance(10_000)
    await call(sam.socket, 'note:add', {
      conversationId,
      clientId: clientId(),
      text: 'Checking the order first',
    })
    expect(await open()).toMatchObject({ firstResponseAt: null, state: 'ok' })

    clock.advance(20_000)
    const answered = waitFor<ConversationSummary>(
      sam.socket,
      'conversation:upserted',
      (u) =>
        u.id === conversationId && u.sla?.firstResponseAt !== null && u.sla?.firstResponseAt !== undefined,
    )
    await call(sam.socket, 'message:send', { conversationId, clientId: clientId(), text: 'Hi, I am on it.' })
    const pushed = await answered
    const stopped = {
      firstResponseAt: '2026-01-19T10:00:40.000Z',
      state: 'ok',
      // The running clock now is the resolution's.
      dueAt: '2026-01-19T11:00:00.000Z',
    }
    expect(pushed.sla).toMatchObject(stopped)
    expect(await open()).toMatchObject(stopped)

    // Resolved in time: both clocks met.
    clock.advance(60_000)
    const resolved = await call<{ conversation: ConversationSummary }>(sam.socket, 'conversation:resolve', {
      conversationId,
    })
    expect(resolved.conversation.sla).toMatchObject({
      state: 'met',
      dueAt: null,
      firstResponseAt: stopped.firstResponseAt,
    })
  })
})
