import { describe, expect, it, vi } from 'vitest'
import { queryKey, selectView } from './inbox.ts'
import { createStore } from './store.ts'
import { ana, bo, message, summary } from './test-support.ts'

const shown = (store: ReturnType<typeof createStore>) => {
  const { inbox } = store.getState()
  return selectView(inbox, inbox.view, inbox.filters, ana.id).map((c) => c.id)
}

function withOpen(id = 'c1') {
  const store = createStore()
  store.signedIn(ana)
  store.conversationSelected(id)
  store.conversationOpened({
    conversation: summary(id, { status: 'queued' }),
    messages: [message(id, 1)],
    events: [],
  })
  return store
}

const counts = { mine: 0, unassigned: 1, open: 1, bot: 0, resolved: 0, all: 1 }

describe('inbox', () => {
  it('shows the relay’s answer in its order with its counts, and a later push by the queue rules', () => {
    const store = createStore()
    store.signedIn(ana)
    store.viewSelected('unassigned')
    const since = store.getState().inbox.clock
    store.inboxRequested()
    store.inboxQueried(
      queryKey('unassigned', {}),
      [summary('b', { status: 'queued' }), summary('a', { status: 'queued' })],
      counts,
      since,
    )
    expect(shown(store)).toEqual(['b', 'a'])
    expect(store.getState().inbox).toMatchObject({ loading: false, loaded: true, counts: { unassigned: 1 } })
    store.conversationUpserted(summary('u', { status: 'queued', priority: 'urgent' }))
    expect(shown(store)).toEqual(['u', 'b', 'a'])
  })

  it('moves a conversation out of a view when a push changes its status', () => {
    const store = createStore()
    store.signedIn(ana)
    store.viewSelected('unassigned')
    store.inboxQueried(queryKey('unassigned', {}), [summary('a', { status: 'queued' })], counts, 0)
    store.conversationUpserted(
      summary('a', {
        status: 'assigned',
        assignee: { id: bo.id, name: bo.name },
        updatedAt: '2025-01-01T10:02:00.000Z',
      }),
    )
    expect(shown(store)).toEqual([])
    store.viewSelected('all')
    expect(shown(store)).toEqual(['a'])
  })

  it('ignores a push older than the summary it already holds', () => {
    const store = createStore()
    store.conversationUpserted(summary('a', { status: 'assigned', updatedAt: '2025-01-01T10:05:00.000Z' }))
    store.conversationUpserted(summary('a', { status: 'queued', updatedAt: '2025-01-01T10:04:00.000Z' }))
    expect(store.getState().inbox.byId.a?.status).toBe('assigned')
  })

  it('keeps a conversation pushed while the query was in flight', () => {
    const store = createStore()
    const since = store.getState().inbox.clock
    store.inboxRequested()
    store.conversationUpserted(summary('fresh', { status: 'queued' }))
    store.inboxQueried(queryKey('open', {}), [], counts, since)
    expect(shown(store)).toEqual(['fresh'])
    expect(store.getState().inbox.loading).toBe(false)
  })

  it('takes pushed counts and ignores a repeat of the same counts', () => {
    const store = createStore()
    const listener = vi.fn()
    store.subscribe(listener)
    store.countsReceived(counts)
    store.countsReceived({ ...counts })
    expect(listener).toHaveBeenCalledTimes(1)
    expect(store.getState().inbox.counts).toEqual(counts)
  })

  it('keeps the filters with the view', () => {
    const store = createStore()
    store.filtersChanged({ channel: 'email', tag: 'vip' })
    store.viewSelected('mine')
    expect(store.getState().inbox).toMatchObject({ view: 'mine', filters: { channel: 'email', tag: 'vip' } })
  })
})

describe('current conversation', () => {
  it('loads the transcript and adds the summary to the inbox', () => {
    const store = withOpen('c1')
    const { current, inbox } = store.getState()
    expect(current).toMatchObject({ id: 'c1', loading: false })
    expect(current?.messages.map((m) => m.seq)).toEqual([1])
    expect(inbox.byId.c1?.status).toBe('queued')
  })

  it('merges live messages that arrive out of order or twice by seq', () => {
    const store = withOpen('c1')
    store.messageReceived(message('c1', 3))
    store.messageReceived(message('c1', 2))
    store.messageReceived(message('c1', 3))
    expect(store.getState().current?.messages.map((m) => m.seq)).toEqual([1, 2, 3])
  })

  it('merges a re-open after reconnect with what it held instead of duplicating', () => {
    const store = withOpen('c1')
    store.messageReceived(message('c1', 2))
    store.conversationOpened({
      conversation: summary('c1', { status: 'queued', lastSeq: 3 }),
      messages: [message('c1', 1), message('c1', 2), message('c1', 3)],
      events: [],
    })
    expect(store.getState().current?.messages.map((m) => m.seq)).toEqual([1, 2, 3])
  })

  it('ignores messages and late open answers for a conversation that is no longer open', () => {
    const store = withOpen('c1')
    store.conversationSelected('c2')
    store.messageReceived(message('c1', 2))
    store.conversationOpened({ conversation: summary('c1'), messages: [message('c1', 2)], events: [] })
    expect(store.getState().current).toMatchObject({ id: 'c2', loading: true, messages: [] })
  })

  it('records why a conversation could not be opened', () => {
    const store = createStore()
    store.conversationSelected('nope')
    store.conversationFailed('nope', { code: 'not_found', message: 'no such conversation' })
    expect(store.getState().current).toMatchObject({ loading: false, error: { code: 'not_found' } })
  })

  it('streams bot deltas into a draft and drops it when the bot message lands', () => {
    const store = withOpen('c1')
    store.messageDelta({ conversationId: 'c1', draftId: 'd1', text: 'Our return ' })
    store.messageDelta({ conversationId: 'c1', draftId: 'd1', text: 'window is 30 days.' })
    expect(store.getState().current?.drafts).toEqual({ d1: 'Our return window is 30 days.' })
    store.messageReceived(message('c1', 2, { author: 'bot', text: 'Our return window is 30 days.' }))
    expect(store.getState().current?.drafts).toEqual({})
  })
})

describe('take over and resolve', () => {
  it('keeps the owner’s name from an already_assigned refusal as the notice', () => {
    const store = withOpen('c1')
    store.actionStarted('c1', 'claim')
    expect(store.getState().current?.busy).toBe('claim')
    store.actionFailed('c1', {
      code: 'already_assigned',
      message: 'already assigned to Bo Agent',
      details: { assigneeId: bo.id, assigneeName: bo.name },
    })
    expect(store.getState().current).toMatchObject({
      busy: null,
      notice: { code: 'already_assigned', details: { assigneeName: 'Bo Agent' } },
    })
  })

  it('clears the previous refusal when the agent tries again', () => {
    const store = withOpen('c1')
    store.actionFailed('c1', {
      code: 'already_assigned',
      message: 'taken',
      details: { assigneeName: bo.name },
    })
    store.actionStarted('c1', 'resolve')
    expect(store.getState().current?.notice).toBeNull()
  })

  it('applies the claimed summary so the conversation shows its new owner', () => {
    const store = withOpen('c1')
    store.actionStarted('c1', 'claim')
    store.actionSucceeded(
      summary('c1', {
        status: 'assigned',
        assignee: { id: ana.id, name: ana.name },
        updatedAt: '2025-01-01T10:10:00.000Z',
      }),
    )
    expect(store.getState().inbox.byId.c1).toMatchObject({
      status: 'assigned',
      assignee: { name: 'Ana Agent' },
    })
    expect(store.getState().current?.busy).toBeNull()
  })
})

describe('sending', () => {
  const pending = {
    clientId: 'client_0001',
    text: 'Hi, I can help',
    createdAt: '2025-01-01T10:10:00.000Z',
    internal: false,
  }

  it('shows a sent reply as pending until its message arrives, then exactly once', () => {
    const store = withOpen('c1')
    store.sendStarted('c1', pending)
    expect(store.getState().current?.outbox).toMatchObject([{ clientId: 'client_0001', state: 'sending' }])
    const sent = message('c1', 2, { author: 'agent', clientId: 'client_0001', text: pending.text })
    store.messageReceived(sent)
    store.sendSucceeded(sent)
    const current = store.getState().current
    expect(current?.outbox).toEqual([])
    expect(current?.messages.filter((m) => m.clientId === 'client_0001')).toHaveLength(1)
  })

  it('marks a refused reply as failed with the reason', () => {
    const store = withOpen('c1')
    store.sendStarted('c1', pending)
    store.sendFailed('c1', 'client_0001', { code: 'not_assignee', message: 'assigned to Bo' })
    expect(store.getState().current?.outbox).toMatchObject([
      { state: 'failed', error: { code: 'not_assignee' } },
    ])
    expect(store.getState().current?.notice?.code).toBe('not_assignee')
  })
})

describe('session', () => {
  it('forgets the session on sign-out but remembers which conversation the route points at', () => {
    const store = withOpen('c1')
    store.connected()
    store.signedOut({ code: 'unauthorized', message: 'expired' })
    const s = store.getState()
    expect(s.auth).toMatchObject({ status: 'signed_out', agent: null, errorSource: 'session' })
    expect(s.inbox.byId).toEqual({})
    expect(s.current).toMatchObject({ id: 'c1', loading: true, messages: [] })
    expect(s.connection.status).toBe('idle')
  })

  it('notifies subscribers on a change and not on a no-op', () => {
    const store = createStore()
    const listener = vi.fn()
    const unsubscribe = store.subscribe(listener)
    store.conversationSelected(null)
    expect(listener).not.toHaveBeenCalled()
    store.viewSelected('unassigned')
    expect(listener).toHaveBeenCalledTimes(1)
    unsubscribe()
    store.viewSelected('all')
    expect(listener).toHaveBeenCalledTimes(1)
  })
})

describe('notes and the customer sidebar', () => {
  it('keeps a pending note apart from replies until its message lands', () => {
    const store = withOpen('c1')
    store.sendStarted('c1', {
      clientId: 'client_0002',
      text: 'Checked the order',
      createdAt: 'now',
      internal: true,
    })
    expect(store.getState().current?.outbox).toMatchObject([{ internal: true, state: 'sending' }])
    store.sendSucceeded(
      message('c1', 2, {
        author: 'agent',
        clientId: 'client_0002',
        text: 'Checked the order',
        internal: true,
      }),
    )
    expect(store.getState().current?.outbox).toEqual([])
    expect(store.getState().current?.messages.at(-1)).toMatchObject({ internal: true })
  })

  it('keeps only the same contact’s other conversations as history, newest first', () => {
    const store = withOpen('c1')
    const contact = { id: 'contact_c1', name: 'Maya', email: null }
    store.historyLoaded('c1', [
      summary('c1', { contact }),
      summary('old', { contact, updatedAt: '2024-12-01T10:00:00.000Z' }),
      summary('newer', { contact, updatedAt: '2024-12-20T10:00:00.000Z' }),
      summary('stranger'),
    ])
    expect(store.getState().current?.history?.map((c) => c.id)).toEqual(['newer', 'old'])
  })

  it('ends an agent’s typing notice when their message arrives', () => {
    const store = withOpen('c1')
    store.typingReceived({ conversationId: 'c1', agent: { id: bo.id, name: bo.name }, internal: false }, 1000)
    expect(store.getState().helpdesk.typing.c1).toHaveLength(1)
    store.messageReceived(message('c1', 2, { author: 'agent', authorId: bo.id }))
    expect(store.getState().helpdesk.typing.c1).toBeUndefined()
  })

  it('remembers the alerts setting across a sign-out', () => {
    const store = withOpen('c1')
    store.alertsSet(false)
    store.signedOut()
    expect(store.getState().helpdesk.alerts).toBe(false)
  })
})

describe('delivery statuses', () => {
  const status = (messageId: string, s: 'sent' | 'delivered' | 'read' | 'failed', conversationId = 'c1') => ({
    conversationId,
    messageId,
    status: s,
    at: '2026-12-03T10:00:00.000Z',
  })

  it('keeps the statuses the open brought and pushes for the open conversation, only moving forward', () => {
    const store = createStore()
    store.signedIn(ana)
    store.conversationSelected('c1')
    store.conversationOpened({
      conversation: summary('c1', { channel: 'whatsapp' }),
      messages: [message('c1', 1)],
      events: [],
      deliveries: [status('m1', 'delivered')],
    })
    expect(store.getState().current?.deliveries.m1?.status).toBe('delivered')
    store.deliveryReceived(status('m1', 'read'))
    store.deliveryReceived(status('m1', 'delivered'))
    store.deliveryReceived(status('m2', 'sent'))
    store.deliveryReceived(status('m9', 'read', 'c2'))
    const deliveries = store.getState().current?.deliveries ?? {}
    expect(Object.fromEntries(Object.entries(deliveries).map(([id, d]) => [id, d.status]))).toEqual({
      m1: 'read',
      m2: 'sent',
    })
    store.deliveryReceived(status('m2', 'failed'))
    store.deliveryReceived(status('m2', 'read'))
    expect(store.getState().current?.deliveries.m2?.status).toBe('failed')
  })
})
