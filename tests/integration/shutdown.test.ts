import { spawn } from 'node:child_process'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Message, WidgetConversation } from '../../shared/protocol.ts'
import { call, clientId, connectWidget, waitFor } from '../support/relay.ts'

const root = path.resolve(import.meta.dirname, '../..')
let dataDir = ''
afterEach(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true })
})

/** Starts `relay/main.ts` as a user would and resolves with its URL once it prints it. */
function startProcess(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'relay/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', PARLEY_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const url = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const match = /running at (http:\/\/\S+)/.exec(output)
      if (match?.[1]) resolve(match[1])
    })
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.once('exit', (code) => reject(new Error(`relay exited early (${code}): ${output}`)))
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return { child, url, exited, output: () => output }
}

describe('the relay process', () => {
  it('prints the demo, console and sign-in lines, and shuts down cleanly on SIGTERM keeping every acked message', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'parley-proc-'))
    const relay = startProcess({ PARLEY_DATA_DIR: dataDir })
    const url = await relay.url
    expect(relay.output()).toContain(`${url}/demo`)
    expect(relay.output()).toContain(`${url}/console`)
    expect(relay.output()).toMatch(/Sign in as admin@parley\.local with password \S{12,}/)

    const health = await fetch(`${url.replace('localhost', '127.0.0.1')}/healthz`)
    expect(health.status).toBe(200)

    const shopper = await connectWidget(url.replace('localhost', '127.0.0.1'))
    const answered = waitFor<Message>(shopper.socket, 'message:new', (m) => m.author === 'bot' && m.seq === 3)
    const sent = await call<{ conversation: WidgetConversation }>(shopper.socket, 'message:send', {
      clientId: clientId(),
      text: 'Which grind should I choose for a french press?',
    })
    await answered
    const disconnected = new Promise((resolve) => shopper.socket.once('disconnect', resolve))
    relay.child.kill('SIGTERM')
    expect(await relay.exited).toBe(0)
    await disconnected

    // A second start finds everything that was acked, and does not print a new password.
    const again = startProcess({ PARLEY_DATA_DIR: dataDir })
    const url2 = (await again.url).replace('localhost', '127.0.0.1')
    expect(again.output()).not.toMatch(/with password/)
    const back = await connectWidget(url2, { token: shopper.token })
    const resumed = await call<{ messages: Message[] }>(back.socket, 'conversation:resume', {
      conversationId: sent.conversation.id,
      afterSeq: 0,
    })
    expect(resumed.messages.map((m) => m.author)).toEqual(['bot', 'contact', 'bot'])
    back.socket.close()
    again.child.kill('SIGTERM')
    expect(await again.exited).toBe(0)
    expect(await readdir(path.join(dataDir, 'conversations'))).toHaveLength(1)
  })
})
