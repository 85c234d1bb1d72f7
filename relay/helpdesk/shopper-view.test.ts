import { describe, expect, it } from 'vitest'
import type { Message } from '../../shared/protocol.ts'
import type { Conversation } from '../store/types.ts'
import {
  shopperConversation,
  shopperMessage,
  shopperMessagesAfter,
  shopperSeq,
  shopperTranscript,
} from './shopper-view.ts'

const conversation: Conversation = {
  id: 'cnv_1',
  siteId: 'demo',
  contactId: 'ctc_1',
  channel: 'web',
  status: 'assigned',
  priority: 'normal',
  handoffReason: null,
  handoffSummary: null,
  assigneeId: 'agt_a',
  assigneeName: 'Ada',
  humanInvolved: true,
  lastSeq: 5,
  preview: 'hi',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  internalCount: 2,
}

function message(seq: number, internal = false): Message {
  return {
    id: `msg_${seq}`,
    conversationId: 'cnv_1',
    seq,
    clientId: null,
    author: internal ? 'agent' : 'contact',
    authorId: null,
    authorName: null,
    text: internal ? `note ${seq}` : `text ${seq}`,
    sources: [],
    createdAt: '2026-01-01T00:00:00.000Z',
    ...(internal ? { internal: true } : {}),
  }
}

// seq: 1 greeting, 2 note, 3 shopper, 4 note, 5 agent reply
const transcript = [message(1), message(2, true), message(3), message(4, true), message(5)]
const store = { listMessages: async (_id: string, after = 0) => transcript.filter((m) => m.seq > after) }

describe('the shopper’s view of a conversation with internal notes', () => {
  it('drops notes and renumbers what is left 1, 2, 3 without gaps', () => {
    const seen = shopperTranscript(transcript)
    expect(seen.map((m) => [m.id, m.seq])).toEqual([
      ['msg_1', 1],
      ['msg_3', 2],
      ['msg_5', 3],
    ])
    expect(seen.some((m) => m.text.startsWith('note'))).toBe(false)
  })

  it('counts only visible messages in the widget conversation’s lastSeq', () => {
    expect(shopperConversation(conversation)).toMatchObject({ id: 'cnv_1', lastSeq: 3, assigneeName: 'Ada' })
    expect(shopperConversation({ ...conversation, internalCount: undefined }).lastSeq).toBe(5)
  })

  it('reads a live message’s shopper seq off the snapshot stored with it, and never for a note', () => {
    expect(shopperSeq(conversation, message(5))).toBe(3)
    expect(shopperSeq(conversation, message(4, true))).toBeNull()
    expect(shopperSeq({ ...conversation, internalCount: 0 }, message(3))).toBe(3)
    // An older message in a snapshot with notes: the snapshot cannot tell.
    expect(shopperSeq(conversation, message(3))).toBeNull()
  })

  it('answers a resume after the shopper’s own cursor and finds an old message’s seq in the store', async () => {
    expect((await shopperMessagesAfter(store, conversation, 1)).map((m) => [m.id, m.seq])).toEqual([
      ['msg_3', 2],
      ['msg_5', 3],
    ])
    expect(await shopperMessagesAfter(store, conversation, 3)).toEqual([])
    // A snapshot read before the notes were stored still never lets one through.
    const stale = { ...conversation, internalCount: 0, lastSeq: 1 }
    expect((await shopperMessagesAfter(store, stale, 0)).map((m) => m.seq)).toEqual([1, 2, 3])
    expect(await shopperMessage(store, conversation, message(3))).toMatchObject({ id: 'msg_3', seq: 2 })
    expect(await shopperMessage(store, conversation, message(2, true))).toBeNull()
  })
})
