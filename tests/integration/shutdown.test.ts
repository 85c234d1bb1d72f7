import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Message, WidgetConversation } from '../../shared/protocol.ts'
import { startRelayProcess } from '../support/process.ts'
import { call, clientId, connectWidget, waitFor } from '../support/relay.ts'

let dataDir = ''
afterEach(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true })
})

describe('the relay process', () => {
  it('refuses to start with a bad setting, saying which in one line, and exits 1', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'parley-proc-'))
    const relay = startRelayProcess({ PARLEY_DATA_DIR: dataDir, PARLEY_EMAIL_WEBHOOK_SECRET: 'short' })
    relay.url.catch(() => undefined)
    expect(await relay.exited).toBe(1)
    expect(relay.output()).toContain(
      'parley: cannot start: PARLEY_EMAIL_WEBHOOK_SECRET must be at least 16 characters',
    )
    expect(relay.output()).not.toMatch(/\n\s+at /)
  })

  it('prints the demo, console and sign-in lines, and shuts down cleanly on SIGTERM keeping every acked message', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'parley-proc-'))
    const relay = startRelayProcess({ PARLEY_DATA_DIR: dataDir })
    const url = await relay.url
    const port = new URL(url).port
    expect(relay.output()).toContain(`Demo storefront:  http://localhost:${port}/demo`)
    expect(relay.output()).toContain(`Agent console:    http://localhost:${port}/console`)
    expect(relay.output()).toMatch(/Sign in as admin@parley\.local with password \S{12,}/)

    const health = await fetch(`${url}/healthz`)
    expect(health.status).toBe(200)

    const shopper = await connectWidget(url)
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
    const again = startRelayProcess({ PARLEY_DATA_DIR: dataDir })
    const url2 = await again.url
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
