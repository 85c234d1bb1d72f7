/**
 * The conversation lifecycle, in one place: bot → (resolved by bot | queued on handoff) →
 * assigned (one human) → resolved → reopened by a new shopper message. Pure functions: the
 * store runs them inside its atomic update, so a transition is decided on the current state.
 */
import type {
  Actor,
  AuditEvent,
  AuditEventType,
  Priority,
  Resolution,
  WireError,
} from '../../shared/protocol.ts'
import type { Conversation, Mutation } from '../store/types.ts'

export type Command =
  | { type: 'handoff'; reason: string; summary: string | null; priority: Priority }
  | { type: 'claim'; agentId: string; agentName: string }
  | { type: 'resolve' }
  | { type: 'reopen' }
  /** Assign (manual, transfer or automatic). `onlyIfQueued`: auto-assignment never takes one a human already took. */
  | { type: 'assign'; agentId: string; agentName: string; onlyIfQueued?: boolean; teamId?: string | null }
  /** Back to the queue, optionally a team's. */
  | { type: 'unassign'; teamId?: string | null; reason: string }
  | { type: 'update'; priority?: Priority; tags?: string[] }
  /** The shopper's rating of the current resolution (CSAT). */
  | { type: 'rate'; score: number; comment: string | null }
  /** The resolving agent's effort rating of the current resolution. */
  | { type: 'rate_effort'; agentId: string; score: number }

export interface TransitionContext {
  actor: Actor
  now: string
  /** Makes the audit event's id; injected so tests and stores choose. */
  newId: () => string
  /** Admins may resolve a conversation another agent owns. */
  isAdmin?: boolean
}

function refuse(code: WireError['code'], message: string, details?: Record<string, unknown>): Mutation {
  return { ok: false, error: details ? { code, message, details } : { code, message } }
}

/**
 * Manual assignment rule: an agent may move a conversation that is unowned or their own; one another
 * agent owns only an admin may. Decided here, on the current state, so it holds under races.
 */
function ownedByAnother(current: Conversation, ctx: TransitionContext): Mutation | null {
  if (current.status !== 'assigned' || ctx.actor.kind !== 'agent' || ctx.isAdmin) return null
  if (ctx.actor.id === current.assigneeId) return null
  return refuse('already_assigned', `already assigned to ${current.assigneeName ?? 'another agent'}`, {
    assigneeId: current.assigneeId,
    assigneeName: current.assigneeName,
  })
}

function event(
  conversation: Conversation,
  type: AuditEventType,
  ctx: TransitionContext,
  data: Record<string, unknown>,
): AuditEvent {
  return { id: ctx.newId(), conversationId: conversation.id, type, actor: ctx.actor, at: ctx.now, data }
}

/** Decides one command against the current state; never mutates its input. */
export function transition(current: Conversation, command: Command, ctx: TransitionContext): Mutation {
  const from = current.status
  switch (command.type) {
    case 'handoff': {
      if (from !== 'bot') return refuse('invalid_transition', `cannot hand off a ${from} conversation`)
      const conversation: Conversation = {
        ...current,
        status: 'queued',
        handoffReason: command.reason,
        handoffSummary: command.summary,
        priority: command.priority,
        updatedAt: ctx.now,
      }
      return {
        ok: true,
        conversation,
        event: event(current, 'handoff', ctx, {
          from,
          reason: command.reason,
          priority: command.priority,
        }),
      }
    }
    case 'claim': {
      if (from === 'assigned') {
        if (current.assigneeId === command.agentId) return { ok: true, conversation: current, event: null }
        return refuse('already_assigned', `already assigned to ${current.assigneeName ?? 'another agent'}`, {
          assigneeId: current.assigneeId,
          assigneeName: current.assigneeName,
        })
      }
      const conversation: Conversation = {
        ...current,
        status: 'assigned',
        assigneeId: command.agentId,
        assigneeName: command.agentName,
        assignedAt: ctx.now,
        humanInvolved: true,
        updatedAt: ctx.now,
      }
      return {
        ok: true,
        conversation,
        event: event(current, 'assigned', ctx, { from, agentId: command.agentId, takeOver: true }),
      }
    }
    case 'resolve': {
      if (from === 'resolved') return refuse('invalid_transition', 'already resolved')
      if (
        from === 'assigned' &&
        ctx.actor.kind === 'agent' &&
        ctx.actor.id !== current.assigneeId &&
        !ctx.isAdmin
      ) {
        return refuse('not_assignee', `assigned to ${current.assigneeName ?? 'another agent'}`, {
          assigneeId: current.assigneeId,
          assigneeName: current.assigneeName,
        })
      }
      if (ctx.actor.kind === 'bot' && from !== 'bot') {
        return refuse('invalid_transition', 'the bot can only resolve its own conversations')
      }
      const conversation: Conversation = {
        ...current,
        status: 'resolved',
        updatedAt: ctx.now,
        resolution: { at: ctx.now, agentId: ctx.actor.kind === 'agent' ? ctx.actor.id : null },
      }
      return { ok: true, conversation, event: event(current, 'resolved', ctx, { from }) }
    }
    case 'assign': {
      if (command.onlyIfQueued && from !== 'queued') {
        return refuse('invalid_transition', `not queued any more (${from})`)
      }
      if (from === 'resolved') return refuse('invalid_transition', 'cannot assign a resolved conversation')
      if (from === 'assigned' && current.assigneeId === command.agentId) {
        return { ok: true, conversation: current, event: null }
      }
      const taken = ownedByAnother(current, ctx)
      if (taken) return taken
      const conversation: Conversation = {
        ...current,
        status: 'assigned',
        assigneeId: command.agentId,
        assigneeName: command.agentName,
        assignedAt: ctx.now,
        teamId: command.teamId === undefined ? (current.teamId ?? null) : command.teamId,
        humanInvolved: true,
        updatedAt: ctx.now,
      }
      return {
        ok: true,
        conversation,
        event: event(current, 'assigned', ctx, {
          from,
          agentId: command.agentId,
          previousAssigneeId: current.assigneeId,
          auto: command.onlyIfQueued === true,
        }),
      }
    }
    case 'unassign': {
      if (from === 'resolved' || from === 'bot')
        return refuse('invalid_transition', `cannot unassign a ${from} conversation`)
      const held = ownedByAnother(current, ctx)
      if (held) return held
      const teamId = command.teamId === undefined ? (current.teamId ?? null) : command.teamId
      if (from === 'queued' && teamId === (current.teamId ?? null))
        return { ok: true, conversation: current, event: null }
      const conversation: Conversation = {
        ...current,
        status: 'queued',
        assigneeId: null,
        assigneeName: null,
        assignedAt: null,
        teamId,
        updatedAt: ctx.now,
      }
      return {
        ok: true,
        conversation,
        event: event(current, 'unassigned', ctx, {
          from,
          previousAssigneeId: current.assigneeId,
          teamId,
          reason: command.reason,
        }),
      }
    }
    case 'update': {
      const changes: Record<string, unknown> = {}
      let conversation = current
      if (command.priority && command.priority !== current.priority) {
        changes.priority = { from: current.priority, to: command.priority }
        conversation = { ...conversation, priority: command.priority }
      }
      if (command.tags) {
        const tags = [...new Set(command.tags)].sort()
        const before = [...(current.tags ?? [])].sort()
        if (tags.join('\u0000') !== before.join('\u0000')) {
          changes.tags = { from: before, to: tags }
          conversation = { ...conversation, tags }
        }
      }
      if (Object.keys(changes).length === 0) return { ok: true, conversation: current, event: null }
      return {
        ok: true,
        conversation: { ...conversation, updatedAt: ctx.now },
        event: event(current, 'updated', ctx, changes),
      }
    }
    case 'reopen': {
      if (from !== 'resolved') return refuse('invalid_transition', `cannot reopen a ${from} conversation`)
      // A shopper who already talked to a person expects a person again, not the bot.
      const status = current.humanInvolved ? 'queued' : 'bot'
      const conversation: Conversation = {
        ...current,
        status,
        assigneeId: null,
        assigneeName: null,
        handoffReason: current.humanInvolved ? 'reopened' : null,
        updatedAt: ctx.now,
        // The next resolution is rated afresh.
        resolution: null,
      }
      return { ok: true, conversation, event: event(current, 'reopened', ctx, { from, to: status }) }
    }
    case 'rate': {
      if (from !== 'resolved') return refuse('invalid_transition', 'only a resolved conversation is rated')
      const resolution = resolutionOf(current)
      if (resolution.csat) {
        // A retry of the same rating (its ack was lost) is not an error, and not a second record.
        const same = resolution.csat.score === command.score && resolution.csat.comment === command.comment
        return same
          ? { ok: true, conversation: current, event: null }
          : refuse('invalid_transition', 'this resolution was already rated')
      }
      const csat = { score: command.score, comment: command.comment, at: ctx.now }
      return {
        ok: true,
        // Not activity: updatedAt stays, so the inbox order does not change.
        conversation: { ...current, resolution: { ...resolution, csat } },
        event: event(current, 'csat', ctx, {
          score: command.score,
          ...(command.comment !== null && { comment: command.comment }),
        }),
      }
    }
    case 'rate_effort': {
      if (from !== 'resolved') return refuse('invalid_transition', 'only a resolved conversation is rated')
      const resolution = resolutionOf(current)
      if (!mayRateEffort(current, command.agentId))
        return refuse('forbidden', 'only the agent who resolved it rates its effort')
      if (resolution.effort) {
        return resolution.effort.score === command.score
          ? { ok: true, conversation: current, event: null }
          : refuse('invalid_transition', 'the effort of this resolution was already rated')
      }
      const effort = { score: command.score, agentId: command.agentId, at: ctx.now }
      return {
        ok: true,
        conversation: { ...current, resolution: { ...resolution, effort } },
        event: event(current, 'agent_effort', ctx, { score: command.score }),
      }
    }
  }
}

/** The current resolution; one resolved before resolutions were recorded dates from its last change. */
function resolutionOf(current: Conversation): Resolution {
  return current.resolution ?? { at: current.updatedAt, agentId: null }
}

/** The agent who resolved it; when that is not known (an older record), the last assignee. */
export function mayRateEffort(current: Conversation, agentId: string): boolean {
  if (current.status !== 'resolved') return false
  const by = current.resolution?.agentId ?? current.assigneeId
  return by === agentId
}
