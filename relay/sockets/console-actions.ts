/**
 * The console's action events: `action:list` (the bot's requests in the agent's sites) and
 * `action:decide` (approve or reject a pending one); every change is pushed to the site's agents
 * as `action:upserted`.
 */
import type { Server, Socket } from 'socket.io'
import type { ActionRequest } from '../../shared/policy.ts'
import { ActionDecideSchema, ActionListSchema, CONSOLE_NAMESPACE } from '../../shared/protocol.ts'
import type { ActionService } from '../actions/service.ts'
import type { Logger } from '../conversations/service.ts'
import type { Agent } from '../store/types.ts'
import { rooms } from './broadcaster.ts'
import { handle } from './handler.ts'

export interface ActionHandlerDeps {
  agent: Agent
  actions: ActionService
  log: Logger
}

/** Registers the action events on one authenticated console socket. */
export function registerActionHandlers(socket: Pick<Socket, 'on'>, deps: ActionHandlerDeps): void {
  const { agent, actions, log } = deps
  socket.on(
    'action:list',
    handle('action:list', ActionListSchema, log, async (payload) => ({
      actions: await actions.list(agent, payload),
    })),
  )
  socket.on(
    'action:decide',
    handle('action:decide', ActionDecideSchema, log, async ({ actionId, approve, note }) => ({
      action: await actions.decide(agent, { actionId, approve, note }),
    })),
  )
}

/** Pushes a created or decided request to the agents of its site. */
export function actionPusher(io: Server): (action: ActionRequest) => void {
  const agents = io.of(CONSOLE_NAMESPACE)
  return (action) => {
    agents.to(rooms.site(action.siteId)).emit('action:upserted', action)
  }
}
