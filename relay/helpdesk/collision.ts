/**
 * Who is viewing which conversation (collision warning). The viewers are the console sockets in the
 * conversation's viewing room (`rooms.viewing`), read with `fetchSockets`, so with the Redis adapter
 * they are those of every node; an agent with two tabs on one conversation is one viewer, and
 * closing one tab keeps them.
 */
import type { Viewers } from '../../shared/helpdesk.ts'

export interface ViewerAgent {
  id: string
  name: string
}

/** The distinct agents among a conversation's viewing sockets, by name. */
export function viewersOf(conversationId: string, agents: readonly ViewerAgent[]): Viewers {
  const unique = new Map<string, ViewerAgent>()
  for (const agent of agents) unique.set(agent.id, { id: agent.id, name: agent.name })
  const viewers = [...unique.values()].sort(
    (a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id),
  )
  return { conversationId, viewers }
}

/**
 * Whether one socket's joining (`viewing`) or leaving changed the list, given how many sockets of
 * its agent view the conversation now: only an agent's first tab in, or last tab out, does.
 */
export function viewersChanged(viewing: boolean, wasViewing: boolean, agentSocketsNow: number): boolean {
  if (viewing === wasViewing) return false
  return viewing ? agentSocketsNow === 1 : agentSocketsNow === 0
}
