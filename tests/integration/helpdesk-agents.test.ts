import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AgentSummary, Team } from '../../shared/helpdesk.ts'
import { manualAssignment, queuedConversation, signIn } from '../support/helpdesk-console.ts'
import { call, login, startRelay, type TestRelay } from '../support/relay.ts'

let relay: TestRelay
let admin: string
let agent: string
beforeEach(async () => {
  relay = await startRelay()
  await manualAssignment(relay, [{ id: 'billing', name: 'Billing' }])
  admin = (await signIn(relay, 'Root', { role: 'admin' })).cookie
  agent = (await signIn(relay, 'Ada')).cookie
})
afterEach(async () => {
  await relay.close()
})

function send(method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, cookie: string | null, body?: unknown) {
  return relay.app.inject({
    method,
    url,
    headers: { ...(cookie ? { cookie } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { payload: body as object } : {}),
  })
}

const newAgent = {
  email: 'Nia@Example.com',
  password: 'nia-password-1',
  name: 'Nia',
  role: 'agent',
  skills: ['billing'],
  languages: ['en', 'es'],
  capacity: 3,
  teamId: 'billing',
}

describe('agents API', () => {
  it('lets an admin add an agent who can then sign in, with routing fields and no password in the answer', async () => {
    const created = await send('POST', '/api/agents', admin, newAgent)
    expect(created.statusCode).toBe(201)
    const body = created.json()
    expect(body.data.agent).toMatchObject({
      email: 'nia@example.com',
      name: 'Nia',
      role: 'agent',
      skills: ['billing'],
      languages: ['en', 'es'],
      capacity: 3,
      teamId: 'billing',
      siteIds: ['demo'],
      presence: 'offline',
      load: 0,
    })
    expect(JSON.stringify(body)).not.toMatch(/passwordHash|scrypt|nia-password/)
    expect(await login(relay.url, 'nia@example.com', 'nia-password-1')).toMatch(/^parley_session=/)
    const again = await send('POST', '/api/agents', admin, newAgent)
    expect(again.statusCode).toBe(400)
    expect(again.json().error.message).toMatch(/already exists/)
  })

  it('edits an agent, a new password through its own field; the hash itself cannot be sent', async () => {
    const id = (await send('POST', '/api/agents', admin, newAgent)).json().data.agent.id as string
    const edited = await send('PATCH', `/api/agents/${id}`, admin, {
      capacity: 8,
      role: 'admin',
      password: 'brand-new-pass',
    })
    expect(edited.json().data.agent).toMatchObject({ id, capacity: 8, role: 'admin' })
    expect(await login(relay.url, 'nia@example.com', 'brand-new-pass')).toMatch(/^parley_session=/)
    const hash = await send('PATCH', `/api/agents/${id}`, admin, { passwordHash: 'scrypt$1$1$1$a$b' })
    expect(hash.statusCode).toBe(400)
    expect(hash.json()).toMatchObject({ ok: false, error: { code: 'invalid_payload' } })
    expect((await send('PATCH', '/api/agents/agt_nobody', admin, { capacity: 1 })).statusCode).toBe(404)
  })

  it('lets agents list their colleagues but not add or edit them', async () => {
    const listed = await send('GET', '/api/agents', agent)
    const agents = listed.json().data.agents as AgentSummary[]
    expect(agents.map((a) => a.name)).toEqual(['Ada', 'Root'])
    expect(agents[0]).not.toHaveProperty('siteIds')
    expect((await send('POST', '/api/agents', agent, newAgent)).statusCode).toBe(403)
    const adaId = agents[0]?.id ?? ''
    expect((await send('PATCH', `/api/agents/${adaId}`, agent, { capacity: 50 })).statusCode).toBe(403)
    expect((await send('GET', '/api/agents', null)).statusCode).toBe(401)
  })
})

describe('teams API', () => {
  it('lets agents read a site’s teams and admins replace them, with unique ids', async () => {
    expect((await send('GET', '/api/sites/demo/teams', agent)).json().data.teams).toEqual([
      { id: 'billing', name: 'Billing' },
    ])
    const teams: Team[] = [
      { id: 'billing', name: 'Billing' },
      { id: 'returns', name: 'Returns' },
    ]
    expect((await send('PUT', '/api/sites/demo/teams', agent, { teams })).statusCode).toBe(403)
    expect((await send('PUT', '/api/sites/demo/teams', admin, { teams })).json()).toEqual({
      ok: true,
      data: { teams },
    })
    expect((await relay.app.parley.store.getSite('demo'))?.helpdesk).toMatchObject({
      teams,
      autoAssign: false,
    })
    const twice = await send('PUT', '/api/sites/demo/teams', admin, { teams: [teams[0], teams[0]] })
    expect(twice.statusCode).toBe(400)
    expect((await send('GET', '/api/sites/nowhere/teams', admin)).statusCode).toBe(404)
  })
})

describe('agents in the console', () => {
  it('lists the agents of the agent’s sites with presence, capacity and load, and the teams', async () => {
    const bo = await signIn(relay, 'Bo')
    await signIn(relay, 'Olga', { siteIds: ['elsewhere'] })
    const { conversationId } = await queuedConversation(relay)
    await call(bo.socket, 'conversation:claim', { conversationId })
    const { agents, teams } = await call<{ agents: AgentSummary[]; teams: Team[] }>(
      bo.socket,
      'agents:list',
      {},
    )
    expect(agents.map((a) => a.name)).toEqual(['Ada', 'Bo', 'Root'])
    expect(agents.find((a) => a.name === 'Bo')).toMatchObject({ load: 1, role: 'agent', skills: [] })
    expect(agents.find((a) => a.name === 'Ada')?.load).toBe(0)
    // Presence comes from relay/routing/presence.ts: a connected console is online.
    expect(agents.find((a) => a.name === 'Bo')?.presence).toBe('online')
    expect(teams).toEqual([{ id: 'billing', name: 'Billing' }])
  })
})
