/**
 * The behaviour every Store implementation must show, as vitest blocks. Each implementation's
 * test file calls `storeContract(name, makeStore)`; `makeStore` returns a fresh, empty store that
 * is not yet initialised (the contract calls `init()`), and a `cleanup` that closes it and removes
 * its data.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { newId } from '../../shared/ids.ts'
import type { ActionRequest } from '../../shared/policy.ts'
import type { Actor } from '../../shared/protocol.ts'
import { type Command, transition } from '../conversations/state-machine.ts'
import { conversation, createdEvent, message, T0 } from './fixtures.ts'
import type { Agent, Article, Contact, Conversation, Session, Site, Store } from './types.ts'

export type MakeStore = () => Promise<{ store: Store; cleanup: () => Promise<void> }>

/** An ISO time `minutes` after T0, for ordering tests. */
function at(minutes: number): string {
  return new Date(Date.parse(T0) + minutes * 60_000).toISOString()
}

function site(id: string, over: Partial<Site> = {}): Site {
  return {
    id,
    name: `Site ${id}`,
    allowedOrigins: [`https://${id}.example`],
    botName: 'Parley',
    createdAt: T0,
    ...over,
  }
}

function agent(id: string, email: string, over: Partial<Agent> = {}): Agent {
  const hash = 'scrypt$16384$8$1$c2FsdA==$aGFzaA=='
  return {
    id,
    email,
    name: `Agent ${id}`,
    role: 'agent',
    passwordHash: hash,
    siteIds: ['s1'],
    createdAt: T0,
    ...over,
  }
}

function contact(id: string, over: Partial<Contact> = {}): Contact {
  return { id, siteId: 's1', name: 'Ada', email: 'ada@example.com', createdAt: T0, ...over }
}

function article(siteId: string, slug: string, over: Partial<Article> = {}): Article {
  return {
    siteId,
    slug,
    title: `About ${slug}`,
    tags: [],
    verified: true,
    body: `# ${slug}`,
    url: null,
    updatedAt: T0,
    ...over,
  }
}

const agentActor = (id: string): Actor => ({ kind: 'agent', id })

function actionRequest(conversationId: string, over: Partial<ActionRequest> = {}): ActionRequest {
  return {
    id: newId('act_'),
    siteId: 's1',
    conversationId,
    type: 'refund',
    input: { orderNumber: 'TW-1001', amount: 12, reason: 'broken' },
    decision: 'suggest',
    reason: 'within the policy',
    status: 'pending',
    result: null,
    decidedBy: null,
    note: null,
    createdAt: T0,
    updatedAt: T0,
    ...over,
  }
}

/** Declares the contract tests of one Store implementation. */
export function storeContract(name: string, makeStore: MakeStore): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store
    let cleanup: () => Promise<void>

    beforeEach(async () => {
      ;({ store, cleanup } = await makeStore())
      await store.init()
    })

    afterEach(async () => {
      await cleanup()
    })

    /** Creates a conversation with its created event and returns what the store returned. */
    async function create(over: Partial<Conversation> = {}): Promise<Conversation> {
      const c = conversation(over)
      return store.createConversation(c, createdEvent(c))
    }

    /** Runs the real state machine inside the store's atomic update. */
    function apply(id: string, command: Command, actor: Actor, isAdmin = false) {
      return store.updateConversation(id, (current) =>
        transition(current, command, {
          actor,
          now: new Date().toISOString(),
          newId: () => newId('evt_'),
          isAdmin,
        }),
      )
    }

    describe('sites, agents, sessions and contacts', () => {
      it('returns a stored site by id, replaces it on a second put, and lists every site', async () => {
        await store.putSite(site('s1'))
        await store.putSite(site('s2'))
        await store.putSite(site('s1', { name: 'Renamed' }))
        expect(await store.getSite('s1')).toEqual(site('s1', { name: 'Renamed' }))
        expect(await store.getSite('nope')).toBeNull()
        const ids = (await store.listSites()).map((s) => s.id).sort()
        expect(ids).toEqual(['s1', 's2'])
      })

      it('finds an agent by id and by email regardless of letter case', async () => {
        await store.putAgent(agent('a1', 'Alice@Example.com'))
        await store.putAgent(agent('a2', 'bob@example.com'))
        expect(await store.getAgent('a1')).toEqual(agent('a1', 'Alice@Example.com'))
        expect((await store.getAgentByEmail('alice@example.COM'))?.id).toBe('a1')
        expect((await store.getAgentByEmail('BOB@EXAMPLE.COM'))?.id).toBe('a2')
        expect(await store.getAgentByEmail('carol@example.com')).toBeNull()
        expect((await store.listAgents()).map((a) => a.id).sort()).toEqual(['a1', 'a2'])
      })

      it('refuses a second agent with an email another agent already uses', async () => {
        await store.putAgent(agent('a1', 'alice@example.com'))
        await expect(store.putAgent(agent('a2', 'ALICE@example.com'))).rejects.toThrow()
        expect(await store.getAgent('a2')).toBeNull()
        await store.putAgent(agent('a1', 'alice@example.com', { name: 'Alice B.' }))
        expect((await store.getAgent('a1'))?.name).toBe('Alice B.')
      })

      it('stores, returns and deletes a session by id', async () => {
        const session: Session = { id: 'sha-1', agentId: 'a1', createdAt: T0, expiresAt: at(60) }
        await store.putSession(session)
        await store.putSession({ ...session, id: 'sha-2' })
        expect(await store.getSession('sha-1')).toEqual(session)
        await store.deleteSession('sha-1')
        expect(await store.getSession('sha-1')).toBeNull()
        expect((await store.getSession('sha-2'))?.agentId).toBe('a1')
        await expect(store.deleteSession('never-existed')).resolves.toBeUndefined()
      })

      it('returns a stored contact and the latest version after a replace', async () => {
        await store.putContact(contact('ct1'))
        expect(await store.getContact('ct1')).toEqual(contact('ct1'))
        await store.putContact(contact('ct1', { name: 'Ada L.', email: null }))
        expect(await store.getContact('ct1')).toEqual(contact('ct1', { name: 'Ada L.', email: null }))
        expect(await store.getContact('nobody')).toBeNull()
      })

      it('searches contacts of the given sites by name, email or phone digits, newest first', async () => {
        await store.putContact(
          contact('ct1', { name: 'Ada Lovelace', email: 'ada@example.com', createdAt: at(1) }),
        )
        await store.putContact(
          contact('ct2', { name: null, email: null, phone: '4915112345678', createdAt: at(2) }),
        )
        await store.putContact(contact('ct3', { name: 'Adam', email: 'adam@example.com', createdAt: at(3) }))
        await store.putContact(contact('ct4', { siteId: 'other', name: 'Ada Elsewhere', createdAt: at(4) }))
        const ids = async (filter: Parameters<Store['listContacts']>[0]) =>
          (await store.listContacts(filter)).map((c) => c.id)

        expect(await ids({ siteIds: ['s1'] })).toEqual(['ct3', 'ct2', 'ct1'])
        expect(await ids({ siteIds: ['s1'], query: 'ADA' })).toEqual(['ct3', 'ct1'])
        expect(await ids({ siteIds: ['s1'], query: 'ada@example' })).toEqual(['ct1'])
        expect(await ids({ siteIds: ['s1'], query: '+49 151 123' })).toEqual(['ct2'])
        expect(await ids({ siteIds: ['s1'], query: '12' })).toEqual([])
        expect(await ids({ siteIds: ['s1'], limit: 1 })).toEqual(['ct3'])
        expect(await ids({ siteIds: [] })).toEqual([])
      })

      it('lists the contacts merged into a contact', async () => {
        await store.putContact(contact('ct1'))
        await store.putContact(contact('ct2', { mergedInto: 'ct1', mergedAt: at(5), mergedBy: 'a1' }))
        await store.putContact(contact('ct3', { mergedInto: 'ct9' }))
        expect((await store.listContacts({ siteIds: ['s1'], mergedInto: 'ct1' })).map((c) => c.id)).toEqual([
          'ct2',
        ])
        await store.putContact(contact('ct2', { mergedInto: null }))
        expect(await store.listContacts({ siteIds: ['s1'], mergedInto: 'ct1' })).toEqual([])
      })
    })

    describe('updateSite', () => {
      it('keeps every field of 12 concurrent updates that each change a different one', async () => {
        await store.putSite(site('s1'))
        const origins = Array.from({ length: 10 }, (_, i) => `https://shop${i}.example`)
        const results = await Promise.all([
          store.updateSite('s1', (s) => ({ ...s, name: 'Renamed' })),
          store.updateSite('s1', (s) => ({ ...s, helpdesk: { ...s.helpdesk, autoAssign: false } })),
          ...origins.map((origin) =>
            store.updateSite('s1', (s) => ({ ...s, allowedOrigins: [...s.allowedOrigins, origin] })),
          ),
        ])
        const stored = await store.getSite('s1')
        expect(stored?.name).toBe('Renamed')
        expect(stored?.helpdesk).toEqual({ autoAssign: false })
        expect([...(stored?.allowedOrigins ?? [])].sort()).toEqual(['https://s1.example', ...origins].sort())
        // Each update resolves to what it stored: the last one to run saw all the others.
        expect(results.filter((r) => r?.allowedOrigins.length === 11)).toHaveLength(1)
      })

      it('stores nothing when the mutator throws, rejects with its error, and takes the next update', async () => {
        await store.putSite(site('s1'))
        const refusal = new Error('refused')
        await expect(
          store.updateSite('s1', (s) => {
            s.name = 'changed in place'
            throw refusal
          }),
        ).rejects.toBe(refusal)
        expect(await store.getSite('s1')).toEqual(site('s1'))
        const next = await store.updateSite('s1', (s) => ({ ...s, botName: 'Ava' }))
        expect(next).toEqual(site('s1', { botName: 'Ava' }))
        expect(await store.getSite('s1')).toEqual(site('s1', { botName: 'Ava' }))
      })

      it('returns null for a site that does not exist, without calling the mutator or creating it', async () => {
        let called = false
        const result = await store.updateSite('nope', (current) => {
          called = true
          return current
        })
        expect(result).toBeNull()
        expect(called).toBe(false)
        expect(await store.getSite('nope')).toBeNull()
      })

      it('leaves the site as it is when the mutator returns null, and returns the current site', async () => {
        await store.putSite(site('s1', { name: 'Kept' }))
        expect(await store.updateSite('s1', () => null)).toEqual(site('s1', { name: 'Kept' }))
        expect(await store.getSite('s1')).toEqual(site('s1', { name: 'Kept' }))
      })

      it('refuses an update that changes the site id', async () => {
        await store.putSite(site('s1'))
        await expect(store.updateSite('s1', (s) => ({ ...s, id: 's2' }))).rejects.toThrow(/id/)
        expect(await store.getSite('s2')).toBeNull()
        expect(await store.getSite('s1')).toEqual(site('s1'))
      })

      it('hands out a copy: changing the returned site leaves the store unchanged', async () => {
        await store.putSite(site('s1'))
        const returned = await store.updateSite('s1', (s) => ({ ...s, name: 'New' }))
        if (returned) returned.allowedOrigins.push('https://evil.example')
        expect(await store.getSite('s1')).toEqual(site('s1', { name: 'New' }))
      })
    })

    describe('conversations', () => {
      it('returns a created conversation by id with its created event as the only event', async () => {
        const c = conversation()
        const event = createdEvent(c)
        expect(await store.createConversation(c, event)).toEqual(c)
        expect(await store.getConversation(c.id)).toEqual(c)
        expect(await store.listEvents(c.id)).toEqual([event])
        expect(await store.listMessages(c.id)).toEqual([])
        expect(await store.getConversation('conv_missing')).toBeNull()
      })

      it('refuses to create a conversation whose id already exists', async () => {
        const c = await create()
        await expect(store.createConversation({ ...c, status: 'queued' }, createdEvent(c))).rejects.toThrow()
        expect((await store.getConversation(c.id))?.status).toBe('bot')
      })

      it('lists conversations of the given sites, newest update first, filtered by status and contact', async () => {
        const old = await create({ siteId: 's1', status: 'bot', updatedAt: at(1) })
        const mid = await create({ siteId: 's2', status: 'queued', updatedAt: at(2) })
        const recent = await create({ siteId: 's1', status: 'queued', updatedAt: at(3), contactId: 'ct2' })
        await create({ siteId: 'other', status: 'queued', updatedAt: at(4) })
        const ids = async (filter: Parameters<Store['listConversations']>[0]) =>
          (await store.listConversations(filter)).map((c) => c.id)

        expect(await ids({ siteIds: ['s1', 's2'] })).toEqual([recent.id, mid.id, old.id])
        expect(await ids({ siteIds: ['s1'] })).toEqual([recent.id, old.id])
        expect(await ids({ siteIds: ['s1', 's2'], statuses: ['queued'] })).toEqual([recent.id, mid.id])
        expect(await ids({ siteIds: ['s1', 's2'], statuses: ['assigned', 'resolved'] })).toEqual([])
        expect(await ids({ siteIds: ['s1', 's2'], contactId: 'ct2' })).toEqual([recent.id])
        expect(await ids({ siteIds: ['s1', 's2'], contactIds: ['ct2', 'ct1'] })).toEqual([
          recent.id,
          mid.id,
          old.id,
        ])
        expect(await ids({ siteIds: ['s1', 's2'], contactIds: [] })).toEqual([])
        expect(await ids({ siteIds: ['s1', 's2'], limit: 2 })).toEqual([recent.id, mid.id])
        expect(await ids({ siteIds: [] })).toEqual([])
      })

      it('moves a conversation to the top of the list when a message updates it', async () => {
        const a = await create({ updatedAt: at(1) })
        const b = await create({ updatedAt: at(2) })
        await store.appendMessage(message(a.id, 'hello again'))
        expect((await store.listConversations({ siteIds: ['s1'] })).map((c) => c.id)).toEqual([a.id, b.id])
      })

      it('limits an unbounded list to 200 conversations', async () => {
        await Promise.all(Array.from({ length: 205 }, (_, i) => create({ updatedAt: at(i) })))
        const list = await store.listConversations({ siteIds: ['s1'] })
        expect(list).toHaveLength(200)
        expect(list[0]?.updatedAt).toBe(at(204))
      })
    })

    describe('messages', () => {
      it('gives the first message seq 1 and sets lastSeq, updatedAt and the preview', async () => {
        const c = await create()
        const result = await store.appendMessage(
          message(c.id, 'Where is my order?', { clientId: 'client-0001' }),
        )
        if (!result.ok) throw new Error('append refused')
        expect(result.duplicate).toBe(false)
        expect(result.message).toMatchObject({
          conversationId: c.id,
          seq: 1,
          clientId: 'client-0001',
          text: 'Where is my order?',
        })
        expect(result.message.id).toMatch(/^msg_/)
        expect(result.conversation).toMatchObject({
          lastSeq: 1,
          preview: 'Where is my order?',
          updatedAt: result.message.createdAt,
        })
        expect(await store.getConversation(c.id)).toEqual(result.conversation)
        expect(await store.listMessages(c.id)).toEqual([result.message])
      })

      it('keeps the shopper preview when the bot or an agent writes, and shortens long text to one line', async () => {
        const c = await create()
        const long = `Hello\n\nthere   ${'x'.repeat(300)}`
        await store.appendMessage(message(c.id, long))
        await store.appendMessage(
          message(c.id, 'I am the assistant.', { author: 'bot', authorName: 'Parley' }),
        )
        const preview = (await store.getConversation(c.id))?.preview ?? ''
        expect(preview.startsWith('Hello there xxx')).toBe(true)
        expect(preview).not.toContain('\n')
        expect(preview.length).toBe(140)
        expect(preview.endsWith('…')).toBe(true)
        expect((await store.getConversation(c.id))?.lastSeq).toBe(2)
      })

      it('stores an internal note with its flag, counts it, and leaves the preview alone', async () => {
        const c = await create()
        await store.appendMessage(message(c.id, 'Where is my parcel?'))
        const note = await store.appendMessage(
          message(c.id, 'Carrier lost it, refund', { author: 'agent', authorId: 'a1', internal: true }),
        )
        if (!note.ok) throw new Error('append refused')
        expect(note.message).toMatchObject({ seq: 2, internal: true })
        expect(note.conversation).toMatchObject({
          lastSeq: 2,
          internalCount: 1,
          preview: 'Where is my parcel?',
        })
        const reply = await store.appendMessage(message(c.id, 'On it', { author: 'agent', authorId: 'a1' }))
        if (!reply.ok) throw new Error('append refused')
        expect(reply.message.internal).toBeUndefined()
        expect(reply.conversation.internalCount).toBe(1)
        expect((await store.listMessages(c.id)).map((m) => m.internal ?? false)).toEqual([false, true, false])
      })

      it('numbers 50 concurrent appends 1..50 without gaps and lists them in seq order', async () => {
        const c = await create()
        const texts = Array.from({ length: 50 }, (_, i) => `message ${i}`)
        const results = await Promise.all(texts.map((t) => store.appendMessage(message(c.id, t))))
        const seqs = results.map((r) => (r.ok ? r.message.seq : -1)).sort((a, b) => a - b)
        expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i + 1))
        const listed = await store.listMessages(c.id)
        expect(listed.map((m) => m.seq)).toEqual(seqs)
        expect(listed.map((m) => m.text).sort()).toEqual([...texts].sort())
        expect((await store.getConversation(c.id))?.lastSeq).toBe(50)
      })

      it('stores a retried clientId once and returns the same id and seq with duplicate=true', async () => {
        const c = await create()
        const first = await store.appendMessage(message(c.id, 'hi', { clientId: 'retry-0001' }))
        const again = await store.appendMessage(message(c.id, 'hi', { clientId: 'retry-0001' }))
        if (!first.ok || !again.ok) throw new Error('append refused')
        expect(again.duplicate).toBe(true)
        expect(again.message.id).toBe(first.message.id)
        expect(again.message.seq).toBe(1)
        expect(await store.listMessages(c.id)).toHaveLength(1)
        expect((await store.getConversation(c.id))?.lastSeq).toBe(1)
      })

      it('stores one message when the same clientId is sent twice at the same time', async () => {
        const c = await create()
        const both = await Promise.all([
          store.appendMessage(message(c.id, 'hi', { clientId: 'race-00001' })),
          store.appendMessage(message(c.id, 'hi', { clientId: 'race-00001' })),
        ])
        const ids = both.map((r) => (r.ok ? r.message.id : null))
        expect(ids[0]).toBe(ids[1])
        expect(both.map((r) => r.ok && r.duplicate).sort()).toEqual([false, true])
        expect(await store.listMessages(c.id)).toHaveLength(1)
      })

      it('dedupes client ids per conversation, not across conversations', async () => {
        const a = await create()
        const b = await create()
        await store.appendMessage(message(a.id, 'one', { clientId: 'same-00001' }))
        const inB = await store.appendMessage(message(b.id, 'two', { clientId: 'same-00001' }))
        expect(inB.ok && inB.duplicate).toBe(false)
        expect((await store.listMessages(b.id)).map((m) => m.text)).toEqual(['two'])
      })

      it('refuses an append whose requireStatus excludes the current status and stores nothing', async () => {
        const c = await create({
          status: 'assigned',
          assigneeId: 'a1',
          assigneeName: 'Alice',
          humanInvolved: true,
        })
        const refused = await store.appendMessage(message(c.id, 'bot talk', { author: 'bot' }), {
          requireStatus: ['bot'],
        })
        expect(refused.ok).toBe(false)
        expect(refused.conversation.status).toBe('assigned')
        expect(await store.listMessages(c.id)).toEqual([])
        expect(await store.getConversation(c.id)).toEqual(c)
        const allowed = await store.appendMessage(message(c.id, 'agent talk', { author: 'agent' }), {
          requireStatus: ['assigned'],
        })
        expect(allowed.ok && allowed.message.seq).toBe(1)
      })

      it('keeps the bot silent once a claim lands between its check and its append', async () => {
        const c = await create({ status: 'bot' })
        const [claim, botReply] = await Promise.all([
          apply(c.id, { type: 'claim', agentId: 'a1', agentName: 'Alice' }, agentActor('a1')),
          store.appendMessage(message(c.id, 'bot talk', { author: 'bot' }), { requireStatus: ['bot'] }),
        ])
        expect(claim?.ok).toBe(true)
        // Whichever ran first, the stored messages agree with the results.
        if (!botReply.ok) expect(botReply.conversation.status).toBe('assigned')
        expect(await store.listMessages(c.id)).toHaveLength(botReply.ok ? 1 : 0)
        expect((await store.getConversation(c.id))?.lastSeq).toBe(botReply.ok ? 1 : 0)
      })

      it('returns exactly the messages after afterSeq, in order', async () => {
        const c = await create()
        for (const t of ['a', 'b', 'c', 'd', 'e']) await store.appendMessage(message(c.id, t))
        expect((await store.listMessages(c.id, 2)).map((m) => [m.seq, m.text])).toEqual([
          [3, 'c'],
          [4, 'd'],
          [5, 'e'],
        ])
        expect(await store.listMessages(c.id, 5)).toEqual([])
        expect((await store.listMessages(c.id, 0)).map((m) => m.seq)).toEqual([1, 2, 3, 4, 5])
        expect(await store.listMessages('conv_missing')).toEqual([])
      })

      it('rejects an append to a conversation that does not exist', async () => {
        await expect(store.appendMessage(message('conv_missing', 'hi'))).rejects.toThrow()
      })
    })

    describe('updateConversation', () => {
      it('lets exactly one of 10 concurrent claims win; the others are told who owns it', async () => {
        const c = await create({ status: 'queued' })
        const agents = Array.from({ length: 10 }, (_, i) => ({ id: `a${i}`, name: `Agent ${i}` }))
        const results = await Promise.all(
          agents.map((a) =>
            apply(c.id, { type: 'claim', agentId: a.id, agentName: a.name }, agentActor(a.id)),
          ),
        )
        const winners = results.filter((r) => r?.ok)
        expect(winners).toHaveLength(1)
        const winner = winners[0]
        if (!winner?.ok) throw new Error('no winner')
        const owner = winner.conversation.assigneeId
        for (const r of results) {
          if (r === null || r.ok) continue
          expect(r.error.code).toBe('already_assigned')
          expect(r.error.details?.assigneeId).toBe(owner)
        }
        expect(results.filter((r) => r && !r.ok)).toHaveLength(9)
        expect((await store.getConversation(c.id))?.assigneeId).toBe(owner)
        const events = await store.listEvents(c.id)
        expect(events.map((e) => e.type)).toEqual(['created', 'assigned'])
        expect(events[1]?.actor).toEqual(agentActor(owner ?? ''))
      })

      it('appends every transition event in order after the created event', async () => {
        const c = await create()
        const bot: Actor = { kind: 'bot', id: null }
        const handoff = await apply(
          c.id,
          { type: 'handoff', reason: 'asked', summary: null, priority: 'high' },
          bot,
        )
        await apply(c.id, { type: 'claim', agentId: 'a1', agentName: 'Alice' }, agentActor('a1'))
        await apply(c.id, { type: 'resolve' }, agentActor('a1'))
        await apply(c.id, { type: 'reopen' }, { kind: 'contact', id: c.contactId })
        const events = await store.listEvents(c.id)
        expect(events.map((e) => e.type)).toEqual(['created', 'handoff', 'assigned', 'resolved', 'reopened'])
        expect(events[1]).toEqual(handoff?.ok ? handoff.event : 'no handoff event')
        const after = await store.getConversation(c.id)
        expect(after).toMatchObject({
          status: 'queued',
          priority: 'high',
          assigneeId: null,
          humanInvolved: true,
        })
      })

      it('stores neither state nor event when the mutation refuses', async () => {
        const c = await create({ status: 'queued' })
        const result = await apply(c.id, { type: 'reopen' }, agentActor('a1'))
        expect(result?.ok === false && result.error.code).toBe('invalid_transition')
        expect(await store.getConversation(c.id)).toEqual(c)
        expect((await store.listEvents(c.id)).map((e) => e.type)).toEqual(['created'])
      })

      it('returns null for a conversation that does not exist, without calling the mutator', async () => {
        let called = false
        const result = await store.updateConversation('conv_missing', (current) => {
          called = true
          return { ok: true, conversation: current, event: null }
        })
        expect(result).toBeNull()
        expect(called).toBe(false)
      })

      it('keeps lastSeq and messages when a conversation changes status', async () => {
        const c = await create()
        await store.appendMessage(message(c.id, 'first'))
        await apply(
          c.id,
          { type: 'handoff', reason: 'asked', summary: 'wants a human', priority: 'normal' },
          {
            kind: 'bot',
            id: null,
          },
        )
        const after = await store.getConversation(c.id)
        expect(after).toMatchObject({
          status: 'queued',
          lastSeq: 1,
          preview: 'first',
          handoffSummary: 'wants a human',
        })
        expect((await store.listMessages(c.id)).map((m) => m.text)).toEqual(['first'])
      })
    })

    describe('copies', () => {
      it('hands out copies: mutating returned objects or inputs leaves the store unchanged', async () => {
        const s = site('s1')
        await store.putSite(s)
        s.name = 'mutated input'
        const gotSite = await store.getSite('s1')
        if (gotSite) gotSite.allowedOrigins.push('https://evil.example')
        expect(await store.getSite('s1')).toEqual(site('s1'))

        const c = await create()
        const created = await store.getConversation(c.id)
        if (created) created.status = 'resolved'
        const listed = await store.listConversations({ siteIds: ['s1'] })
        if (listed[0]) listed[0].assigneeId = 'intruder'
        const appended = await store.appendMessage(message(c.id, 'original'))
        if (appended.ok) {
          appended.message.text = 'changed'
          appended.conversation.lastSeq = 99
        }
        const messages = await store.listMessages(c.id)
        if (messages[0]) messages[0].text = 'changed again'
        const events = await store.listEvents(c.id)
        if (events[0]) events[0].data.tampered = true

        expect(await store.getConversation(c.id)).toMatchObject({
          status: 'bot',
          assigneeId: null,
          lastSeq: 1,
        })
        expect((await store.listMessages(c.id))[0]?.text).toBe('original')
        expect((await store.listEvents(c.id))[0]?.data).toEqual({})
      })

      it('ignores in-place changes a refusing mutator makes to the state it was given', async () => {
        const c = await create()
        await store.updateConversation(c.id, (current) => {
          current.status = 'resolved'
          return { ok: false, error: { code: 'invalid_transition', message: 'no' } }
        })
        expect((await store.getConversation(c.id))?.status).toBe('bot')
      })
    })

    describe('articles', () => {
      it('stores articles per site, replaces by slug, lists in slug order and deletes one', async () => {
        await store.putArticle(article('s1', 'shipping'))
        await store.putArticle(article('s1', 'returns'))
        await store.putArticle(article('s2', 'shipping', { title: 'Other site' }))
        await store.putArticle(article('s1', 'shipping', { title: 'Shipping v2', verified: false }))
        expect(await store.listArticles('s1')).toEqual([
          article('s1', 'returns'),
          article('s1', 'shipping', { title: 'Shipping v2', verified: false }),
        ])
        await store.deleteArticle('s1', 'returns')
        expect((await store.listArticles('s1')).map((a) => a.slug)).toEqual(['shipping'])
        expect((await store.listArticles('s2')).map((a) => a.title)).toEqual(['Other site'])
        expect(await store.listArticles('s3')).toEqual([])
        await expect(store.deleteArticle('s3', 'nothing')).resolves.toBeUndefined()
      })
    })

    describe('action requests', () => {
      it('returns a stored action by id and the latest version after a replace', async () => {
        const c = await create()
        const action = actionRequest(c.id)
        expect(await store.putAction(action)).toBe(true)
        expect(await store.getAction(action.id)).toEqual(action)
        const approved = { ...action, status: 'approved' as const, decidedBy: { id: 'a1', name: 'Alice' } }
        await store.putAction(approved)
        expect(await store.getAction(action.id)).toEqual(approved)
        expect(await store.getAction('act_missing')).toBeNull()
      })

      it('lists actions of the given sites newest first, filtered by conversation and status', async () => {
        const a = await create({ siteId: 's1' })
        const b = await create({ siteId: 's2' })
        const other = await create({ siteId: 'other' })
        const old = actionRequest(a.id, { createdAt: at(1) })
        const mid = actionRequest(b.id, { siteId: 's2', createdAt: at(2), status: 'executed' })
        const recent = actionRequest(a.id, { createdAt: at(3), status: 'refused' })
        await store.putAction(old)
        await store.putAction(mid)
        await store.putAction(recent)
        await store.putAction(actionRequest(other.id, { siteId: 'other', createdAt: at(4) }))
        const ids = async (filter: Parameters<Store['listActions']>[0]) =>
          (await store.listActions(filter)).map((x) => x.id)
        expect(await ids({ siteIds: ['s1', 's2'] })).toEqual([recent.id, mid.id, old.id])
        expect(await ids({ siteIds: ['s1', 's2'], conversationId: a.id })).toEqual([recent.id, old.id])
        expect(await ids({ siteIds: ['s1', 's2'], statuses: ['pending', 'executed'] })).toEqual([
          mid.id,
          old.id,
        ])
        expect(await ids({ siteIds: ['s2'], conversationId: a.id })).toEqual([])
        expect(await ids({ siteIds: [] })).toEqual([])
        expect(await ids({ siteIds: ['s1', 's2'], limit: 1 })).toEqual([recent.id])
      })

      it('replaces an action with ifStatus only while it is in one of those statuses', async () => {
        const c = await create()
        const action = actionRequest(c.id)
        await store.putAction(action)
        const decide = (status: 'approved' | 'rejected') =>
          store.putAction({ ...action, status }, { ifStatus: ['pending'] })
        const [approved, rejected] = await Promise.all([decide('approved'), decide('rejected')])
        expect([approved, rejected].filter(Boolean)).toHaveLength(1)
        expect((await store.getAction(action.id))?.status).toBe(approved ? 'approved' : 'rejected')
        expect(await store.putAction(actionRequest(c.id), { ifStatus: ['pending'] })).toBe(false)
      })

      it('keeps actions when the conversation later changes, gets messages or events', async () => {
        const c = await create()
        const action = actionRequest(c.id)
        await store.putAction(action)
        await store.appendMessage(message(c.id, 'hello'))
        await apply(c.id, { type: 'claim', agentId: 'a1', agentName: 'Alice' }, agentActor('a1'))
        expect(await store.listActions({ siteIds: ['s1'], conversationId: c.id })).toEqual([action])
        expect((await store.listMessages(c.id)).map((m) => m.text)).toEqual(['hello'])
      })

      it('refuses an action for a conversation that does not exist', async () => {
        await expect(store.putAction(actionRequest('conv_missing'))).rejects.toThrow()
        expect(await store.listActions({ siteIds: ['s1'] })).toEqual([])
      })

      it('hands out copies of actions', async () => {
        const c = await create()
        const action = actionRequest(c.id)
        await store.putAction(action)
        action.status = 'approved'
        const got = await store.getAction(action.id)
        if (got) got.input.amount = 900
        const listed = await store.listActions({ siteIds: ['s1'] })
        if (listed[0]) listed[0].status = 'executed'
        expect(await store.getAction(action.id)).toMatchObject({ status: 'pending', input: { amount: 12 } })
      })
    })

    describe('keyed records', () => {
      it('reads back a record as written, replaced by a second put, apart from other namespaces and keys', async () => {
        const value = { conversationId: 'conv_1', messageId: 'msg_1', note: null, text: 'a\u0000b' }
        await store.putRecord('whatsapp.messages', 'wamid.1', value)
        await store.putRecord('whatsapp.messages', 'wamid.2', { other: true })
        expect(await store.getRecord('whatsapp.messages', 'wamid.1')).toEqual(value)
        await store.putRecord('whatsapp.messages', 'wamid.1', 'replaced')
        expect(await store.getRecord('whatsapp.messages', 'wamid.1')).toBe('replaced')
        expect(await store.getRecord('api.messages', 'wamid.1')).toBeNull()
        expect(await store.getRecord('whatsapp.messages', 'wamid.3')).toBeNull()
        expect(await store.getRecord('whatsapp.messages', 'wamid.2')).toEqual({ other: true })
      })

      it('stores a record if absent once: true the first time, false after, the first value kept', async () => {
        expect(await store.putRecordIfAbsent('api.messages', 'm1', { n: 1 })).toBe(true)
        expect(await store.putRecordIfAbsent('api.messages', 'm1', { n: 2 })).toBe(false)
        expect(await store.getRecord('api.messages', 'm1')).toEqual({ n: 1 })
        await store.putRecord('api.messages', 'm2', { n: 3 })
        expect(await store.putRecordIfAbsent('api.messages', 'm2', { n: 4 })).toBe(false)
        expect(await store.getRecord('api.messages', 'm2')).toEqual({ n: 3 })
      })

      it('of ten concurrent putRecordIfAbsent calls on one key, exactly one stores', async () => {
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, n) => store.putRecordIfAbsent('messenger.messages', 'mid.1', { n })),
        )
        expect(results.filter(Boolean)).toHaveLength(1)
        const winner = results.indexOf(true)
        expect(await store.getRecord('messenger.messages', 'mid.1')).toEqual({ n: winner })
      })

      it('updates a record atomically: concurrent increments all count, null leaves it, a throw stores nothing', async () => {
        const bump = (current: unknown) => ({ n: ((current as { n: number } | null)?.n ?? 0) + 1 })
        await Promise.all(
          Array.from({ length: 10 }, () => store.updateRecord('whatsapp.deliveries', 'c1', bump)),
        )
        expect(await store.getRecord('whatsapp.deliveries', 'c1')).toEqual({ n: 10 })
        expect(await store.updateRecord('whatsapp.deliveries', 'c1', () => null)).toEqual({ n: 10 })
        expect(await store.updateRecord('whatsapp.deliveries', 'c2', () => undefined)).toBeNull()
        expect(await store.getRecord('whatsapp.deliveries', 'c2')).toBeNull()
        await expect(
          store.updateRecord('whatsapp.deliveries', 'c1', () => {
            throw new Error('refused')
          }),
        ).rejects.toThrow('refused')
        expect(await store.getRecord('whatsapp.deliveries', 'c1')).toEqual({ n: 10 })
      })

      it('hands out copies of records and refuses a namespace that could not name a file', async () => {
        await store.putRecord('api.contacts', 'k', { list: [1] })
        const got = (await store.getRecord('api.contacts', 'k')) as { list: number[] }
        got.list.push(2)
        expect(await store.getRecord('api.contacts', 'k')).toEqual({ list: [1] })
        await expect(store.putRecord('../escape', 'k', 1)).rejects.toThrow()
        await expect(store.getRecord('Upper', 'k')).rejects.toThrow()
      })
    })
  })
}
