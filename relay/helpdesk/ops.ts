/**
 * The agent's helpdesk moves on a conversation: internal notes, manual assignment (to an agent, to a
 * team's queue, or back to the queue, with an optional transfer note) and priority/tag updates.
 * Every state change goes through `ConversationService.apply`, i.e. the state machine inside the
 * store's atomic update: who may reassign is decided on the current state, so races are safe.
 *
 * Rules (docs/protocol.md):
 * - any agent of the site may add a note or change priority and tags;
 * - any agent of the site may assign an unowned (bot or queued) conversation, to anyone of the site;
 * - a conversation someone owns is reassigned or unassigned only by its assignee or an admin
 *   (`already_assigned`, naming the owner, otherwise);
 * - replies to the customer stay the assignee's (ConversationService.agentSend).
 */
import type { Assign, ConversationUpdate } from '../../shared/helpdesk.ts'
import type { Actor, ConsoleSend, Message } from '../../shared/protocol.ts'
import type { Broadcaster, ConversationService } from '../conversations/service.ts'
import type { Command } from '../conversations/state-machine.ts'
import { AppError } from '../errors.ts'
import type { Agent, Conversation, Store } from '../store/types.ts'
import { teamsOf } from './agents.ts'

export interface HelpdeskOpsDeps {
  store: Store
  service: ConversationService
  broadcaster: Pick<Broadcaster, 'conversationChanged'>
}

function actorOf(agent: Agent): Actor {
  return { kind: 'agent', id: agent.id }
}

export class HelpdeskOps {
  constructor(private readonly deps: HelpdeskOpsDeps) {}

  /** An internal note by any agent of the site, in any status; a retried clientId is stored once. */
  async addNote(
    agent: Agent,
    payload: ConsoleSend,
  ): Promise<{ message: Message; conversation: Conversation }> {
    const current = await this.deps.service.forAgent(agent, payload.conversationId)
    const result = await this.deps.store.appendMessage({
      conversationId: current.id,
      clientId: payload.clientId,
      author: 'agent',
      authorId: agent.id,
      authorName: agent.name,
      text: payload.text,
      sources: [],
      internal: true,
    })
    if (!result.ok) throw new AppError('internal_error', 'append refused without a status condition')
    if (!result.message.internal) {
      throw new AppError('invalid_payload', 'this clientId was already used by a reply', {
        field: 'clientId',
      })
    }
    if (!result.duplicate) {
      this.deps.service.messageStored(result.conversation, result.message)
      this.deps.broadcaster.conversationChanged(result.conversation)
    }
    return { message: result.message, conversation: result.conversation }
  }

  /**
   * `agentId` set: to that agent (of the conversation's site), optionally moving it to `teamId`.
   * `agentId` null or absent with `teamId` set: back to that team's queue. `agentId: null` alone:
   * back to the queue, keeping its team; `teamId: null` clears the team.
   */
  async assign(actor: Agent, payload: Assign): Promise<Conversation> {
    const { store, service } = this.deps
    if (payload.agentId === undefined && payload.teamId === undefined) {
      throw new AppError('invalid_payload', 'give agentId and/or teamId (null agentId: back to the queue)')
    }
    const before = await service.forAgent(actor, payload.conversationId)
    if (payload.teamId) {
      const site = await store.getSite(before.siteId)
      if (!teamsOf(site).some((t) => t.id === payload.teamId)) throw new AppError('not_found', 'no such team')
    }
    const team = payload.teamId === undefined ? {} : { teamId: payload.teamId }
    let command: Command
    if (payload.agentId) {
      const target = await store.getAgent(payload.agentId)
      if (!target?.siteIds.includes(before.siteId)) {
        throw new AppError('not_found', 'no such agent on this site')
      }
      command = { type: 'assign', agentId: target.id, agentName: target.name, ...team }
    } else {
      command = { type: 'unassign', reason: 'manual', ...team }
    }
    let after = await service.apply(before.id, command, actorOf(actor), actor.role === 'admin')
    const changed =
      after.status !== before.status ||
      after.assigneeId !== before.assigneeId ||
      (after.teamId ?? null) !== (before.teamId ?? null)
    if (!changed) return after
    const note = payload.note?.trim()
    if (note) after = await this.append(after, actor, note, true)
    if (after.assigneeId && after.assigneeId !== before.assigneeId) {
      after = await this.append(
        after,
        null,
        `${after.assigneeName ?? 'An agent'} joined the conversation`,
        false,
      )
    }
    this.deps.broadcaster.conversationChanged(after)
    return after
  }

  /** Priority and tags, by any agent of the site; audited as `updated`. */
  async update(agent: Agent, payload: ConversationUpdate): Promise<Conversation> {
    const current = await this.deps.service.forAgent(agent, payload.conversationId)
    const command: Command = {
      type: 'update',
      ...(payload.priority ? { priority: payload.priority } : {}),
      ...(payload.tags ? { tags: payload.tags } : {}),
    }
    return this.deps.service.apply(current.id, command, actorOf(agent))
  }

  /** A note (by `author`) or a system line, broadcast; returns the conversation as stored with it. */
  private async append(
    conversation: Conversation,
    author: Agent | null,
    text: string,
    internal: boolean,
  ): Promise<Conversation> {
    const result = await this.deps.store.appendMessage({
      conversationId: conversation.id,
      clientId: null,
      author: author ? 'agent' : 'system',
      authorId: author?.id ?? null,
      authorName: author?.name ?? null,
      text,
      sources: [],
      ...(internal ? { internal: true } : {}),
    })
    if (!result.ok) return conversation
    this.deps.service.messageStored(result.conversation, result.message)
    return result.conversation
  }
}
