/**
 * Presence and reassignment through a real relay: online / away / offline from console sockets,
 * `agent:presence` pushes, reassigning when an assignee's last tab closes or they do not answer.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { AgentSummary } from '../../shared/helpdesk.ts'
import type { WidgetConversation } from '../../shared/protocol.ts'
import {
  agentOnline,
  fakeClock,
  openConsole,
  PASSWORD,
  shopperAsksForPerson,
  stored,
} from '../support/helpdesk.ts'
import { call, clientId, login, request, startRelay, type TestRelay, waitFor } from '../support/relay.ts'

let relay: TestRelay | undefined
afterEach(async () => {
  await relay?.close()
  relay = undefined
})

/** Waits until the relay has seen `count` console sockets (a closed tab is noticed asynchronously). */
async function consoleSockets(r: TestRelay, count: number): Promise<void> {
  await expect.poll(() => r.app.parley.io.of('/console').sockets.size).toBe(count)
}

describe('presence', () => {
  it('is online with any console open, away when chosen, offline once the last tab has closed; colleagues hear each change', async () => {
    relay = await startRelay({}, { helpdesk: { offlineGraceMs: 20 } })
    const watcher = await agentOnline(relay, { email: 'wes@example.com', name: 'Wes' })
    const ada = await agentOnline(relay, {
      email: 'ada@example.com',
      name: 'Ada',
      skills: ['billing'],
      capacity: 3,
    })
    const { presence } = relay.app.parley.helpdesk
    expect(presence.presenceOf(ada.agent.id)).toBe('online')

    const away = waitFor<AgentSummary>(
      watcher.socket,
      'agent:presence',
      (a) => a.id === ada.agent.id && a.presence === 'away',
    )
    const ack = await call<{ agent: AgentSummary }>(ada.socket, 'agent:status', { status: 'away' })
    expect(ack.agent).toMatchObject({
      id: ada.agent.id,
      presence: 'away',
      skills: ['billing'],
      capacity: 3,
      load: 0,
    })
    expect(await away).toMatchObject({ name: 'Ada', skills: ['billing'] })
    expect(await request(ada.socket, 'agent:status', { status: 'busy' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload' },
    })

    // A second tab keeps the chosen status; closing one of two changes nothing.
    const second = await openConsole(relay, 'ada@example.com')
    expect(presence.presenceOf(ada.agent.id)).toBe('away')
    ada.socket.close()
    await consoleSockets(relay, 2)
    expect(presence.presenceOf(ada.agent.id)).toBe('away')

    const offline = waitFor<AgentSummary>(watcher.socket, 'agent:presence', (a) => a.presence === 'offline')
    second.close()
    expect(await offline).toMatchObject({ id: ada.agent.id, presence: 'offline' })

    // Back later: online again, whatever was chosen before.
    const back = await openConsole(relay, 'ada@example.com')
    expect(presence.presenceOf(ada.agent.id)).toBe('online')
    back.close()
    watcher.socket.close()
  })

  it('an away agent keeps their conversations but gets nothing new; back online, they take what waits', async () => {
    relay = await startRelay()
    const ada = await agentOnline(relay, { email: 'ada@example.com', name: 'Ada', capacity: 3 })
    const first = await shopperAsksForPerson(relay)
    expect((await stored(relay, first.conversationId)).assigneeName).toBe('Ada')

    await call(ada.socket, 'agent:status', { status: 'away' })
    const second = await shopperAsksForPerson(relay)
    expect((await stored(relay, second.conversationId)).status).toBe('queued')
    expect((await stored(relay, first.conversationId)).assigneeName).toBe('Ada')

    const summary = await call<{ agent: AgentSummary }>(ada.socket, 'agent:status', { status: 'online' })
    expect(summary.agent.presence).toBe('online')
    await relay.app.parley.helpdesk.routing?.settled()
    expect((await stored(relay, second.conversationId)).assigneeName).toBe('Ada')
    expect(relay.app.parley.helpdesk.presence.summarize(ada.agent)).toMatchObject({ load: 2 })
  })
})

describe('reassignment', () => {
  it('sends an assignee’s conversations back to the queue and on to a colleague when their last console closes', async () => {
    relay = await startRelay({}, { helpdesk: { offlineGraceMs: 20 } })
    const ada = await agentOnline(relay, { email: 'ada@example.com', name: 'Ada', capacity: 2 })
    const tab = await openConsole(relay, 'ada@example.com')
    const { shopper, conversationId } = await shopperAsksForPerson(relay)
    expect((await stored(relay, conversationId)).assigneeName).toBe('Ada')
    const bo = await agentOnline(relay, { email: 'bo@example.com', name: 'Bo', capacity: 2 })

    // One of Ada's two tabs closes: still hers.
    tab.close()
    await consoleSockets(relay, 2)
    expect((await stored(relay, conversationId)).assigneeName).toBe('Ada')

    const toBo = waitFor<WidgetConversation>(shopper, 'conversation:updated', (c) => c.assigneeName === 'Bo')
    ada.socket.close()
    await toBo
    const events = await relay.app.parley.store.listEvents(conversationId)
    const unassigned = events.filter((e) => e.type === 'unassigned')
    expect(unassigned).toEqual([
      expect.objectContaining({
        actor: { kind: 'system', id: null },
        data: expect.objectContaining({ reason: 'assignee_offline', previousAssigneeId: ada.agent.id }),
      }),
    ])
    expect(relay.app.parley.helpdesk.load.load(ada.agent.id)).toBe(0)
    expect(relay.app.parley.helpdesk.load.load(bo.agent.id)).toBe(1)
    bo.socket.close()
  })

  it('a page reload within the grace period keeps the conversation with its assignee', async () => {
    relay = await startRelay({}, { helpdesk: { offlineGraceMs: 60_000 } })
    const ada = await agentOnline(relay, { email: 'ada@example.com', name: 'Ada', capacity: 2 })
    const { conversationId } = await shopperAsksForPerson(relay)
    await agentOnline(relay, { email: 'bo@example.com', name: 'Bo', capacity: 2 })
    ada.socket.close()
    await consoleSockets(relay, 1)
    const reloaded = await openConsole(relay, 'ada@example.com')
    await relay.app.parley.helpdesk.routing?.settled()
    expect(relay.app.parley.helpdesk.presence.presenceOf(ada.agent.id)).toBe('online')
    expect((await stored(relay, conversationId)).assigneeName).toBe('Ada')
    reloaded.close()
  })

  it('takes a conversation from an assignee who has not answered within reassignAfterMs and gives it to a colleague, on the tick', async () => {
    const clock = fakeClock('2026-01-19T10:00:00.000Z')
    // A real, short tick: the deadline is noticed without anyone calling it.
    relay = await startRelay({}, { now: clock.now, helpdesk: { tickMs: 20 } })
    const admin = await relay.addAgent({ email: 'root@example.com', name: 'Root', role: 'admin' })
    const cookie = await login(relay.url, admin.email, PASSWORD)
    const put = await relay.app.inject({
      method: 'PUT',
      url: '/api/sites/demo/helpdesk',
      headers: { cookie },
      payload: { reassignAfterMs: 5 * 60_000 },
    })
    expect(put.statusCode).toBe(200)

    const ada = await agentOnline(relay, { email: 'ada@example.com', name: 'Ada', capacity: 2 })
    const silent = await shopperAsksForPerson(relay)
    const answered = await shopperAsksForPerson(relay)
    expect((await stored(relay, silent.conversationId)).assigneeName).toBe('Ada')
    expect((await stored(relay, answered.conversationId)).assigneeName).toBe('Ada')
    await call(ada.socket, 'message:send', {
      conversationId: answered.conversationId,
      clientId: clientId(),
      text: 'Hi, looking into it now.',
    })
    const bo = await agentOnline(relay, { email: 'bo@example.com', name: 'Bo', capacity: 2 })

    // Four minutes: not yet.
    clock.advance(4 * 60_000)
    await relay.app.parley.helpdesk.tick()
    expect((await stored(relay, silent.conversationId)).assigneeName).toBe('Ada')

    const toBo = waitFor<WidgetConversation>(
      silent.shopper,
      'conversation:updated',
      (c) => c.assigneeName === 'Bo',
    )
    clock.advance(2 * 60_000)
    await toBo
    const events = await relay.app.parley.store.listEvents(silent.conversationId)
    expect(events.filter((e) => e.type === 'unassigned')).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({ reason: 'no_answer', previousAssigneeId: ada.agent.id }),
      }),
    ])
    // The one Ada answered stays hers; the one she let wait is not offered back to her.
    await relay.app.parley.helpdesk.tick()
    expect((await stored(relay, answered.conversationId)).assigneeName).toBe('Ada')
    expect((await stored(relay, silent.conversationId)).assigneeId).toBe(bo.agent.id)
  })
})
