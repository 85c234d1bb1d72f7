import { describe, expect, it } from 'vitest'
import { summary } from '../test-support.ts'
import { gateAlert, readAlertsSetting, shopperMessageAlert, writeAlertsSetting } from './alerts.ts'

const alert = { kind: 'message' as const, conversationId: 'c1', text: 'Hello?' }
const me = { id: 'agent_ana', name: 'Ana' }

describe('alerts setting', () => {
  it('is on unless the agent turned it off, and round-trips through storage', () => {
    expect(readAlertsSetting(null)).toBe(true)
    expect(readAlertsSetting('garbage')).toBe(true)
    expect(readAlertsSetting(writeAlertsSetting(false))).toBe(false)
    expect(readAlertsSetting(writeAlertsSetting(true))).toBe(true)
  })
})

describe('gateAlert', () => {
  it('never rings when off', () => {
    expect(gateAlert({}, alert, 0, false).ring).toBe(false)
  })

  it('rings once for the same conversation and kind within the window, again after it', () => {
    const first = gateAlert({}, alert, 1000, true)
    expect(first.ring).toBe(true)
    const twice = gateAlert(first.log, alert, 3000, true)
    expect(twice.ring).toBe(false)
    expect(gateAlert(first.log, { ...alert, kind: 'sla_breached' }, 3000, true).ring).toBe(true)
    expect(gateAlert(twice.log, alert, 6001, true).ring).toBe(true)
  })

  it('forgets entries older than the window', () => {
    const { log } = gateAlert({ old: 0 }, alert, 10_000, true)
    expect(Object.keys(log)).toEqual(['c1|message'])
  })
})

describe('shopperMessageAlert', () => {
  const held = summary('c1', { status: 'assigned', assignee: me, lastSeq: 3, preview: 'first' })

  it('rings for a new shopper message in a conversation the agent owns', () => {
    expect(shopperMessageAlert(held, { ...held, lastSeq: 4, preview: 'second' }, me.id)).toEqual({
      kind: 'message',
      conversationId: 'c1',
      text: 'second',
    })
  })

  it('stays quiet for the agent’s own reply, someone else’s conversation, or a first sight', () => {
    expect(shopperMessageAlert(held, { ...held, lastSeq: 4 }, me.id)).toBeNull()
    expect(shopperMessageAlert(held, { ...held, lastSeq: 4, preview: 'x' }, 'agent_bo')).toBeNull()
    expect(shopperMessageAlert(undefined, held, me.id)).toBeNull()
  })
})
