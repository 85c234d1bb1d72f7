import { describe, expect, it } from 'vitest'
import type { Conversation } from '../store/types.ts'
import { transition } from './state-machine.ts'

const base: Conversation = {
  id: 'cnv_1',
  siteId: 'demo',
  contactId: 'ctc_1',
  channel: 'web',
  status: 'bot',
  priority: 'normal',
  handoffReason: null,
  handoffSummary: null,
  assigneeId: null,
  assigneeName: null,
  humanInvolved: false,
  lastSeq: 2,
  preview: 'hi',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
}
let n = 0
const ctx = (kind: 'agent' | 'bot' | 'contact' = 'agent', id: string | null = 'agt_a', isAdmin = false) => ({
  actor: { kind, id },
  now: '2026-01-01T00:05:00.000Z',
  newId: () => `evt_${++n}`,
  isAdmin,
})
const claimA = { type: 'claim', agentId: 'agt_a', agentName: 'Ada' } as const

function ok(result: ReturnType<typeof transition>) {
  if (!result.ok) throw new Error(`refused: ${result.error.code}`)
  return result
}

describe('conversation state machine', () => {
  it('hands a bot conversation off to the queue with reason, priority and an audit event', () => {
    const result = ok(
      transition(
        base,
        { type: 'handoff', reason: 'requested_human', summary: 'wants a person', priority: 'high' },
        ctx('bot', null),
      ),
    )
    expect(result.conversation).toMatchObject({
      status: 'queued',
      handoffReason: 'requested_human',
      priority: 'high',
    })
    expect(result.event).toMatchObject({
      type: 'handoff',
      actor: { kind: 'bot' },
      data: { from: 'bot', reason: 'requested_human' },
    })
    expect(base.status).toBe('bot')
  })

  it('refuses a handoff once a human owns the conversation', () => {
    const assigned = ok(transition(base, claimA, ctx())).conversation
    const result = transition(
      assigned,
      { type: 'handoff', reason: 'no_answer', summary: null, priority: 'normal' },
      ctx('bot', null),
    )
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_transition' } })
  })

  it('a claim assigns one agent; a second agent is refused with the owner named; the owner re-claiming is a no-op', () => {
    const assigned = ok(transition({ ...base, status: 'queued' }, claimA, ctx())).conversation
    expect(assigned).toMatchObject({
      status: 'assigned',
      assigneeId: 'agt_a',
      assigneeName: 'Ada',
      humanInvolved: true,
    })
    const other = transition(
      assigned,
      { type: 'claim', agentId: 'agt_b', agentName: 'Bo' },
      ctx('agent', 'agt_b'),
    )
    expect(other).toMatchObject({
      ok: false,
      error: { code: 'already_assigned', details: { assigneeName: 'Ada' } },
    })
    const again = ok(transition(assigned, claimA, ctx()))
    expect(again.event).toBeNull()
    expect(again.conversation).toBe(assigned)
  })

  it('only the assignee (or an admin) resolves an assigned conversation', () => {
    const assigned = ok(transition(base, claimA, ctx())).conversation
    expect(transition(assigned, { type: 'resolve' }, ctx('agent', 'agt_b'))).toMatchObject({
      ok: false,
      error: { code: 'not_assignee' },
    })
    expect(
      ok(transition(assigned, { type: 'resolve' }, ctx('agent', 'agt_b', true))).conversation.status,
    ).toBe('resolved')
    const resolved = ok(transition(assigned, { type: 'resolve' }, ctx())).conversation
    expect(resolved.status).toBe('resolved')
    expect(transition(resolved, { type: 'resolve' }, ctx())).toMatchObject({
      ok: false,
      error: { code: 'invalid_transition' },
    })
  })

  it('the bot may resolve only conversations it still handles', () => {
    expect(ok(transition(base, { type: 'resolve' }, ctx('bot', null))).conversation.status).toBe('resolved')
    const queued = { ...base, status: 'queued' as const }
    expect(transition(queued, { type: 'resolve' }, ctx('bot', null))).toMatchObject({ ok: false })
  })

  it('reopens to the bot when no human was involved, and to the queue (unassigned) when one was', () => {
    const botOnly = ok(
      transition({ ...base, status: 'resolved' }, { type: 'reopen' }, ctx('contact', 'ctc_1')),
    )
    expect(botOnly.conversation).toMatchObject({ status: 'bot', handoffReason: null })
    const humanHandled = {
      ...base,
      status: 'resolved' as const,
      humanInvolved: true,
      assigneeId: 'agt_a',
      assigneeName: 'Ada',
    }
    const reopened = ok(transition(humanHandled, { type: 'reopen' }, ctx('contact', 'ctc_1')))
    expect(reopened.conversation).toMatchObject({
      status: 'queued',
      assigneeId: null,
      handoffReason: 'reopened',
    })
    expect(reopened.event).toMatchObject({ type: 'reopened', data: { from: 'resolved', to: 'queued' } })
    expect(transition(base, { type: 'reopen' }, ctx('contact', 'ctc_1'))).toMatchObject({ ok: false })
  })
})

describe('manual assignment rules', () => {
  const owned = { ...base, status: 'assigned' as const, assigneeId: 'agt_a', assigneeName: 'Ada' }
  const toBo = { type: 'assign', agentId: 'agt_b', agentName: 'Bo' } as const

  it('lets any agent assign an unowned conversation to a colleague', () => {
    const result = ok(transition({ ...base, status: 'queued' }, toBo, ctx('agent', 'agt_c')))
    expect(result.conversation).toMatchObject({ status: 'assigned', assigneeId: 'agt_b', assigneeName: 'Bo' })
    expect(result.event).toMatchObject({ type: 'assigned', data: { agentId: 'agt_b', from: 'queued' } })
  })

  it('refuses a non-admin moving a conversation another agent owns, naming the owner', () => {
    for (const command of [toBo, { type: 'unassign', reason: 'manual' } as const]) {
      expect(transition(owned, command, ctx('agent', 'agt_c'))).toMatchObject({
        ok: false,
        error: { code: 'already_assigned', details: { assigneeId: 'agt_a', assigneeName: 'Ada' } },
      })
    }
  })

  it('lets the assignee transfer or unassign their own conversation, and an admin anyone’s', () => {
    expect(ok(transition(owned, toBo, ctx('agent', 'agt_a'))).conversation.assigneeId).toBe('agt_b')
    expect(ok(transition(owned, toBo, ctx('agent', 'agt_c', true))).conversation.assigneeId).toBe('agt_b')
    const back = ok(transition(owned, { type: 'unassign', reason: 'manual', teamId: 'billing' }, ctx()))
    expect(back.conversation).toMatchObject({ status: 'queued', assigneeId: null, teamId: 'billing' })
    expect(back.event).toMatchObject({ type: 'unassigned', data: { previousAssigneeId: 'agt_a' } })
  })

  it('leaves system reassignment (routing) unrestricted and refuses assigning a resolved conversation', () => {
    const system = { ...ctx(), actor: { kind: 'system' as const, id: null } }
    expect(
      ok(transition(owned, { type: 'unassign', reason: 'assignee_offline' }, system)).conversation.status,
    ).toBe('queued')
    expect(transition({ ...owned, status: 'resolved' }, toBo, ctx('agent', 'agt_a', true))).toMatchObject({
      ok: false,
      error: { code: 'invalid_transition' },
    })
  })
})

describe('ratings of a resolution', () => {
  const resolved = ok(
    transition(ok(transition(base, claimA, ctx())).conversation, { type: 'resolve' }, ctx()),
  ).conversation

  it('records who resolved it, and one CSAT without touching updatedAt', () => {
    expect(resolved.resolution).toEqual({ at: '2026-01-01T00:05:00.000Z', agentId: 'agt_a' })
    const later = { ...ctx('contact', 'ctc_1'), now: '2026-01-01T00:09:00.000Z' }
    const rated = ok(transition(resolved, { type: 'rate', score: 5, comment: null }, later))
    expect(rated.conversation.resolution?.csat).toEqual({ score: 5, comment: null, at: later.now })
    expect(rated.conversation.updatedAt).toBe(resolved.updatedAt)
    expect(rated.event).toMatchObject({ type: 'csat', actor: { kind: 'contact' }, data: { score: 5 } })
    expect(rated.event?.data).not.toHaveProperty('comment')
    const retry = ok(transition(rated.conversation, { type: 'rate', score: 5, comment: null }, later))
    expect(retry.event).toBeNull()
    const changed = transition(rated.conversation, { type: 'rate', score: 1, comment: null }, later)
    expect(changed).toMatchObject({ ok: false, error: { code: 'invalid_transition' } })
  })

  it('refuses ratings of an open conversation and clears them on reopen', () => {
    const open = transition(base, { type: 'rate', score: 3, comment: null }, ctx('contact', 'ctc_1'))
    expect(open).toMatchObject({ ok: false, error: { code: 'invalid_transition' } })
    const rated = ok(
      transition(resolved, { type: 'rate', score: 2, comment: 'slow' }, ctx('contact', 'ctc_1')),
    )
    const reopened = ok(transition(rated.conversation, { type: 'reopen' }, ctx('contact', 'ctc_1')))
    expect(reopened.conversation.resolution).toBeNull()
  })

  it('lets only the resolving agent rate the effort, once', () => {
    const other = transition(
      resolved,
      { type: 'rate_effort', agentId: 'agt_b', score: 1 },
      ctx('agent', 'agt_b'),
    )
    expect(other).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    const rated = ok(transition(resolved, { type: 'rate_effort', agentId: 'agt_a', score: 4 }, ctx()))
    expect(rated.event).toMatchObject({ type: 'agent_effort', data: { score: 4 } })
    expect(rated.conversation.resolution?.effort).toMatchObject({ score: 4, agentId: 'agt_a' })
    const again = transition(rated.conversation, { type: 'rate_effort', agentId: 'agt_a', score: 2 }, ctx())
    expect(again).toMatchObject({ ok: false, error: { code: 'invalid_transition' } })
  })
})
