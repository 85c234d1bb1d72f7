import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { verifyPassword } from '../auth/passwords.ts'
import { LowdbStore } from '../store/lowdb-store.ts'
import type { Agent } from '../store/types.ts'
import {
  AgentCreateSchema,
  AgentPatchSchema,
  colleaguesOf,
  createAgent,
  patchAgent,
  TeamsSchema,
  teamsOfSites,
} from './agents.ts'

function agent(id: string, over: Partial<Agent> = {}): Agent {
  return {
    id,
    email: `${id}@example.com`,
    name: id,
    role: 'agent',
    passwordHash: 'x',
    siteIds: ['s1'],
    createdAt: '2026-01-01T00:00:00.000Z',
    ...over,
  }
}

describe('agent schemas', () => {
  it('normalises a new agent: lower-case email, skills and languages once each, defaults for the rest', () => {
    const parsed = AgentCreateSchema.parse({
      email: ' Ana@Example.com ',
      password: 'long enough',
      name: 'Ana',
      skills: ['Billing', 'billing', 'returns'],
      languages: ['EN', 'es-MX'],
    })
    expect(parsed).toMatchObject({
      email: 'ana@example.com',
      role: 'agent',
      skills: ['billing', 'returns'],
      languages: ['en', 'es-mx'],
      capacity: 5,
    })
    expect(AgentCreateSchema.safeParse({ email: 'a@b.co', password: 'short', name: 'A' }).success).toBe(false)
    expect(
      AgentCreateSchema.safeParse({ email: 'a@b.co', password: 'long enough', name: 'A', capacity: -1 })
        .success,
    ).toBe(false)
  })

  it('refuses a password hash or an id in an edit instead of ignoring it', () => {
    expect(AgentPatchSchema.safeParse({ passwordHash: 'scrypt$…' }).success).toBe(false)
    expect(AgentPatchSchema.safeParse({ id: 'agt_x' }).success).toBe(false)
    expect(AgentPatchSchema.parse({ capacity: 3, password: 'new password' })).toEqual({
      capacity: 3,
      password: 'new password',
    })
  })

  it('refuses two teams with one id', () => {
    const teams = [
      { id: 'billing', name: 'Billing' },
      { id: 'billing', name: 'Other' },
    ]
    expect(TeamsSchema.safeParse({ teams }).success).toBe(false)
    expect(TeamsSchema.parse({ teams: teams.slice(0, 1) }).teams).toHaveLength(1)
  })
})

describe('who sees whom', () => {
  it('shows an agent only the agents of their own sites, by name', () => {
    const viewer = agent('me', { siteIds: ['s1', 's2'] })
    const all = [agent('zed', { siteIds: ['s2'] }), agent('amy'), agent('out', { siteIds: ['s9'] }), viewer]
    expect(colleaguesOf(all, viewer).map((a) => a.id)).toEqual(['amy', 'me', 'zed'])
  })

  it('lists the teams of several sites with each id once', () => {
    const site = (teams: { id: string; name: string }[]) => ({
      id: 's',
      name: 's',
      allowedOrigins: [],
      botName: 'b',
      createdAt: '',
      helpdesk: { teams },
    })
    expect(
      teamsOfSites([
        site([{ id: 'a', name: 'A' }]),
        null,
        site([
          { id: 'a', name: 'A2' },
          { id: 'b', name: 'B' },
        ]),
      ]),
    ).toEqual([
      { id: 'a', name: 'A' },
      { id: 'b', name: 'B' },
    ])
  })
})

describe('creating and editing agents', () => {
  let dir: string
  let store: LowdbStore
  const admin = agent('admin', { role: 'admin', siteIds: ['s1', 's2'] })
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'parley-agents-'))
    store = new LowdbStore({ dir })
    await store.init()
    await store.putSite({
      id: 's1',
      name: 'S1',
      allowedOrigins: [],
      botName: 'Bot',
      createdAt: '',
      helpdesk: { teams: [{ id: 'billing', name: 'Billing' }] },
    })
    await store.putAgent(admin)
  })
  afterEach(async () => {
    await store.close()
    await rm(dir, { recursive: true, force: true })
  })

  const input = (over: object = {}) =>
    AgentCreateSchema.parse({ email: 'new@example.com', password: 'long enough', name: 'New', ...over })

  it('creates an agent on the admin’s sites with a hashed password, and refuses a taken email', async () => {
    const created = await createAgent(store, admin, input({ teamId: 'billing' }), new Date())
    expect(created).toMatchObject({ siteIds: ['s1', 's2'], teamId: 'billing', role: 'agent' })
    expect(await verifyPassword('long enough', created.passwordHash)).toBe(true)
    await expect(createAgent(store, admin, input(), new Date())).rejects.toThrow(/already exists/)
  })

  it('refuses sites the admin does not work on and teams of no site of the agent', async () => {
    await expect(createAgent(store, admin, input({ siteIds: ['s9'] }), new Date())).rejects.toMatchObject({
      code: 'not_found',
    })
    await expect(createAgent(store, admin, input({ teamId: 'sales' }), new Date())).rejects.toMatchObject({
      code: 'invalid_payload',
    })
  })

  it('edits only the admin’s part of the sites, re-hashes a new password and keeps the admin an admin', async () => {
    const target = agent('t', { siteIds: ['s1', 's9'] })
    await store.putAgent(target)
    const edited = await patchAgent(
      store,
      admin,
      target,
      AgentPatchSchema.parse({ siteIds: ['s2'], password: 'another one' }),
    )
    expect(edited.siteIds.sort()).toEqual(['s2', 's9'])
    expect(await verifyPassword('another one', edited.passwordHash)).toBe(true)
    expect((await store.getAgent('t'))?.siteIds.sort()).toEqual(['s2', 's9'])
    await expect(patchAgent(store, admin, admin, { role: 'agent' })).rejects.toMatchObject({
      code: 'forbidden',
    })
    await expect(patchAgent(store, admin, target, { email: 'admin@example.com' })).rejects.toThrow(
      /already exists/,
    )
  })
})
