/**
 * Who is viewing which conversation (collision warning), per console socket: an agent with two
 * tabs on one conversation is one viewer, and closing one tab keeps them. In memory, for one node;
 * a cluster would derive viewers from the adapter's rooms (`fetchSockets`) instead.
 */
import type { Viewers } from '../../shared/helpdesk.ts'

export interface ViewerAgent {
  id: string
  name: string
}

export class ViewerRegistry {
  /** conversation id → socket id → agent */
  private readonly byConversation = new Map<string, Map<string, ViewerAgent>>()
  /** socket id → conversation ids it views */
  private readonly bySocket = new Map<string, Set<string>>()

  /** Marks a socket as viewing (or no longer viewing) a conversation; true when the viewers changed. */
  set(conversationId: string, socketId: string, agent: ViewerAgent, viewing: boolean): boolean {
    const before = this.key(conversationId)
    if (viewing) {
      let sockets = this.byConversation.get(conversationId)
      if (!sockets) {
        sockets = new Map()
        this.byConversation.set(conversationId, sockets)
      }
      sockets.set(socketId, { id: agent.id, name: agent.name })
      let viewed = this.bySocket.get(socketId)
      if (!viewed) {
        viewed = new Set()
        this.bySocket.set(socketId, viewed)
      }
      viewed.add(conversationId)
    } else {
      this.remove(conversationId, socketId)
    }
    return this.key(conversationId) !== before
  }

  /** A socket went away: it leaves everything; returns the conversations whose viewers changed. */
  leaveAll(socketId: string): string[] {
    const viewed = [...(this.bySocket.get(socketId) ?? [])]
    const changed: string[] = []
    for (const conversationId of viewed) {
      const before = this.key(conversationId)
      this.remove(conversationId, socketId)
      if (this.key(conversationId) !== before) changed.push(conversationId)
    }
    return changed
  }

  /** The distinct agents viewing a conversation, by name. */
  viewers(conversationId: string): Viewers {
    const unique = new Map<string, ViewerAgent>()
    for (const agent of this.byConversation.get(conversationId)?.values() ?? []) unique.set(agent.id, agent)
    const viewers = [...unique.values()].sort(
      (a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id),
    )
    return { conversationId, viewers }
  }

  private remove(conversationId: string, socketId: string): void {
    const sockets = this.byConversation.get(conversationId)
    sockets?.delete(socketId)
    if (sockets?.size === 0) this.byConversation.delete(conversationId)
    const viewed = this.bySocket.get(socketId)
    viewed?.delete(conversationId)
    if (viewed?.size === 0) this.bySocket.delete(socketId)
  }

  private key(conversationId: string): string {
    return this.viewers(conversationId)
      .viewers.map((v) => v.id)
      .join(',')
  }
}
