import { describe, expect, it } from 'vitest'
import { claimsHuman, screenEmitter } from './grounding.ts'
import type { BotEvent } from './types.ts'

describe('claimsHuman', () => {
  it.each([
    'I am a human.',
    "I'm a real person, don't worry.",
    'Im not a bot',
    "I'm not automated.",
    "You're talking to a real person now.",
    'This is Sarah from support.',
    'Hi, my name is Tom and I can help.',
    "Hi, I'm Sarah, how can I help?",
  ])('catches "%s"', (text) => {
    expect(claimsHuman(text)).toBe(true)
  })

  it.each([
    "I'm an automated assistant, not a person.",
    "I'm not a human, but I can connect you with one.",
    "I'm sorry, I couldn't find that.",
    'A person from our team will reply soon.',
    'You have 30 days to return an item.',
  ])('lets the honest "%s" through', (text) => {
    expect(claimsHuman(text)).toBe(false)
  })

  it('does not read the bot’s own name as a human introduction', () => {
    expect(claimsHuman("Hi, I'm Parley Assistant.", 'Parley Assistant')).toBe(false)
  })
})

describe('screenEmitter', () => {
  function collect() {
    const events: BotEvent[] = []
    return { events, text: () => events.map((e) => (e.type === 'delta' ? e.text : '')).join('') }
  }

  it('forwards whole sentences and the rest on flush', () => {
    const out = collect()
    const screened = screenEmitter((e) => out.events.push(e))
    screened.emit({ type: 'delta', text: 'You have 30 da' })
    expect(out.text()).toBe('')
    screened.emit({ type: 'delta', text: 'ys. Start a return' })
    expect(out.text()).toBe('You have 30 days.')
    screened.flush()
    expect(out.text()).toBe('You have 30 days. Start a return')
  })

  it('stops at the first sentence that claims to be human and marks the stream tainted', () => {
    const out = collect()
    const screened = screenEmitter((e) => out.events.push(e))
    screened.emit({ type: 'delta', text: 'Sure. I am a ' })
    screened.emit({ type: 'delta', text: 'human. Anyway, returns take 30 days. ' })
    screened.flush()
    expect(out.text()).toBe('Sure.')
    expect(screened.tainted).toBe(true)
  })

  it('forwards nothing after close', () => {
    const out = collect()
    const screened = screenEmitter((e) => out.events.push(e))
    screened.close()
    screened.emit({ type: 'delta', text: 'Late text. ' })
    screened.emit({ type: 'tool_call', name: 'order_lookup', input: {} })
    screened.flush()
    expect(out.events).toEqual([])
  })
})
