import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { TypingNotice, Viewers } from '../../shared/helpdesk.ts'
import { manualAssignment, queuedConversation, signIn, silence } from '../support/helpdesk-console.ts'
import { call, connectConsole, request, startRelay, type TestRelay, waitFor } from '../support/relay.ts'

let relay: TestRelay
beforeEach(async () => {
  relay = await startRelay()
  await manualAssignment(relay)
})
afterEach(async () => {
  await relay.close()
})

const names = (v: Viewers) => v.viewers.map((a) => a.name)

describe('collision warning', () => {
  it('tells everyone on a conversation who is viewing it; a closed tab leaves, the agent’s other tab stays', async () => {
    const ada = await signIn(relay, 'Ada')
    const bo = await signIn(relay, 'Bo')
    const { conversationId } = await queuedConversation(relay)

    const first = await call<Viewers>(ada.socket, 'conversation:viewing', { conversationId, viewing: true })
    expect(first).toEqual({ conversationId, viewers: [{ id: ada.agent.id, name: 'Ada' }] })
    const adaSeesBo = waitFor<Viewers>(ada.socket, 'conversation:viewers', (v) => v.viewers.length === 2)
    const both = await call<Viewers>(bo.socket, 'conversation:viewing', { conversationId, viewing: true })
    expect(names(both)).toEqual(['Ada', 'Bo'])
    expect(names(await adaSeesBo)).toEqual(['Ada', 'Bo'])

    // A second tab of Bo's, then Bo's first tab closes: Bo is still there.
    const boTab = await connectConsole(relay.url, bo.cookie)
    await call(boTab, 'conversation:viewing', { conversationId, viewing: true })
    const quiet = silence(ada.socket, 'conversation:viewers')
    bo.socket.close()
    expect(await quiet).toEqual([])
    // Bo's last tab goes away without a word: Ada is told.
    const boGone = waitFor<Viewers>(ada.socket, 'conversation:viewers', (v) => v.viewers.length === 1)
    boTab.disconnect()
    expect(names(await boGone)).toEqual(['Ada'])

    const left = await call<Viewers>(ada.socket, 'conversation:viewing', { conversationId, viewing: false })
    expect(left.viewers).toEqual([])
  })

  it('pushes typing to the other agents on the conversation, not to the typist’s own tabs', async () => {
    const ada = await signIn(relay, 'Ada')
    const bo = await signIn(relay, 'Bo')
    const adaTab = await connectConsole(relay.url, ada.cookie)
    const { conversationId } = await queuedConversation(relay)
    for (const socket of [ada.socket, adaTab, bo.socket])
      await call(socket, 'conversation:open', { conversationId })

    const boHears = waitFor<TypingNotice>(bo.socket, 'conversation:typing', () => true)
    const adaHears = silence(ada.socket, 'conversation:typing')
    const adaTabHears = silence(adaTab, 'conversation:typing')
    expect(await call(ada.socket, 'conversation:typing', { conversationId, internal: true })).toBeNull()
    expect(await boHears).toEqual({
      conversationId,
      agent: { id: ada.agent.id, name: 'Ada' },
      internal: true,
    })
    expect(await adaHears).toEqual([])
    expect(await adaTabHears).toEqual([])
    const reply = waitFor<TypingNotice>(ada.socket, 'conversation:typing', () => true)
    await call(bo.socket, 'conversation:typing', { conversationId })
    expect(await reply).toMatchObject({ agent: { name: 'Bo' }, internal: false })
  })

  it('refuses viewing or typing on a conversation of a site the agent does not work on', async () => {
    const olga = await signIn(relay, 'Olga', { siteIds: ['elsewhere'] })
    const { conversationId } = await queuedConversation(relay)
    for (const [event, payload] of [
      ['conversation:viewing', { conversationId, viewing: true }],
      ['conversation:typing', { conversationId }],
    ] as const) {
      expect(await request(olga.socket, event, payload)).toMatchObject({
        ok: false,
        error: { code: 'not_found' },
      })
    }
  })
})
