import { describe, expect, it } from 'vitest'
import type { CustomerProfile } from '../../../shared/customers.ts'
import type { AgentProfile, ConversationSummary } from '../../../shared/protocol.ts'
import { createController } from './controller.ts'
import { createStore } from './store.ts'
import { ana, bo, message, summary } from './test-support.ts'
import type { AuthApi, Reply, RequestName, SocketTransport, TransportSink } from './transport.ts'

type Handler = (payload: never) => Reply<unknown>

/** A socket transport that answers from a table and records what was asked, in order. */
function fakeSocket(handlers: Partial<Record<RequestName, Handler>>) {
  const calls: { event: RequestName; payload: unknown }[] = []
  let sink: TransportSink | null = null
  let connects = 0
  const open = (s: TransportSink): SocketTransport => {
    sink = s
    return {
      connect: () => {
        connects += 1
      },
      disconnect: () => {},
      request: async (event, payload) => {
        calls.push({ event, payload })
        const handler = handlers[event]
        if (!handler)
          return { ok: false, error: { code: 'internal_error', message: `no handler for ${event}` } }
        return handler(payload as never) as never
      },
    }
  }
  return {
    open,
    calls,
    connects: () => connects,
    sink: () => {
      if (!sink) throw new Error('socket not opened')
      return sink
    },
  }
}

function fakeAuth(agent: AgentProfile | null): AuthApi & { logins: number } {
  const api = {
    logins: 0,
    me: async (): Promise<Reply<{ agent: AgentProfile }>> =>
      agent
        ? { ok: true, data: { agent } }
        : { ok: false, error: { code: 'unauthorized', message: 'no session' } },
    login: async () => {
      api.logins += 1
      return agent
        ? { ok: true as const, data: { agent } }
        : { ok: false as const, error: { code: 'unauthorized' as const, message: 'bad credentials' } }
    },
    logout: async () => ({ ok: true as const, data: null }),
  }
  return api
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0))

function customerWith(id: string, conversations: ConversationSummary[]): CustomerProfile {
  return {
    id,
    siteId: 'demo',
    name: null,
    email: null,
    emailVerified: false,
    phone: null,
    vip: false,
    lifetimeValue: null,
    createdAt: '2025-01-01T00:00:00.000Z',
    identities: [],
    conversations,
  }
}

const counts = { mine: 0, unassigned: 1, open: 1, bot: 0, resolved: 0, all: 1 }

function setup(
  handlers: Partial<Record<RequestName, Handler>> = {},
  agent: AgentProfile | null = ana,
  extra: Partial<Parameters<typeof createController>[0]> = {},
) {
  const store = createStore()
  const socket = fakeSocket({
    'inbox:query': () => ({
      ok: true,
      data: { conversations: [summary('c1', { status: 'queued' })], counts },
    }),
    'inbox:list': () => ({ ok: true, data: { conversations: [summary('c1', { status: 'queued' })] } }),
    'conversation:open': () => ({
      ok: true,
      data: { conversation: summary('c1', { status: 'queued' }), messages: [message('c1', 1)], events: [] },
    }),
    'conversation:close': () => ({ ok: true, data: null }),
    'conversation:viewing': (p: { conversationId: string }) => ({
      ok: true,
      data: { conversationId: p.conversationId, viewers: [{ id: bo.id, name: bo.name }] },
    }),
    'agents:list': () => ({ ok: true, data: { agents: [], teams: [] } }),
    'macro:list': () => ({ ok: true, data: { macros: [] } }),
    'customer:get': (p: { contactId: string }) => ({
      ok: true,
      data: { customer: customerWith(p.contactId, [summary('c1', { status: 'queued' })]) },
    }),
    ...handlers,
  })
  const auth = fakeAuth(agent)
  let n = 0
  let ms = 0
  const rung: unknown[] = []
  const controller = createController({
    store,
    auth,
    openSocket: socket.open,
    newClientId: () => `client_${String(++n).padStart(4, '0')}`,
    now: () => '2025-01-01T12:00:00.000Z',
    clock: () => ms,
    alerts: { ring: (a) => rung.push(a) },
    requeryDelayMs: 0,
    ...extra,
  })
  return { store, socket, auth, controller, rung, tick: (by: number) => (ms += by) }
}

async function connected(
  routeId: string | null = 'c1',
  handlers: Partial<Record<RequestName, Handler>> = {},
) {
  const ctx = setup(handlers)
  await ctx.controller.start(routeId)
  ctx.socket.sink().connected()
  await flush()
  return ctx
}

const events = (calls: { event: RequestName }[]) => calls.map((c) => c.event)

describe('controller', () => {
  it('resumes an existing session, lists the inbox and opens the routed conversation on connect', async () => {
    const { store, socket, controller } = setup()
    await controller.start('c1')
    expect(store.getState().auth).toMatchObject({ status: 'signed_in', agent: { name: 'Ana Agent' } })
    expect(socket.connects()).toBe(1)
    socket.sink().connected()
    await flush()
    expect(socket.calls.map((c) => c.event).sort()).toEqual(
      [
        'agents:list',
        'conversation:open',
        'conversation:viewing',
        'customer:get',
        'inbox:query',
        'macro:list',
      ].sort(),
    )
    expect(socket.calls[0]).toEqual({ event: 'inbox:query', payload: { view: 'open' } })
    expect(store.getState().current?.messages.map((m) => m.seq)).toEqual([1])
    expect(store.getState().inbox.counts).toEqual(counts)
  })

  it('re-lists the inbox and re-opens the conversation after a reconnect, merging by seq', async () => {
    let served = [message('c1', 1)]
    const { store, socket, controller } = setup({
      'conversation:open': () => ({
        ok: true,
        data: { conversation: summary('c1', { status: 'queued' }), messages: served, events: [] },
      }),
    })
    await controller.start('c1')
    socket.sink().connected()
    await flush()
    socket.sink().disconnected('network')
    expect(store.getState().connection.status).toBe('disconnected')
    served = [message('c1', 1), message('c1', 2), message('c1', 3)]
    socket.sink().connected()
    await flush()
    expect(socket.calls.filter((c) => c.event === 'conversation:open')).toHaveLength(2)
    expect(socket.calls.filter((c) => c.event === 'conversation:viewing')).toHaveLength(2)
    expect(store.getState().current?.messages.map((m) => m.seq)).toEqual([1, 2, 3])
    expect(store.getState().connection.status).toBe('connected')
  })

  it('shows who owns a conversation when a take-over is refused', async () => {
    const { store, socket, controller } = setup({
      'conversation:claim': () => ({
        ok: false,
        error: { code: 'already_assigned', message: 'already assigned', details: { assigneeName: bo.name } },
      }),
    })
    await controller.start('c1')
    socket.sink().connected()
    await flush()
    await controller.claim()
    expect(socket.calls.at(-1)).toEqual({ event: 'conversation:claim', payload: { conversationId: 'c1' } })
    expect(store.getState().current?.notice).toMatchObject({
      code: 'already_assigned',
      details: { assigneeName: 'Bo Agent' },
    })
  })

  it('records the new owner when a take-over succeeds', async () => {
    const claimed = summary('c1', {
      status: 'assigned',
      assignee: { id: ana.id, name: ana.name },
      updatedAt: '2025-01-01T11:00:00.000Z',
    })
    const { store, socket, controller } = setup({
      'conversation:claim': () => ({ ok: true, data: { conversation: claimed } }),
    })
    await controller.start('c1')
    socket.sink().connected()
    await flush()
    await controller.claim()
    expect(events(socket.calls).slice(-2)).toEqual(['conversation:claim', 'conversation:open'])
    expect(store.getState().inbox.byId.c1).toMatchObject({ status: 'assigned', assignee: { id: ana.id } })
    expect(store.getState().current?.notice).toBeNull()
  })

  it('rates the effort of the open conversation, then re-opens it for the new event', async () => {
    const resolution = { at: '2025-01-01T11:00:00.000Z', agentId: ana.id }
    const rated = summary('c1', {
      status: 'resolved',
      resolution: { ...resolution, effort: { score: 2, agentId: ana.id, at: '2025-01-01T11:01:00.000Z' } },
    })
    const { store, socket, controller } = await connected('c1', {
      'effort:rate': () => ({ ok: true, data: { conversation: rated } }),
      'conversation:open': () => ({ ok: true, data: { conversation: rated, messages: [], events: [] } }),
    })
    await controller.rateEffort(2)
    expect(socket.calls.at(-2)).toEqual({ event: 'effort:rate', payload: { conversationId: 'c1', score: 2 } })
    expect(socket.calls.at(-1)?.event).toBe('conversation:open')
    expect(store.getState().inbox.byId.c1?.resolution?.effort?.score).toBe(2)
    expect(store.getState().current?.busy).toBeNull()
  })

  it("re-opens the open conversation when a pushed summary brings the shopper's rating", async () => {
    const resolution = { at: '2025-01-01T11:00:00.000Z', agentId: ana.id }
    let served = summary('c1', { status: 'resolved', resolution })
    const { socket } = await connected('c1', {
      'conversation:open': () => ({ ok: true, data: { conversation: served, messages: [], events: [] } }),
      'inbox:query': () => ({ ok: true, data: { conversations: [served], counts } }),
    })
    const opens = () => events(socket.calls).filter((e) => e === 'conversation:open').length
    const before = opens()
    served = {
      ...served,
      resolution: { ...resolution, csat: { score: 5, comment: null, at: resolution.at } },
    }
    socket.sink().conversationUpserted(served)
    await flush()
    expect(opens()).toBe(before + 1)
    // The same rating pushed again is nothing new.
    socket.sink().conversationUpserted(served)
    await flush()
    expect(opens()).toBe(before + 1)
  })

  it('sends a trimmed reply with a protocol-valid client id and shows the acked message once', async () => {
    const { store, socket, controller } = setup({
      'message:send': (p: { conversationId: string; clientId: string; text: string }) => ({
        ok: true,
        data: {
          message: message(p.conversationId, 2, { author: 'agent', clientId: p.clientId, text: p.text }),
        },
      }),
    })
    await controller.start('c1')
    socket.sink().connected()
    await flush()
    expect(await controller.send('   ')).toBe(false)
    expect(await controller.send('  Happy to help!\n')).toBe(true)
    const sent = socket.calls.at(-1)?.payload as { clientId: string; text: string }
    expect(sent.text).toBe('Happy to help!')
    expect(sent.clientId).toMatch(/^[A-Za-z0-9_-]{8,64}$/)
    const current = store.getState().current
    expect(current?.outbox).toEqual([])
    expect(current?.messages.map((m) => m.text)).toEqual(['message 1', 'Happy to help!'])
  })

  it('retries a failed reply with the same client id so the relay stores it once', async () => {
    let attempts = 0
    const { store, socket, controller } = setup({
      'message:send': (p: { conversationId: string; clientId: string; text: string }) =>
        ++attempts === 1
          ? { ok: false, error: { code: 'timeout', message: 'timed out' } }
          : {
              ok: true,
              data: { message: message('c1', 2, { author: 'agent', clientId: p.clientId, text: p.text }) },
            },
    })
    await controller.start('c1')
    socket.sink().connected()
    await flush()
    await controller.send('Hello')
    expect(store.getState().current?.outbox).toMatchObject([{ clientId: 'client_0001', state: 'failed' }])
    await controller.retry('client_0001')
    const sends = socket.calls.filter((c) => c.event === 'message:send').map((c) => c.payload)
    expect(sends).toEqual([
      { conversationId: 'c1', clientId: 'client_0001', text: 'Hello' },
      { conversationId: 'c1', clientId: 'client_0001', text: 'Hello' },
    ])
    expect(store.getState().current?.outbox).toEqual([])
  })

  it('closes the previous conversation when the route moves to another', async () => {
    const { socket, controller } = setup()
    await controller.start('c1')
    socket.sink().connected()
    await flush()
    const before = socket.calls.length
    await controller.route('c2')
    expect(socket.calls.slice(before, before + 4).map((c) => [c.event, c.payload])).toEqual([
      ['conversation:viewing', { conversationId: 'c1', viewing: false }],
      ['conversation:close', { conversationId: 'c1' }],
      ['conversation:open', { conversationId: 'c2' }],
      ['conversation:viewing', { conversationId: 'c2', viewing: true }],
    ])
  })

  it('queries the chosen view with its filters', async () => {
    const { socket, controller, store } = setup()
    await controller.start(null)
    socket.sink().connected()
    await flush()
    await controller.selectView('mine')
    expect(socket.calls.at(-1)).toEqual({ event: 'inbox:query', payload: { view: 'mine' } })
    await controller.setFilters({ channel: 'email', tag: 'vip' })
    expect(socket.calls.at(-1)).toEqual({
      event: 'inbox:query',
      payload: { view: 'mine', channel: 'email', tag: 'vip' },
    })
    expect(store.getState().inbox.view).toBe('mine')
  })

  it('returns to the sign-in page when the relay refuses the socket as unauthorized', async () => {
    const { store, socket, controller } = setup()
    await controller.start(null)
    socket.sink().connectFailed({ code: 'unauthorized', message: 'unauthorized' }, false)
    expect(store.getState().auth).toMatchObject({ status: 'signed_out', errorSource: 'session' })
  })

  it('stays signed in and shows the banner while socket.io retries a network failure', async () => {
    const { store, socket, controller } = setup()
    await controller.start(null)
    socket.sink().connectFailed({ code: 'network_error', message: 'xhr poll error' }, true)
    expect(store.getState().auth.status).toBe('signed_in')
    expect(store.getState().connection.status).toBe('disconnected')
  })

  it('refuses an empty sign-in without asking the relay, and reports a wrong password', async () => {
    const { store, auth, controller } = setup({}, null)
    await controller.start(null)
    expect(store.getState().auth).toMatchObject({ status: 'signed_out', error: null })
    await controller.signIn(' ', '')
    expect(auth.logins).toBe(0)
    expect(store.getState().auth.error?.code).toBe('invalid_payload')
    await controller.signIn('ana@example.com', 'wrong')
    expect(auth.logins).toBe(1)
    expect(store.getState().auth).toMatchObject({
      status: 'signed_out',
      errorSource: 'signIn',
      error: { code: 'unauthorized' },
    })
  })
})

describe('helpdesk intents', () => {
  it('falls back to inbox:list for a relay that never answers inbox:query', async () => {
    const { socket, store } = await connected(null, {
      'inbox:query': () => ({ ok: false, error: { code: 'timeout', message: 'timed out' } }),
      'inbox:list': () => ({
        ok: true,
        data: { conversations: [summary('q', { status: 'queued' }), summary('b', { status: 'bot' })] },
      }),
    })
    expect(socket.calls.find((c) => c.event === 'inbox:list')?.payload).toEqual({ filter: 'open' })
    const { inbox } = store.getState()
    expect(inbox.order).toEqual(['b', 'q'])
    expect(inbox.counts).toBeNull()
  })

  it('shows who else is viewing as soon as the conversation opens', async () => {
    const { store } = await connected('c1')
    expect(store.getState().helpdesk.viewers.c1).toEqual([{ id: bo.id, name: bo.name }])
  })

  it('sends a note with note:add, never message:send', async () => {
    const { socket, controller, store } = await connected('c1', {
      'note:add': (p: { conversationId: string; clientId: string; text: string }) => ({
        ok: true,
        data: {
          message: message('c1', 2, { author: 'agent', clientId: p.clientId, text: p.text, internal: true }),
        },
      }),
    })
    await controller.send('Checked the warehouse', { internal: true })
    expect(socket.calls.at(-1)).toEqual({
      event: 'note:add',
      payload: { conversationId: 'c1', clientId: 'client_0001', text: 'Checked the warehouse' },
    })
    expect(events(socket.calls)).not.toContain('message:send')
    expect(store.getState().current?.messages.at(-1)).toMatchObject({ internal: true })
  })

  it('applies a macro’s tags and priority after the reply went through, then resolves', async () => {
    const owned = summary('c1', {
      status: 'assigned',
      assignee: { id: ana.id, name: ana.name },
      tags: ['shipping'],
    })
    const { socket, controller } = await connected('c1', {
      'conversation:open': () => ({ ok: true, data: { conversation: owned, messages: [], events: [] } }),
      'message:send': (p: { conversationId: string; clientId: string; text: string }) => ({
        ok: true,
        data: { message: message('c1', 2, { author: 'agent', clientId: p.clientId, text: p.text }) },
      }),
      'conversation:update': (p: { conversationId: string }) => ({
        ok: true,
        data: { conversation: { ...owned, ...p, updatedAt: '2025-01-01T10:01:00.000Z' } },
      }),
      'conversation:resolve': () => ({
        ok: true,
        data: { conversation: { ...owned, status: 'resolved', updatedAt: '2025-01-01T10:02:00.000Z' } },
      }),
    })
    await controller.send('Refund issued.', {
      actions: { tags: ['refund'], priority: 'high', resolve: true },
    })
    const after = socket.calls.slice(socket.calls.findIndex((c) => c.event === 'message:send'))
    expect(after.map((c) => c.event)).toEqual([
      'message:send',
      'conversation:update',
      'conversation:resolve',
      'conversation:open',
    ])
    expect(after[1]?.payload).toEqual({
      conversationId: 'c1',
      tags: ['shipping', 'refund'],
      priority: 'high',
    })
  })

  it('does not apply a macro’s actions when the reply was refused', async () => {
    const { socket, controller } = await connected('c1', {
      'message:send': () => ({ ok: false, error: { code: 'not_assignee', message: 'not yours' } }),
    })
    await controller.send('Refund issued.', { actions: { tags: ['refund'], resolve: true } })
    expect(events(socket.calls)).not.toContain('conversation:update')
    expect(events(socket.calls)).not.toContain('conversation:resolve')
  })

  it('transfers with a note, and unassigns with both targets null', async () => {
    const moved = summary('c1', {
      status: 'queued',
      teamId: 'billing',
      updatedAt: '2025-01-01T10:05:00.000Z',
    })
    const { socket, controller, store } = await connected('c1', {
      'conversation:assign': () => ({ ok: true, data: { conversation: moved } }),
    })
    expect(await controller.assign({ teamId: 'billing', note: '  Needs a refund over the limit ' })).toBe(
      true,
    )
    expect(socket.calls.at(-1)).toEqual({
      event: 'conversation:assign',
      payload: { conversationId: 'c1', teamId: 'billing', note: 'Needs a refund over the limit' },
    })
    expect(store.getState().inbox.byId.c1?.teamId).toBe('billing')
    await controller.unassign()
    expect(socket.calls.at(-1)?.payload).toEqual({ conversationId: 'c1', agentId: null, teamId: null })
  })

  it('says "typing" at most every couple of seconds while the agent types', async () => {
    const { socket, controller, tick } = await connected('c1', {
      'conversation:typing': () => ({ ok: true, data: null }),
    })
    controller.typing(false)
    tick(1000)
    controller.typing(false)
    tick(2000)
    controller.typing(false)
    controller.typing(true)
    expect(socket.calls.filter((c) => c.event === 'conversation:typing').map((c) => c.payload)).toEqual([
      { conversationId: 'c1', internal: false },
      { conversationId: 'c1', internal: false },
      { conversationId: 'c1', internal: true },
    ])
  })

  it('rings for a relay notification once, and never when the agent turned alerts off', async () => {
    const { socket, controller, rung } = await connected(null)
    const n = { kind: 'assigned' as const, conversationId: 'c9', text: 'Assigned to you' }
    socket.sink().notification(n)
    socket.sink().notification(n)
    expect(rung).toEqual([n])
    controller.setAlerts(false)
    socket.sink().notification({ ...n, conversationId: 'c8' })
    expect(rung).toHaveLength(1)
  })

  it('rings when the shopper writes again in one’s own conversation that is not on screen', async () => {
    const { socket, store, rung } = await connected(null)
    const mine = summary('c7', { status: 'assigned', assignee: { id: ana.id, name: ana.name }, lastSeq: 2 })
    socket.sink().conversationUpserted(mine)
    socket
      .sink()
      .conversationUpserted({ ...mine, lastSeq: 3, preview: 'Any news?', updatedAt: '2025-01-01T11:00:00Z' })
    expect(rung).toEqual([{ kind: 'message', conversationId: 'c7', text: 'Any news?' }])
    expect(store.getState().inbox.byId.c7?.preview).toBe('Any news?')
  })

  it('asks the relay for the queue order again after a push into the shown view', async () => {
    const { socket } = await connected(null)
    const before = socket.calls.filter((c) => c.event === 'inbox:query').length
    socket.sink().conversationUpserted(summary('n1', { status: 'queued', priority: 'urgent' }))
    socket.sink().conversationUpserted(summary('n2', { status: 'queued' }))
    await new Promise((r) => setTimeout(r, 10))
    expect(socket.calls.filter((c) => c.event === 'inbox:query').length).toBe(before + 1)
  })

  it('sets the agent’s status and keeps it when the relay has no answer yet', async () => {
    const { socket, controller, store } = await connected(null, {
      'agent:status': () => ({ ok: false, error: { code: 'timeout', message: 'no handler' } }),
    })
    await controller.setStatus('away')
    expect(socket.calls.at(-1)).toEqual({ event: 'agent:status', payload: { status: 'away' } })
    expect(store.getState().helpdesk.status).toBe('away')
  })

  it('loads the customer’s other conversations on every channel for the sidebar', async () => {
    const contact = { id: 'k1', name: 'Maya', email: null }
    const { store, socket } = await connected('c1', {
      'conversation:open': () => ({
        ok: true,
        data: { conversation: summary('c1', { contact }), messages: [], events: [] },
      }),
      'customer:get': (p: { contactId: string }) => ({
        ok: true,
        data: {
          customer: customerWith(p.contactId, [
            summary('c1', { contact }),
            summary('e1', { contact, channel: 'email' }),
          ]),
        },
      }),
    })
    expect(socket.calls.find((c) => c.event === 'customer:get')?.payload).toEqual({ contactId: 'k1' })
    expect(store.getState().current?.history?.map((c) => [c.id, c.channel])).toEqual([['e1', 'email']])
  })

  it('falls back to the inbox for the sidebar when the relay has no customers', async () => {
    const contact = { id: 'k1', name: 'Maya', email: null }
    const { store } = await connected('c1', {
      'conversation:open': () => ({
        ok: true,
        data: { conversation: summary('c1', { contact }), messages: [], events: [] },
      }),
      'inbox:query': (p: { view: string }) => ({
        ok: true,
        data: {
          conversations:
            p.view === 'all' ? [summary('c1', { contact }), summary('c0', { contact }), summary('x')] : [],
          counts,
        },
      }),
      'customer:get': () => ({ ok: false, error: { code: 'timeout', message: 'customer:get timed out' } }),
    })
    expect(store.getState().current?.history?.map((c) => c.id)).toEqual(['c0'])
  })
})
