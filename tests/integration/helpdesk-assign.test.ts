import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AgentNotification } from '../../shared/helpdesk.ts'
import type { Ack, ConversationSummary, Message } from '../../shared/protocol.ts'
import { manualAssignment, queuedConversation, signIn, silence } from '../support/helpdesk-console.ts'
import { call, record, request, startRelay, type TestRelay, waitFor } from '../support/relay.ts'

let relay: TestRelay
beforeEach(async () => {
  relay = await startRelay()
  await manualAssignment(relay, [{ id: 'billing', name: 'Billing' }])
})
afterEach(async () => {
  await relay.close()
})

type Summary = { conversation: ConversationSummary }

describe('manual assignment', () => {
  it('transfers to a colleague with an internal note, tells them, and shows the shopper only who joined', async () => {
    const ada = await signIn(relay, 'Ada')
    const bo = await signIn(relay, 'Bo')
    const { shopper, conversationId } = await queuedConversation(relay)
    await call(ada.socket, 'conversation:claim', { conversationId })
    const shopperSees = record<Message>(shopper, 'message:new')
    const told = waitFor<AgentNotification>(bo.socket, 'notification', (n) => n.kind === 'assigned')
    const adaHears = silence(ada.socket, 'notification')
    const joined = waitFor<Message>(shopper, 'message:new', (m) => m.text === 'Bo joined the conversation')

    const { conversation } = await call<Summary>(ada.socket, 'conversation:assign', {
      conversationId,
      agentId: bo.agent.id,
      note: 'Customer wants a refund, you handle billing',
    })
    expect(conversation).toMatchObject({ status: 'assigned', assignee: { id: bo.agent.id, name: 'Bo' } })
    expect(await told).toEqual({ kind: 'assigned', conversationId, text: 'Ada assigned you a conversation' })
    expect(await adaHears).toEqual([])

    const messages = await relay.app.parley.store.listMessages(conversationId)
    const note = messages.find((m) => m.text === 'Customer wants a refund, you handle billing')
    expect(note).toMatchObject({ internal: true, authorName: 'Ada' })
    expect(messages.at(-1)).toMatchObject({ author: 'system', text: 'Bo joined the conversation' })
    await joined
    expect(shopperSees.some((m) => m.internal || m.text.includes('refund'))).toBe(false)
    const events = await relay.app.parley.store.listEvents(conversationId)
    expect(events.at(-1)).toMatchObject({
      type: 'assigned',
      actor: { kind: 'agent', id: ada.agent.id },
      data: { agentId: bo.agent.id, previousAssigneeId: ada.agent.id },
    })
    // Now Bo owns it: Bo replies, Ada cannot.
    expect(
      await request(ada.socket, 'message:send', { conversationId, clientId: 'c_ada_0001', text: 'x' }),
    ).toMatchObject({ ok: false, error: { code: 'not_assignee' } })
    expect(
      (await request(bo.socket, 'message:send', { conversationId, clientId: 'c_bo_00001', text: 'Hi' })).ok,
    ).toBe(true)
  })

  it('sends a conversation to a team’s queue, or back to the general queue, each audited as unassigned', async () => {
    const ada = await signIn(relay, 'Ada')
    const { conversationId } = await queuedConversation(relay)
    await call(ada.socket, 'conversation:claim', { conversationId })
    const toTeam = await call<Summary>(ada.socket, 'conversation:assign', {
      conversationId,
      teamId: 'billing',
    })
    expect(toTeam.conversation).toMatchObject({ status: 'queued', assignee: null, teamId: 'billing' })
    await call(ada.socket, 'conversation:claim', { conversationId })
    const back = await call<Summary>(ada.socket, 'conversation:assign', {
      conversationId,
      agentId: null,
      teamId: null,
    })
    expect(back.conversation).toMatchObject({ status: 'queued', assignee: null, teamId: null })
    const events = (await relay.app.parley.store.listEvents(conversationId)).filter(
      (e) => e.type === 'unassigned',
    )
    expect(events.map((e) => e.data.teamId)).toEqual(['billing', null])
    expect(
      await request(ada.socket, 'conversation:assign', { conversationId, teamId: 'sales' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    })
    expect(await request(ada.socket, 'conversation:assign', { conversationId })).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload' },
    })
  })

  it('lets only the assignee or an admin move a conversation someone owns, and only to agents of its site', async () => {
    const ada = await signIn(relay, 'Ada')
    const bo = await signIn(relay, 'Bo')
    const admin = await signIn(relay, 'Root', { role: 'admin' })
    const outsider = await relay.addAgent({ email: 'o@example.com', name: 'Olga', siteIds: ['elsewhere'] })
    const { conversationId } = await queuedConversation(relay)
    await call(ada.socket, 'conversation:claim', { conversationId })

    for (const payload of [{ agentId: bo.agent.id }, { agentId: null }]) {
      expect(await request(bo.socket, 'conversation:assign', { conversationId, ...payload })).toMatchObject({
        ok: false,
        error: { code: 'already_assigned', details: { assigneeName: 'Ada' } },
      })
    }
    expect(
      await request(ada.socket, 'conversation:assign', { conversationId, agentId: outsider.id }),
    ).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    })
    const moved = await call<Summary>(admin.socket, 'conversation:assign', {
      conversationId,
      agentId: bo.agent.id,
    })
    expect(moved.conversation.assignee?.name).toBe('Bo')
    await call(bo.socket, 'conversation:resolve', { conversationId })
    expect(
      await request(bo.socket, 'conversation:assign', { conversationId, agentId: ada.agent.id }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid_transition' },
    })
  })

  it('of a take-over and an assignment racing, exactly one lands and the other is told who owns it', async () => {
    const ada = await signIn(relay, 'Ada')
    const bo = await signIn(relay, 'Bo')
    const cy = await signIn(relay, 'Cy')
    for (let round = 0; round < 5; round++) {
      const { shopper, conversationId } = await queuedConversation(relay)
      const results = await Promise.all([
        request<Summary>(ada.socket, 'conversation:claim', { conversationId }),
        request<Summary>(cy.socket, 'conversation:assign', { conversationId, agentId: bo.agent.id }),
      ])
      const winners = results.filter((r): r is Extract<Ack<Summary>, { ok: true }> => r.ok)
      expect(winners).toHaveLength(1)
      const owner = winners[0]?.data.conversation.assignee?.name
      expect(results.find((r) => !r.ok)).toMatchObject({
        ok: false,
        error: { code: 'already_assigned', details: { assigneeName: owner } },
      })
      expect((await relay.app.parley.store.getConversation(conversationId))?.assigneeName).toBe(owner)
      const events = await relay.app.parley.store.listEvents(conversationId)
      expect(events.filter((e) => e.type === 'assigned')).toHaveLength(1)
      shopper.close()
    }
  })
})
