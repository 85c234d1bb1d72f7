import { describe, expect, it } from 'vitest'
import {
  createTypingThrottle,
  expireTyping,
  stopTyping,
  TYPING_TTL_MS,
  typingIn,
  withTyping,
  withViewers,
} from './collision.ts'

const bo = { id: 'agent_bo', name: 'Bo Agent' }
const cy = { id: 'agent_cy', name: 'Cy Agent' }
const notice = (agent = bo, internal = false) => ({ conversationId: 'c1', agent, internal })

describe('viewers', () => {
  it('lists the other viewers once each and returns the same object when nothing changed', () => {
    const held = withViewers({}, { conversationId: 'c1', viewers: [bo, bo, { id: 'me', name: 'Me' }] }, 'me')
    expect(held).toEqual({ c1: [bo] })
    expect(withViewers(held, { conversationId: 'c1', viewers: [bo] }, 'me')).toBe(held)
  })

  it('forgets a conversation nobody else views any more', () => {
    expect(withViewers({ c1: [bo] }, { conversationId: 'c1', viewers: [] }, 'me')).toEqual({})
  })
})

describe('typing', () => {
  it('shows a notice for about four seconds, longer while the agent keeps typing', () => {
    let held = withTyping({}, notice(), 1000, 'me')
    expect(typingIn(held, 'c1', 1000 + TYPING_TTL_MS - 1).map((e) => e.name)).toEqual(['Bo Agent'])
    expect(typingIn(held, 'c1', 1000 + TYPING_TTL_MS)).toEqual([])
    held = withTyping(held, notice(), 4000, 'me')
    expect(typingIn(held, 'c1', 7000)).toHaveLength(1)
    expect(held.c1).toHaveLength(1)
  })

  it('ignores the signed-in agent’s own notices and keeps whether each is a note', () => {
    const held = withTyping(
      withTyping({}, notice({ id: 'me', name: 'Me' }), 0, 'me'),
      notice(cy, true),
      0,
      'me',
    )
    expect(held.c1).toMatchObject([{ id: cy.id, internal: true }])
  })

  it('drops expired notices and says when nothing expired by returning the same object', () => {
    const held = withTyping(withTyping({}, notice(bo), 0, null), notice(cy), 3000, null)
    expect(expireTyping(held, 1000)).toBe(held)
    expect(expireTyping(held, TYPING_TTL_MS + 1).c1?.map((e) => e.id)).toEqual([cy.id])
    expect(expireTyping(held, 10_000)).toEqual({})
  })

  it('ends one agent’s notice when their message arrives', () => {
    const held = withTyping(withTyping({}, notice(bo), 0, null), notice(cy), 0, null)
    expect(stopTyping(held, 'c1', bo.id).c1?.map((e) => e.id)).toEqual([cy.id])
    expect(stopTyping(held, 'c2', bo.id)).toBe(held)
  })

  it('says "typing" at most once per interval per conversation and mode', () => {
    const throttle = createTypingThrottle(2500)
    expect(throttle('c1', false, 0)).toBe(true)
    expect(throttle('c1', false, 2000)).toBe(false)
    expect(throttle('c1', true, 2100)).toBe(true)
    expect(throttle('c2', true, 2200)).toBe(true)
    expect(throttle('c2', true, 4800)).toBe(true)
  })
})
