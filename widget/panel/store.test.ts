import { describe, expect, it } from 'vitest'
import type { Message, WidgetConversation } from '../../shared/protocol.ts'
import { createStore, cursor, initialState, mergeBySeq, needsResume, showGreeting } from './store.ts'

const CONV = 'conv_1'

function msg(seq: number, overrides: Partial<Message> = {}): Message {
  return {
    id: `msg_${seq}`,
    conversationId: CONV,
    seq,
    clientId: null,
    author: 'bot',
    authorId: null,
    authorName: 'Ava',
    text: `message ${seq}`,
    sources: [],
    createdAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  }
}

function conversation(lastSeq: number, overrides: Partial<WidgetConversation> = {}): WidgetConversation {
  return { id: CONV, status: 'bot', assigneeName: null, lastSeq, ...overrides }
}

const session = {
  token: 't',
  contactId: 'contact_1',
  greeting: 'Hi, I am an automated assistant.',
  botName: 'Ava',
  protocol: 1,
}

describe('mergeBySeq', () => {
  it('puts out-of-order and duplicated messages in seq order, each once', () => {
    const merged = mergeBySeq([msg(2)], [msg(5), msg(1), msg(2), msg(4), msg(3), msg(5)])
    expect(merged.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5])
  })

  it('returns the same list when nothing is new, so views and storage can skip work', () => {
    const list = [msg(1), msg(2)]
    expect(mergeBySeq(list, [msg(2), msg(1)])).toBe(list)
  })

  it('keeps the first stored copy of a seq', () => {
    const merged = mergeBySeq([msg(1, { text: 'original' })], [msg(1, { text: 'impostor' })])
    expect(merged[0]?.text).toBe('original')
  })

  it('ignores messages at or below the floor', () => {
    expect(mergeBySeq([], [msg(3), msg(4)], 3).map((m) => m.seq)).toEqual([4])
  })
})

describe('cursor and gaps', () => {
  it('stops the resume cursor before the first missing seq', () => {
    expect(cursor({ floor: 0, messages: [msg(1), msg(2), msg(4)] })).toBe(2)
  })

  it('counts from the floor when older messages were trimmed', () => {
    expect(cursor({ floor: 40, messages: [msg(41), msg(42)] })).toBe(42)
  })

  it('asks for a resume when the conversation has messages beyond what is held', () => {
    const store = createStore()
    store.sent({ message: msg(2, { author: 'contact' }), conversation: conversation(2) })
    expect(needsResume(store.getState())).toBe(true)
    store.resumed({ asked: CONV, result: { conversation: conversation(2), messages: [msg(1)] } })
    expect(needsResume(store.getState())).toBe(false)
    expect(store.getState().messages.map((m) => m.seq)).toEqual([1, 2])
  })
})

describe('live messages', () => {
  it('merges pushed messages arriving out of order and twice into one ordered list', () => {
    const store = createStore()
    store.resumed({ asked: undefined, result: { conversation: conversation(1), messages: [msg(1)] } })
    for (const seq of [3, 2, 3, 2, 4]) store.messageReceived(msg(seq))
    expect(store.getState().messages.map((m) => m.seq)).toEqual([1, 2, 3, 4])
    expect(store.getState().conversation?.lastSeq).toBe(4)
  })

  it('does not count the stored disclosure (seq 1) as unread', () => {
    const store = createStore()
    store.sent({ message: msg(2, { author: 'contact' }), conversation: conversation(2) })
    store.messageReceived(msg(1))
    store.messageReceived(msg(3))
    expect(store.getState().unread).toBe(1)
  })

  it('counts bot and agent messages as unread only while closed, and clears them on open', () => {
    const store = createStore()
    store.resumed({ asked: undefined, result: { conversation: conversation(1), messages: [msg(1)] } })
    store.messageReceived(msg(2, { author: 'agent', authorName: 'Sam' }))
    store.messageReceived(msg(3, { author: 'contact' }))
    store.messageReceived(msg(3, { author: 'contact' }))
    expect(store.getState().unread).toBe(1)
    store.opened()
    store.messageReceived(msg(4, { author: 'agent' }))
    expect(store.getState().unread).toBe(0)
  })

  it('switches to another conversation when a message of it arrives', () => {
    const store = createStore()
    store.resumed({ asked: undefined, result: { conversation: conversation(1), messages: [msg(1)] } })
    store.messageReceived(msg(1, { conversationId: 'conv_2', text: 'new one' }))
    const state = store.getState()
    expect(state.conversation?.id).toBe('conv_2')
    expect(state.messages.map((m) => m.text)).toEqual(['new one'])
  })

  it('ignores status updates of a conversation other than the current one', () => {
    const store = createStore()
    store.resumed({ asked: undefined, result: { conversation: conversation(1), messages: [msg(1)] } })
    store.conversationUpdated({ id: 'conv_old', status: 'resolved', assigneeName: null, lastSeq: 9 })
    store.conversationUpdated(conversation(1, { status: 'assigned', assigneeName: 'Sam' }))
    expect(store.getState().conversation).toEqual(
      conversation(1, { status: 'assigned', assigneeName: 'Sam' }),
    )
  })
})

describe('drafts', () => {
  it('grows one draft per draftId from successive deltas', () => {
    const store = createStore()
    store.resumed({ asked: undefined, result: { conversation: conversation(2), messages: [msg(1), msg(2)] } })
    for (const text of ['We ship ', 'in 2 ', 'days.'])
      store.deltaReceived({ conversationId: CONV, draftId: 'd1', text })
    expect(store.getState().drafts).toEqual([
      { draftId: 'd1', conversationId: CONV, text: 'We ship in 2 days.' },
    ])
  })

  it('replaces the draft by the final bot message, leaving a later draft alone', () => {
    const store = createStore()
    store.resumed({ asked: undefined, result: { conversation: conversation(2), messages: [msg(1), msg(2)] } })
    store.deltaReceived({ conversationId: CONV, draftId: 'd1', text: 'first' })
    store.deltaReceived({ conversationId: CONV, draftId: 'd2', text: 'second' })
    store.messageReceived(msg(3, { text: 'first, final' }))
    const state = store.getState()
    expect(state.drafts.map((d) => d.draftId)).toEqual(['d2'])
    expect(state.messages.at(-1)?.text).toBe('first, final')
  })

  it('keeps the draft when a non-bot message arrives meanwhile', () => {
    const store = createStore()
    store.resumed({ asked: undefined, result: { conversation: conversation(1), messages: [msg(1)] } })
    store.deltaReceived({ conversationId: CONV, draftId: 'd1', text: 'thinking' })
    store.messageReceived(msg(2, { author: 'contact' }))
    expect(store.getState().drafts).toHaveLength(1)
  })

  it('drops an unfinished draft once a person owns the conversation (the bot reply will never be stored)', () => {
    const store = createStore()
    store.resumed({ asked: undefined, result: { conversation: conversation(1), messages: [msg(1)] } })
    store.deltaReceived({ conversationId: CONV, draftId: 'd1', text: 'Let me che' })
    store.conversationUpdated(conversation(1, { status: 'assigned', assigneeName: 'Sam' }))
    expect(store.getState().drafts).toEqual([])
  })

  it('ignores deltas of another conversation', () => {
    const store = createStore()
    store.resumed({ asked: undefined, result: { conversation: conversation(1), messages: [msg(1)] } })
    store.deltaReceived({ conversationId: 'conv_other', draftId: 'd1', text: 'nope' })
    expect(store.getState().drafts).toEqual([])
  })
})

describe('pending messages and the greeting', () => {
  it('replaces a pending message by its stored copy when the ack arrives', () => {
    const store = createStore()
    store.queued({ clientId: 'c_12345678', text: 'hello', createdAt: 'now', state: 'sending' })
    store.sent({
      message: msg(2, { author: 'contact', clientId: 'c_12345678', text: 'hello' }),
      conversation: conversation(2),
    })
    const state = store.getState()
    expect(state.pending).toEqual([])
    expect(state.messages.map((m) => [m.seq, m.text])).toEqual([[2, 'hello']])
  })

  it('drops a pending message when the relay pushes its stored copy before the ack', () => {
    const store = createStore()
    store.resumed({ asked: undefined, result: { conversation: conversation(1), messages: [msg(1)] } })
    store.queued({ clientId: 'c_12345678', text: 'hello', createdAt: 'now', state: 'sending' })
    store.messageReceived(msg(2, { author: 'contact', clientId: 'c_12345678' }))
    expect(store.getState().pending).toEqual([])
  })

  it('shows the greeting until the relay stores it as seq 1', () => {
    const store = createStore()
    store.sessionReady(session)
    expect(showGreeting(store.getState())).toBe(true)
    store.sent({ message: msg(2, { author: 'contact' }), conversation: conversation(2) })
    expect(showGreeting(store.getState())).toBe(true)
    store.resumed({
      asked: CONV,
      result: { conversation: conversation(2), messages: [msg(1, { text: session.greeting })] },
    })
    expect(showGreeting(store.getState())).toBe(false)
  })

  it('forgets the cached conversation when the session belongs to another contact', () => {
    const store = createStore()
    store.restored({
      contactId: 'contact_old',
      conversation: conversation(1),
      floor: 0,
      messages: [msg(1)],
      pending: [],
    })
    store.sessionReady(session)
    expect(store.getState().conversation).toBeNull()
    expect(store.getState().messages).toEqual([])
  })

  it('keeps a conversation created while a resume for none was in flight', () => {
    const store = createStore()
    store.sent({ message: msg(2, { author: 'contact' }), conversation: conversation(2) })
    store.resumed({ asked: undefined, result: { conversation: null, messages: [] } })
    expect(store.getState().conversation?.id).toBe(CONV)
  })
})

describe('connection', () => {
  it('stays "connecting" until the first session, then reports reconnecting and refusals', () => {
    const store = createStore(initialState())
    store.connectionChanged({ connection: 'reconnecting' })
    expect(store.getState().connection).toBe('connecting')
    store.sessionReady(session)
    store.connectionChanged({ connection: 'reconnecting' })
    expect(store.getState().connection).toBe('reconnecting')
    store.connectionChanged({ connection: 'refused', code: 'origin_not_allowed' })
    expect(store.getState()).toMatchObject({ connection: 'refused', refusal: 'origin_not_allowed' })
  })
})
