/**
 * The helpdesk part of the console's state: the agent directory (presence, teams), macros, the
 * agent's own status, collision notices and the alerts setting. Pure reducers, merged into the
 * store's table (store.ts); the signed-in agent comes from the same state.
 */
import type { AgentSummary, Macro, Team, TypingNotice, Viewers } from '../../../../shared/helpdesk.ts'
import type { ConsoleState } from '../store.ts'
import {
  expireTyping,
  type TypingByConversation,
  type ViewersByConversation,
  withTyping,
  withViewers,
} from './collision.ts'

export type OwnStatus = 'online' | 'away'

export interface HelpdeskState {
  agents: readonly AgentSummary[]
  teams: readonly Team[]
  /** Whether `agents:list` answered (assignment menus wait for it). */
  directoryLoaded: boolean
  macros: readonly Macro[]
  macrosLoaded: boolean
  /** The signed-in agent's own presence as they set it. */
  status: OwnStatus
  viewers: ViewersByConversation
  typing: TypingByConversation
  /** Desktop notifications and sound. */
  alerts: boolean
}

export function initialHelpdesk(alerts = true): HelpdeskState {
  return {
    agents: [],
    teams: [],
    directoryLoaded: false,
    macros: [],
    macrosLoaded: false,
    status: 'online',
    viewers: {},
    typing: {},
    alerts,
  }
}

const selfId = (s: ConsoleState) => s.auth.agent?.id ?? null

function withHelpdesk(s: ConsoleState, patch: Partial<HelpdeskState>): ConsoleState {
  return { ...s, helpdesk: { ...s.helpdesk, ...patch } }
}

function byName(a: { name: string }, b: { name: string }) {
  return a.name.localeCompare(b.name)
}

export const helpdeskReducers = {
  directoryLoaded: (s: ConsoleState, agents: readonly AgentSummary[], teams: readonly Team[]) => {
    const me = agents.find((a) => a.id === selfId(s))
    const status: OwnStatus = me?.presence === 'away' ? 'away' : s.helpdesk.status
    return withHelpdesk(s, {
      agents: [...agents].sort(byName),
      teams: [...teams].sort(byName),
      directoryLoaded: true,
      status,
    })
  },

  /** `agent:presence`: one agent's presence or load changed (or a new agent appeared). */
  agentPresence: (s: ConsoleState, agent: AgentSummary): ConsoleState => {
    const others = s.helpdesk.agents.filter((a) => a.id !== agent.id)
    const patch: Partial<HelpdeskState> = { agents: [...others, agent].sort(byName) }
    if (agent.id === selfId(s) && agent.presence !== 'offline') patch.status = agent.presence
    return withHelpdesk(s, patch)
  },

  statusChanged: (s: ConsoleState, status: OwnStatus): ConsoleState =>
    s.helpdesk.status === status ? s : withHelpdesk(s, { status }),

  macrosLoaded: (s: ConsoleState, macros: readonly Macro[]): ConsoleState =>
    withHelpdesk(s, { macros: [...macros].sort(byName), macrosLoaded: true }),

  viewersReceived: (s: ConsoleState, viewers: Viewers): ConsoleState => {
    const next = withViewers(s.helpdesk.viewers, viewers, selfId(s))
    return next === s.helpdesk.viewers ? s : withHelpdesk(s, { viewers: next })
  },

  typingReceived: (s: ConsoleState, notice: TypingNotice, now: number): ConsoleState => {
    const next = withTyping(s.helpdesk.typing, notice, now, selfId(s))
    return next === s.helpdesk.typing ? s : withHelpdesk(s, { typing: next })
  },

  typingExpired: (s: ConsoleState, now: number): ConsoleState => {
    const next = expireTyping(s.helpdesk.typing, now)
    return next === s.helpdesk.typing ? s : withHelpdesk(s, { typing: next })
  },

  alertsSet: (s: ConsoleState, on: boolean): ConsoleState =>
    s.helpdesk.alerts === on ? s : withHelpdesk(s, { alerts: on }),
}
