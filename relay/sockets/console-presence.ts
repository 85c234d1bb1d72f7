/**
 * Presence from the console's sockets: a connection counts the agent in, its disconnect out (the
 * last one makes them offline after a grace period), and `agent:status` sets online or away.
 */
import type { Socket } from 'socket.io'
import { AgentStatusSchema } from '../../shared/helpdesk.ts'
import type { Logger } from '../conversations/service.ts'
import type { AgentPresence } from '../routing/presence.ts'
import type { Agent } from '../store/types.ts'
import { rooms } from './broadcaster.ts'
import { handle } from './handler.ts'

export interface PresenceHandlerDeps {
  presence: AgentPresence
  log: Logger
}

type PresenceSocket = Pick<Socket, 'id' | 'join' | 'on'> & { data: { agent: Agent } }

/** Registers one authenticated console socket with presence and its `agent:status` event. */
export function registerPresenceHandlers(socket: PresenceSocket, deps: PresenceHandlerDeps): void {
  const { agent } = socket.data
  // SLA warnings and assignments go to every tab of the agent (the helpdesk handlers join it too).
  void socket.join(rooms.agent(agent.id))
  socket.on('disconnect', () => deps.presence.disconnect(agent.id, socket.id))
  socket.on(
    'agent:status',
    handle('agent:status', AgentStatusSchema, deps.log, async ({ status }) => ({
      agent: await deps.presence.setStatus(agent, status),
    })),
  )
  deps.presence.connect(agent, socket.id)
}
