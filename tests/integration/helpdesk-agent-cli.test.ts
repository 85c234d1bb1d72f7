import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { verifyPassword } from '../../relay/auth/passwords.ts'
import type { Agent } from '../../relay/store/types.ts'
import { startRelayProcess } from '../support/process.ts'
import { login } from '../support/relay.ts'

const root = path.resolve(import.meta.dirname, '../..')

function runCli(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'relay/helpdesk/agent-add-cli.ts', ...args], {
      cwd: root,
      env: { ...process.env, ...env },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString()
    })
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString()
    })
    child.once('exit', (code) => resolve({ code, stdout, stderr }))
  })
}

async function agentsIn(dataDir: string): Promise<Agent[]> {
  return JSON.parse(await readFile(path.join(dataDir, 'agents.json'), 'utf8')) as Agent[]
}

let dataDir: string
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'parley-agent-cli-'))
})
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true })
})

const base = ['--email', 'Nia@Example.com', '--password', 'nia-password-1', '--name', 'Nia']

describe('npm run agent:add', () => {
  it('adds an agent with routing attributes, then updates the same email and says so', async () => {
    const first = await runCli([
      ...base,
      '--role',
      'admin',
      '--skills',
      'Billing, returns',
      '--languages',
      'en,es',
      '--capacity',
      '3',
      '--data',
      dataDir,
    ])
    expect(first.stderr).toBe('')
    expect(first.code).toBe(0)
    expect(first.stdout).toMatch(/^Added agent nia@example.com \(agt_/)
    expect(first.stdout).toContain('no sites in')
    const [created] = await agentsIn(dataDir)
    expect(created).toMatchObject({
      email: 'nia@example.com',
      name: 'Nia',
      role: 'admin',
      skills: ['billing', 'returns'],
      languages: ['en', 'es'],
      capacity: 3,
      siteIds: ['demo'],
    })
    expect(await verifyPassword('nia-password-1', created?.passwordHash ?? '')).toBe(true)

    const second = await runCli(
      ['--email', 'nia@example.com', '--password', 'changed-pass', '--name', 'Nia R'],
      {
        PARLEY_DATA_DIR: dataDir,
      },
    )
    expect(second.code).toBe(0)
    expect(second.stdout).toContain(`Updated the existing agent nia@example.com (${created?.id})`)
    const agents = await agentsIn(dataDir)
    expect(agents).toHaveLength(1)
    // What was not given stays; name and password are replaced.
    expect(agents[0]).toMatchObject({ id: created?.id, name: 'Nia R', role: 'admin', capacity: 3 })
    expect(await verifyPassword('changed-pass', agents[0]?.passwordHash ?? '')).toBe(true)
  })

  it('explains a wrong command line with exit code 2 and writes nothing', async () => {
    for (const args of [
      ['--password', 'long-enough', '--name', 'X'],
      [...base, '--role', 'owner'],
      [...base, '--capacity', 'many'],
      [...base, '--password', 'short'],
      [...base, '--languages', 'english!'],
      [...base, '--colour', 'blue'],
    ]) {
      const result = await runCli([...args, '--data', dataDir])
      expect(result.code, args.join(' ')).toBe(2)
      expect(result.stderr).toContain('usage: npm run agent:add -- --email E --password P --name N')
    }
    expect((await runCli(['--password', 'long-enough', '--name', 'X', '--data', dataDir])).stderr).toContain(
      'missing --email',
    )
    await expect(readFile(path.join(dataDir, 'agents.json'), 'utf8')).rejects.toThrow(/ENOENT/)
  })

  it('refuses while a live relay holds the data directory; once it stopped, the agent added signs in', async () => {
    const relay = startRelayProcess({
      PARLEY_DATA_DIR: dataDir,
      PARLEY_ADMIN_EMAIL: 'root@example.com',
      PARLEY_ADMIN_PASSWORD: 'root-password',
    })
    try {
      await relay.url
      const refused = await runCli([...base, '--site', 'demo', '--data', dataDir])
      expect(refused.code).toBe(1)
      expect(refused.stderr).toContain(`a relay is running on ${dataDir}`)
      expect(refused.stderr).toContain('stop the relay, or add the agent in the console')
    } finally {
      expect(await relay.stop()).toBe(0)
    }
    expect((await agentsIn(dataDir)).map((a) => a.email)).toEqual(['root@example.com'])
    const added = await runCli([...base, '--site', 'demo', '--data', dataDir])
    expect(added.code).toBe(0)
    expect(added.stdout).not.toContain('Note:')

    const again = startRelayProcess({
      PARLEY_DATA_DIR: dataDir,
      PARLEY_ADMIN_EMAIL: 'root@example.com',
      PARLEY_ADMIN_PASSWORD: 'root-password',
    })
    try {
      expect(await login(await again.url, 'nia@example.com', 'nia-password-1')).toMatch(/^parley_session=/)
    } finally {
      await again.stop()
    }
  })
})
