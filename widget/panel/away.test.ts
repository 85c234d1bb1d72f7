/** Nobody around: when the panel offers to take an email address, and what leaving one does. */
import { describe, expect, it } from 'vitest'
import type { Availability } from '../../shared/helpdesk.ts'
import type { SessionReady, WidgetConversation } from '../../shared/protocol.ts'
import { createChat } from './chat.ts'
import { createMemoryStorage } from './storage.ts'
import { awayShown, initialState } from './store.ts'
import type { Reply, Transport, TransportSink } from './transport.ts'

const queued: WidgetConversation = { id: 'conv_1', status: 'queued', assigneeName: null, lastSeq: 3 }
const nobody: Availability = { open: true, agentsOnline: false, backAt: null }
const closed: Availability = { open: false, agentsOnline: true, backAt: '2026-01-19T08:00:00.000Z' }
const everyone: Availability = { open: true, agentsOnline: true, backAt: null }

describe('awayShown', () => {
  it('offers the email form only while queued with nobody to answer (closed, or no agent online)', () => {
    const base = initialState()
    expect(awayShown({ ...base, conversation: queued, availability: nobody })).toBe(true)
    expect(awayShown({ ...base, conversation: queued, availability: closed })).toBe(true)
    expect(awayShown({ ...base, conversation: queued, availability: everyone })).toBe(false)
    expect(awayShown({ ...base, conversation: { ...queued, status: 'bot' }, availability: nobody })).toBe(
      false,
    )
    expect(
      awayShown({ ...base, conversation: { ...queued, status: 'assigned' }, availability: nobody }),
    ).toBe(false)
    // A relay that says nothing about availability: assume someone is there.
    expect(awayShown({ ...base, conversation: queued, availability: null })).toBe(false)
  })
})

function fakeRelay(leave: (email: string) => Promise<Reply<{ email: string }>>) {
  let sink: TransportSink | null = null
  const asked: string[] = []
  const transport: Transport = {
    resume: async () => ({ ok: true, data: { conversation: queued, messages: [] } }),
    send: async () => ({ ok: false, error: { code: 'offline', message: 'not in this test' } }),
    kbSearch: async () => ({ ok: true, data: { results: [] } }),
    kbArticle: async () => ({ ok: false, error: { code: 'not_found', message: 'none' } }),
    kbFeedback: async () => ({ ok: true, data: { counted: true } }),
    leaveEmail: (email) => {
      asked.push(email)
      return leave(email)
    },
    rate: async () => ({ ok: false, error: { code: 'offline', message: 'not in this test' } }),
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
  const ready = (availability?: Availability) => {
    const payload: SessionReady = {
      token: 'tok',
      contactId: 'ctc_1',
      greeting: 'Hi',
      botName: 'Ava',
      protocol: 1,
      ...(availability && { availability }),
    }
    sink?.sessionReady(payload)
  }
  return { chat, asked, ready, push: (a: Availability) => sink?.availabilityChanged(a) }
}

describe('leaving an email', () => {
  it('takes availability from session:ready and its pushes, and shows the saved address once the relay acks', async () => {
    const relay = fakeRelay(async (email) => ({ ok: true, data: { email: email.toLowerCase() } }))
    relay.ready(nobody)
    relay.chat.store.conversationUpdated(queued)
    expect(awayShown(relay.chat.store.getState())).toBe(true)

    await relay.chat.leaveEmail('Maya@Example.com')
    expect(relay.asked).toEqual(['Maya@Example.com'])
    expect(relay.chat.store.getState().email).toEqual({ state: 'saved', address: 'maya@example.com' })

    relay.push(everyone)
    expect(awayShown(relay.chat.store.getState())).toBe(false)
    relay.chat.stop()
  })

  it('marks the attempt failed when the relay refuses the address, so the shopper can correct it', async () => {
    const relay = fakeRelay(async () => ({
      ok: false,
      error: { code: 'invalid_payload', message: 'email: invalid' },
    }))
    relay.ready(closed)
    await relay.chat.leaveEmail('nope')
    expect(relay.chat.store.getState().email).toEqual({ state: 'failed', address: 'nope' })
    relay.chat.stop()
  })
})
