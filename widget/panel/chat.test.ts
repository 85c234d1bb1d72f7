/**
 * The chat controller and the socket transport against a real socket.io server on port 0 that
 * speaks the widget protocol (a stand-in for the relay: the same events, acks and dedupe rules).
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Server, type Socket } from 'socket.io'
import { afterEach, describe, expect, it } from 'vitest'
import type {
  Ack,
  Message,
  WidgetClientToServer,
  WidgetConversation,
  WidgetServerToClient,
} from '../../shared/protocol.ts'
import { type Chat, createChat } from './chat.ts'
import { storageKey } from './persist.ts'
import { createMemoryStorage } from './storage.ts'
import { createSocketTransport } from './transport.ts'

const SITE = 'site_1'
const GREETING = 'Hi! I am an automated assistant. Ask for a person any time.'

interface Conv {
  id: string
  contactId: string
  status: WidgetConversation['status']
  assigneeName: string | null
  messages: Message[]
}

type WidgetSocket = Socket<WidgetClientToServer, WidgetServerToClient>

/** Just enough relay: tokens, greeting as seq 1, clientId dedupe, resume after a seq. */
async function startRelay() {
  const http = createServer()
  const io = new Server(http)
  const ns = io.of('/widget')
  const tokens = new Map<string, string>()
  const conversations: Conv[] = []
  const sends: string[] = []
  const resumes: { conversationId?: string; afterSeq: number }[] = []
  /** Texts whose first send is swallowed: no store, no ack, and the connection drops. */
  const swallowOnce = new Set<string>()
  /** Texts whose first send is stored but whose ack is lost with the connection. */
  const loseAckOnce = new Set<string>()
  let nextId = 0

  const view = (c: Conv): WidgetConversation => ({
    id: c.id,
    status: c.status,
    assigneeName: c.assigneeName,
    lastSeq: c.messages.length,
  })
  const append = (c: Conv, m: Omit<Message, 'id' | 'seq' | 'conversationId' | 'createdAt'>): Message => {
    const message: Message = {
      ...m,
      id: `msg_${++nextId}`,
      conversationId: c.id,
      seq: c.messages.length + 1,
      createdAt: new Date().toISOString(),
    }
    c.messages.push(message)
    return message
  }

  ns.use((socket, next) => {
    const auth = socket.handshake.auth as { site?: string; protocol?: number }
    if (auth.site !== SITE) return next(new Error('unknown_site'))
    if (auth.protocol !== 1) return next(new Error('protocol_mismatch'))
    next()
  })

  ns.on('connection', (socket: WidgetSocket) => {
    const given = (socket.handshake.auth as { token?: string }).token
    let token = given
    let contactId = given ? tokens.get(given) : undefined
    if (!contactId || !token) {
      token = `tok_${++nextId}`
      contactId = `contact_${nextId}`
      tokens.set(token, contactId)
    }
    const me = contactId
    void socket.join(me)
    socket.emit('session:ready', { token, contactId: me, greeting: GREETING, botName: 'Ava', protocol: 1 })

    socket.on('conversation:resume', (payload, ack) => {
      resumes.push(payload)
      const mine = conversations.filter((c) => c.contactId === me)
      const c = payload.conversationId ? mine.find((x) => x.id === payload.conversationId) : mine.at(-1)
      if (payload.conversationId && !c) {
        ack({ ok: false, error: { code: 'not_found', message: 'no such conversation' } })
        return
      }
      ack({
        ok: true,
        data: { conversation: c ? view(c) : null, messages: c ? c.messages.slice(payload.afterSeq) : [] },
      })
    })

    socket.on('message:send', (payload, ack) => {
      sends.push(payload.clientId)
      if (swallowOnce.delete(payload.text)) {
        socket.conn.close()
        return
      }
      let c = conversations.find(
        (x) => x.contactId === me && (!payload.conversationId || x.id === payload.conversationId),
      )
      if (!c) {
        c = { id: `conv_${++nextId}`, contactId: me, status: 'bot', assigneeName: null, messages: [] }
        conversations.push(c)
        append(c, {
          clientId: null,
          author: 'bot',
          authorId: null,
          authorName: 'Ava',
          text: GREETING,
          sources: [],
        })
      }
      const existing = c.messages.find((m) => m.clientId === payload.clientId)
      const message =
        existing ??
        append(c, {
          clientId: payload.clientId,
          author: 'contact',
          authorId: me,
          authorName: null,
          text: payload.text,
          sources: [],
        })
      if (loseAckOnce.delete(payload.text)) {
        socket.conn.close()
        return
      }
      const reply: Ack<{ message: Message; conversation: WidgetConversation }> = {
        ok: true,
        data: { message, conversation: view(c) },
      }
      ack(reply)
      if (!existing) socket.to(me).emit('message:new', message)
    })
  })

  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  const { port } = http.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    ns,
    conversations,
    sends,
    resumes,
    swallowOnce,
    loseAckOnce,
    /** An agent or the bot writes into a conversation and the relay pushes it. */
    push(c: Conv, author: 'agent' | 'bot', text: string) {
      const message = append(c, {
        clientId: null,
        author,
        authorId: null,
        authorName: 'Sam',
        text,
        sources: [],
      })
      ns.to(c.contactId).emit('message:new', message)
      return message
    },
    /** Drops every connection as a network failure would; clients reconnect by themselves. */
    dropConnections() {
      for (const s of ns.sockets.values()) s.conn.close()
    },
    close: () => new Promise<void>((resolve) => io.close(() => resolve())),
  }
}

type Relay = Awaited<ReturnType<typeof startRelay>>

const open: { chats: Chat[]; relays: Relay[] } = { chats: [], relays: [] }
afterEach(async () => {
  for (const chat of open.chats.splice(0)) chat.stop()
  for (const relay of open.relays.splice(0)) await relay.close()
})

async function relay(): Promise<Relay> {
  const r = await startRelay()
  open.relays.push(r)
  return r
}

function chatOn(r: Relay, storage: Storage, site = SITE): Chat {
  const chat = createChat({
    site,
    storage,
    connect: (auth, sink) => createSocketTransport({ relayUrl: r.url, auth }, sink),
    retryDelay: () => 50,
  })
  open.chats.push(chat)
  chat.start()
  return chat
}

async function until(check: () => boolean, what: string, ms = 8000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

const texts = (chat: Chat) => chat.store.getState().messages.map((m) => `${m.seq}:${m.author}:${m.text}`)

describe('chat against a socket.io relay', () => {
  it('creates the conversation on the first message: greeting at seq 1, the message at seq 2, once each', async () => {
    const r = await relay()
    const storage = createMemoryStorage()
    const chat = chatOn(r, storage)
    await until(() => chat.store.getState().connection === 'online', 'session')
    expect(chat.store.getState().greeting).toBe(GREETING)
    chat.send('Where is my order?')
    await until(() => chat.store.getState().messages.length === 2, 'two messages')
    expect(texts(chat)).toEqual([`1:bot:${GREETING}`, '2:contact:Where is my order?'])
    expect(chat.store.getState().pending).toEqual([])
    expect(storage.getItem(storageKey(SITE, 'outbox'))).toBeNull()
    expect(storage.getItem(storageKey(SITE, 'token'))).toMatch(/^tok_/)
  })

  it('after a reload, resumes the same conversation with the saved token and fetches only what is missing', async () => {
    const r = await relay()
    const storage = createMemoryStorage()
    const first = chatOn(r, storage)
    await until(() => first.store.getState().connection === 'online', 'session')
    first.send('hello')
    await until(() => first.store.getState().messages.length === 2, 'two messages')
    first.stop()
    const conv = r.conversations[0]!
    r.push(conv, 'agent', 'Sorry for the wait!')

    const reloaded = chatOn(r, storage)
    await until(() => reloaded.store.getState().messages.length === 3, 'three messages')
    expect(r.resumes.at(-1)).toEqual({ conversationId: conv.id, afterSeq: 2 })
    expect(texts(reloaded)).toEqual([`1:bot:${GREETING}`, '2:contact:hello', '3:agent:Sorry for the wait!'])
    expect(r.conversations).toHaveLength(1)
  })

  it('retries a message whose send went unanswered with the same client id, after reconnecting', async () => {
    const r = await relay()
    const chat = chatOn(r, createMemoryStorage())
    await until(() => chat.store.getState().connection === 'online', 'session')
    r.swallowOnce.add('are you there?')
    chat.send('are you there?')
    await until(() => chat.store.getState().connection === 'reconnecting', 'the drop')
    expect(chat.store.getState().pending.map((p) => [p.text, p.state])).toEqual([
      ['are you there?', 'retrying'],
    ])
    await until(() => chat.store.getState().messages.length === 2, 'the retried message')
    expect(r.sends).toHaveLength(2)
    expect(r.sends[0]).toBe(r.sends[1])
    expect(r.conversations[0]?.messages.map((m) => m.text)).toEqual([GREETING, 'are you there?'])
  })

  it('does not send again a message the relay stored before its ack was lost', async () => {
    const r = await relay()
    const storage = createMemoryStorage()
    const chat = chatOn(r, storage)
    await until(() => chat.store.getState().connection === 'online', 'session')
    r.loseAckOnce.add('stored, ack lost')
    chat.send('stored, ack lost')
    await until(() => chat.store.getState().messages.length === 2, 'the message via resume')
    await until(() => chat.store.getState().pending.length === 0, 'no pending')
    expect(texts(chat)).toEqual([`1:bot:${GREETING}`, '2:contact:stored, ack lost'])
    expect(r.conversations[0]?.messages).toHaveLength(2)
    expect(r.sends).toHaveLength(1)
    expect(storage.getItem(storageKey(SITE, 'outbox'))).toBeNull()
  })

  it('keeps messages written while disconnected and sends them in order after reconnecting', async () => {
    const r = await relay()
    const chat = chatOn(r, createMemoryStorage())
    await until(() => chat.store.getState().connection === 'online', 'session')
    chat.send('first')
    await until(() => chat.store.getState().messages.length === 2, 'first stored')
    r.dropConnections()
    await until(() => chat.store.getState().connection === 'reconnecting', 'the drop')
    chat.send('second')
    chat.send('third')
    expect(chat.store.getState().pending.map((p) => p.state)).toEqual(['retrying', 'retrying'])
    await until(() => chat.store.getState().messages.length === 4, 'all stored')
    expect(texts(chat).slice(1)).toEqual(['2:contact:first', '3:contact:second', '4:contact:third'])
  })

  it('holds messages while the browser is offline and delivers them over a fresh connection once back', async () => {
    const r = await relay()
    const chat = chatOn(r, createMemoryStorage())
    await until(() => chat.store.getState().connection === 'online', 'session')
    const connections = r.ns.sockets.size
    chat.networkChanged(true)
    chat.send('typed offline')
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(r.sends).toEqual([])
    expect(chat.store.getState().pending.map((p) => p.state)).toEqual(['retrying'])
    chat.networkChanged(false)
    await until(() => chat.store.getState().messages.length === 2, 'delivery')
    expect(texts(chat).at(-1)).toBe('2:contact:typed offline')
    expect(r.sends).toHaveLength(1)
    expect(connections).toBe(1)
  })

  it('fills in messages pushed while the connection was down', async () => {
    const r = await relay()
    const chat = chatOn(r, createMemoryStorage())
    await until(() => chat.store.getState().connection === 'online', 'session')
    chat.send('help')
    await until(() => chat.store.getState().messages.length === 2, 'stored')
    r.dropConnections()
    await until(() => chat.store.getState().connection === 'reconnecting', 'the drop')
    r.push(r.conversations[0]!, 'agent', 'missed while offline')
    await until(() => chat.store.getState().messages.length === 3, 'the missed message')
    expect(texts(chat).at(-1)).toBe('3:agent:missed while offline')
    expect(r.resumes.at(-1)?.afterSeq).toBe(2)
  })

  it('shows a refusal with the relay error code and stops trying', async () => {
    const r = await relay()
    const chat = chatOn(r, createMemoryStorage(), 'no_such_site')
    await until(() => chat.store.getState().connection === 'refused', 'the refusal')
    expect(chat.store.getState().refusal).toBe('unknown_site')
  })
})
