import { describe, expect, it } from 'vitest'
import type { AgentSummary } from '../../../../shared/helpdesk.ts'
import { createStore, initialState } from '../store.ts'
import { ana, bo } from '../test-support.ts'

function agent(id: string, name: string, overrides: Partial<AgentSummary> = {}): AgentSummary {
  return {
    id,
    name,
    email: `${id}@example.com`,
    role: 'agent',
    presence: 'online',
    skills: [],
    languages: [],
    teamId: null,
    capacity: 5,
    load: 0,
    ...overrides,
  }
}

function signedIn() {
  const store = createStore()
  store.signedIn(ana)
  return store
}

describe('helpdesk state', () => {
  it('lists agents and teams by name and takes the agent’s own status from the directory', () => {
    const store = signedIn()
    store.directoryLoaded(
      [agent('z', 'Zoe'), agent(ana.id, ana.name, { presence: 'away' })],
      [
        { id: 't2', name: 'Sales' },
        { id: 't1', name: 'Billing' },
      ],
    )
    const { helpdesk } = store.getState()
    expect(helpdesk.agents.map((a) => a.name)).toEqual(['Ana Agent', 'Zoe'])
    expect(helpdesk.teams.map((t) => t.name)).toEqual(['Billing', 'Sales'])
    expect(helpdesk).toMatchObject({ directoryLoaded: true, status: 'away' })
  })

  it('updates one agent’s presence and load from a push, adding an agent it did not know', () => {
    const store = signedIn()
    store.directoryLoaded([agent(bo.id, bo.name)], [])
    store.agentPresence(agent(bo.id, bo.name, { presence: 'offline', load: 2 }))
    store.agentPresence(agent('new', 'Cleo'))
    expect(store.getState().helpdesk.agents.map((a) => [a.name, a.presence, a.load])).toEqual([
      ['Bo Agent', 'offline', 2],
      ['Cleo', 'online', 0],
    ])
  })

  it('shows who else views a conversation, never the signed-in agent', () => {
    const store = signedIn()
    store.viewersReceived({
      conversationId: 'c1',
      viewers: [
        { id: ana.id, name: ana.name },
        { id: bo.id, name: bo.name },
      ],
    })
    expect(store.getState().helpdesk.viewers.c1).toEqual([{ id: bo.id, name: bo.name }])
    store.viewersReceived({ conversationId: 'c1', viewers: [{ id: ana.id, name: ana.name }] })
    expect(store.getState().helpdesk.viewers.c1).toBeUndefined()
  })

  it('lets a typing notice run out after about four seconds', () => {
    const store = signedIn()
    store.typingReceived(
      { conversationId: 'c1', agent: { id: bo.id, name: bo.name }, internal: true },
      10_000,
    )
    store.typingExpired(13_000)
    expect(store.getState().helpdesk.typing.c1).toMatchObject([{ name: 'Bo Agent', internal: true }])
    store.typingExpired(14_001)
    expect(store.getState().helpdesk.typing).toEqual({})
  })

  it('starts with the alerts setting it was given', () => {
    expect(initialState({ alerts: false }).helpdesk.alerts).toBe(false)
    expect(initialState().helpdesk.alerts).toBe(true)
  })
})
