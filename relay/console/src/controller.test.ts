import { describe, expect, it } from 'vitest'
import type { AgentProfile } from '../../../shared/protocol.ts'
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

function setup(handlers: Partial<Record<RequestName, Handler>> = {}, agent: AgentProfile | null = ana) {
  const store = createStore()
  const socket = fakeSocket({
    'inbox:list': () => ({ ok: true, data: { conversations: [summary('c1', { status: 'queued' })] } }),
    'conversation:open': () => ({
      ok: true,
      data: { conversation: summary('c1', { status: 'queued' }), messages: [message('c1', 1)], events: [] },
    }),
    'conversation:close': () => ({ ok: true, data: null }),
    ...handlers,
  })
  const auth = fakeAuth(agent)
  let n = 0
  const controller = createController({
    store,
    auth,
    openSocket: socket.open,
    newClientId: () => `client_${String(++n).padStart(4, '0')}`,
    now: () => '2025-01-01T12:00:00.000Z',
  })
  return { store, socket, auth, controller }
}

describe('controller', () => {
  it('resumes an existing session, lists the inbox and opens the routed conversation on connect', async () => {
    const { store, socket, controller } = setup()
    await controller.start('c1')
    expect(store.getState().auth).toMatchObject({ status: 'signed_in', agent: { name: 'Ana Agent' } })
    expect(socket.connects()).toBe(1)
    socket.sink().connected()
    await flush()
    expect(socket.calls.map((c) => c.event)).toEqual(['inbox:list', 'conversation:open'])
    expect(socket.calls[0]?.payload).toEqual({ filter: 'open' })
    expect(store.getState().current?.messages.map((m) => m.seq)).toEqual([1])
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
    expect(socket.calls.filter((c) => c.event === 'inbox:list')).toHaveLength(2)
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
    expect(socket.calls.slice(-2).map((c) => c.event)).toEqual(['conversation:claim', 'conversation:open'])
    expect(store.getState().inbox.byId.c1).toMatchObject({ status: 'assigned', assignee: { id: ana.id } })
    expect(store.getState().current?.notice).toBeNull()
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
    await controller.route('c2')
    const events = socket.calls.map((c) => [c.event, c.payload])
    expect(events.slice(-2)).toEqual([
      ['conversation:close', { conversationId: 'c1' }],
      ['conversation:open', { conversationId: 'c2' }],
    ])
  })

  it('lists the assigned filter when the Mine tab is chosen', async () => {
    const { socket, controller, store } = setup()
    await controller.start(null)
    socket.sink().connected()
    await flush()
    await controller.selectTab('mine')
    expect(socket.calls.at(-1)).toEqual({ event: 'inbox:list', payload: { filter: 'assigned' } })
    expect(store.getState().inbox.tab).toBe('mine')
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
