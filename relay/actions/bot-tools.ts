/**
 * The relay's tools for one bot turn (a `ToolsFactory` for the BotEngine): order look-ups and
 * action requests go through the ActionService, so every call is policy-checked and audited
 * whatever the provider or model asks.
 */
import type { ToolsFactory } from '../bot/types.ts'
import type { ActionService } from './service.ts'

export function createBotTools(actions: ActionService): ToolsFactory {
  return (turn, searchKnowledge) => ({
    searchKnowledge,
    lookupOrder: (input) => actions.lookupOrder(turn, input),
    requestAction: (input) => actions.requestAction(turn, input),
  })
}
