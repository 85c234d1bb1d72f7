/** "How did we do?": when the panel asks, what rating sends, and that a reopened conversation asks again. */
import { describe, expect, it } from 'vitest'
import type { CsatRate, WidgetConversation } from '../../shared/protocol.ts'
import { createChat } from './chat.ts'
import { createMemoryStorage } from './storage.ts'
import { csatShown, initialState } from './store.ts'
import type { Reply, Transport, TransportSink } from './transport.ts'

const resolved: WidgetConversation = {
  id: 'conv_1',
  status: 'resolved',
  assigneeName: 'Sam',
  lastSeq: 6,
  rated: false,
}

function fakeRelay(answer: (p: CsatRate) => Reply<{ conversation: WidgetConversation }>) {
  let sink: TransportSink | null = null
  const rated: CsatRate[] = []
  const offline = async () =>
    ({ ok: false, error: { code: 'offline', message: 'not in this test' } }) as const
  const transport: Transport = {
    resume: async () => ({ ok: true, data: { conversation: resolved, messages: [] } }),
    send: offline,
    kbSearch: offline,
    kbArticle: offline,
    kbFeedback: offline,
    leaveEmail: offline,
    rate: async (payload) => {
      rated.push(payload)
      return answer(payload)
    },
    reconnect: () => {},
    restart: () => {},
    close: () => {},
  }
  const chat = createChat({
    site: 'demo',
    storage: createMemoryStorage(),
    connect: (_auth, s) => {
      sink = s
      return transport
    },
  })
  chat.start()
  return { chat, rated, update: (c: WidgetConversation) => sink?.conversationUpdated(c) }
}

describe('csatShown', () => {
  it('asks only while the conversation is resolved and not rated yet', () => {
    const base = initialState()
    expect(csatShown({ ...base, conversation: resolved })).toBe(true)
    expect(csatShown({ ...base, conversation: { ...resolved, rated: true } })).toBe(false)
    expect(csatShown({ ...base, conversation: { ...resolved, status: 'assigned', rated: undefined } })).toBe(
      false,
    )
    expect(csatShown({ ...base, conversation: null })).toBe(false)
    // Rated in this tab: the thanks stays where the question was.
    expect(csatShown({ ...base, csat: 'saved', conversation: { ...resolved, rated: true } })).toBe(true)
  })
})

describe('rating a resolution', () => {
  it('sends the score with the trimmed comment, then thanks; a reopened conversation asks again', async () => {
    const relay = fakeRelay(() => ({ ok: true, data: { conversation: { ...resolved, rated: true } } }))
    relay.update(resolved)
    await relay.chat.rate(5, '  Lovely  ')
    expect(relay.rated).toEqual([{ conversationId: 'conv_1', score: 5, comment: 'Lovely' }])
    const state = relay.chat.store.getState()
    expect(state.csat).toBe('saved')
    expect(state.conversation?.rated).toBe(true)

    relay.update({ ...resolved, status: 'queued', rated: undefined })
    expect(relay.chat.store.getState().csat).toBe('idle')
    relay.update(resolved)
    expect(csatShown(relay.chat.store.getState())).toBe(true)
    await relay.chat.rate(3, '')
    expect(relay.rated[1]).toEqual({ conversationId: 'conv_1', score: 3 })
    relay.chat.stop()
  })

  it('marks the attempt failed when the relay refuses it, and sends nothing while not resolved', async () => {
    const relay = fakeRelay(() => ({ ok: false, error: { code: 'internal_error', message: 'x' } }))
    relay.update({ ...resolved, status: 'assigned' })
    await relay.chat.rate(4, '')
    expect(relay.rated).toEqual([])
    relay.update(resolved)
    await relay.chat.rate(4, '')
    expect(relay.chat.store.getState().csat).toBe('failed')
    expect(csatShown(relay.chat.store.getState())).toBe(true)
    relay.chat.stop()
  })
})
