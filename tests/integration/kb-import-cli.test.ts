import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { LowdbStore } from '../../relay/store/lowdb-store.ts'
import { LOCK_FILE } from '../../relay/store/relay-lock.ts'
import { startRelayProcess } from '../support/process.ts'

const root = path.resolve(import.meta.dirname, '../..')
const KB = path.resolve(root, '../shared/data/kb')

function runCli(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'relay/kb/import-cli.ts', ...args], {
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

async function articlesIn(dataDir: string, site: string) {
  const store = new LowdbStore({ dir: dataDir })
  await store.init()
  try {
    return await store.listArticles(site)
  } finally {
    await store.close()
  }
}

let dataDir: string
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'parley-kb-cli-'))
})
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true })
})

describe('npm run kb:import', () => {
  it('imports the sample knowledge base into a new site, drafts as drafts, and a second run changes nothing', async () => {
    const first = await runCli([KB, '--site', 'harbor', '--data', dataDir])
    expect(first.code).toBe(0)
    expect(first.stdout).toMatch(/Site "harbor" did not exist .*created it/)
    expect(first.stdout).toContain('created 27, updated 0, unchanged 0')
    expect(first.stdout).toContain('verified 25, drafts 2')
    const articles = await articlesIn(dataDir, 'harbor')
    expect(articles).toHaveLength(27)
    expect(articles.find((a) => a.slug === 'returns-draft')?.verified).toBe(false)
    expect(articles.find((a) => a.slug === 'returns')?.verified).toBe(true)
    const sites = JSON.parse(await readFile(path.join(dataDir, 'sites.json'), 'utf8')) as { id: string }[]
    expect(sites.map((s) => s.id)).toEqual(['harbor'])

    // PARLEY_DATA_DIR works like --data.
    const second = await runCli([KB, '--site', 'harbor'], { PARLEY_DATA_DIR: dataDir })
    expect(second.code).toBe(0)
    expect(second.stdout).toContain('created 0, updated 0, unchanged 27')
    expect(second.stdout).not.toMatch(/did not exist/)
  })

  it('names the file with bad front matter and imports nothing', async () => {
    const kb = await mkdtemp(path.join(tmpdir(), 'parley-kb-src-'))
    try {
      await writeFile(path.join(kb, 'fine.md'), '---\ntitle: Fine\nverified: true\n---\nAll good.')
      await writeFile(path.join(kb, 'no-title.md'), '---\ntags: [x]\n---\nNo title here.')
      const result = await runCli([kb, '--site', 'harbor', '--data', dataDir])
      expect(result.code).toBe(1)
      expect(result.stderr).toContain(`${path.join(kb, 'no-title.md')}: invalid front matter (title:`)
      expect(result.stderr).toMatch(/nothing imported/)
      expect(await articlesIn(dataDir, 'harbor')).toEqual([])
    } finally {
      await rm(kb, { recursive: true, force: true })
    }
  })

  it('refuses to write while a live relay holds the data directory, and works once it stopped', async () => {
    const relay = startRelayProcess({ PARLEY_DATA_DIR: dataDir })
    try {
      const url = await relay.url
      const lock = JSON.parse(await readFile(path.join(dataDir, LOCK_FILE), 'utf8')) as { pid: number }
      expect(lock.pid).toBe(relay.child.pid)
      const refused = await runCli([KB, '--site', 'harbor', '--data', dataDir])
      expect(refused.code).toBe(1)
      expect(refused.stderr).toContain(`a relay is running on ${dataDir}`)
      expect(refused.stderr).toContain("stop the relay or use the console's import")
      expect(refused.stderr).toContain(url.replace('127.0.0.1', 'localhost'))
    } finally {
      expect(await relay.stop()).toBe(0)
    }
    expect(existsSync(path.join(dataDir, LOCK_FILE))).toBe(false)
    const after = await runCli([KB, '--site', 'harbor', '--data', dataDir])
    expect(after.code).toBe(0)
    expect(after.stdout).toContain('created 27')
  })

  it('ignores the lock of a relay that is no longer running', async () => {
    // A pid far above any pid_max: no such process.
    await writeFile(path.join(dataDir, LOCK_FILE), JSON.stringify({ pid: 2 ** 30, url: 'http://x' }))
    const result = await runCli([KB, '--site', 'harbor', '--data', dataDir])
    expect(result.code).toBe(0)
  })

  it('explains its usage when the site is missing', async () => {
    const result = await runCli([KB])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('missing --site KEY')
    expect(result.stderr).toContain('usage: npm run kb:import -- DIR --site KEY')
  })
})
