import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadArticlesFromDir } from '../kb/parse.ts'
import {
  detectAsksIfBot,
  detectHumanRequest,
  detectOutOfScope,
  detectSensitive,
  detectSignals,
  detectSmallTalk,
} from './intents.ts'
import { createRetriever } from './retrieval.ts'
import type { Retriever } from './types.ts'

const KB = path.resolve(import.meta.dirname, '../../../shared/data/kb')
let retriever: Retriever

beforeAll(async () => {
  retriever = createRetriever(await loadArticlesFromDir(KB, 'harbor'))
})

describe('detectHumanRequest', () => {
  it.each([
    'I want to talk to a human',
    'can I speak to someone please',
    'connect me with an agent',
    'real person please',
    'get me a representative',
    'i need to chat with a live agent',
    'human',
    'let me talk to customer service',
  ])('recognises "%s" as a request for a person', (text) => {
    expect(detectHumanRequest(text)).toBe(true)
  })

  it('tolerates one-letter slips in the key words', () => {
    expect(detectHumanRequest('i want to tlak to a humna')).toBe(true)
    expect(detectHumanRequest('can I speek with a representitive')).toBe(true)
  })

  it.each([
    'how do I return an item',
    'the delivery agent left my parcel at the door',
    "I don't want to talk to anyone, just tell me the return window",
  ])('does not take "%s" as a request for a person', (text) => {
    expect(detectHumanRequest(text)).toBe(false)
  })
})

describe('detectSensitive', () => {
  it.each([
    ['my card was declined at checkout', 'payment_failed', 'high'],
    ['the payment keeps failing', 'payment_failed', 'high'],
    ["I can't pay for my order", 'payment_failed', 'high'],
    ['I was charged twice for the same order', 'double_charge', 'high'],
    ['I will file a chargeback with my bank', 'chargeback', 'urgent'],
    ['I want to dispute this charge', 'chargeback', 'urgent'],
    ['there is an unauthorized charge on my card', 'fraud', 'urgent'],
    ['this is fraud', 'fraud', 'urgent'],
    ['my lawyer will contact you', 'legal', 'urgent'],
    ['I am going to sue you', 'legal', 'urgent'],
    ['your driver threatened me', 'abuse', 'urgent'],
    ['one of your staff harassed me', 'abuse', 'urgent'],
    ['I want to make a formal complaint', 'complaint', 'high'],
    ['please delete all my personal data', 'data_deletion', 'high'],
    ['I am making a GDPR request', 'data_deletion', 'high'],
  ])('flags "%s" as %s (%s)', (text, topic, priority) => {
    expect(detectSensitive(text)).toEqual({ topic, priority })
  })

  it.each(['which payment methods do you accept', 'how do I delete my account', 'what does shipping cost'])(
    'leaves the ordinary question "%s" alone',
    (text) => {
      expect(detectSensitive(text)).toBeNull()
    },
  )
})

describe('detectAsksIfBot and detectSmallTalk', () => {
  it('recognises questions about being automated', () => {
    expect(detectAsksIfBot('are you a bot?')).toBe(true)
    expect(detectAsksIfBot('Am I talking to a real person?')).toBe(true)
    expect(detectAsksIfBot('is this automated')).toBe(true)
    expect(detectAsksIfBot('where is my parcel')).toBe(false)
  })

  it('recognises greetings and thanks only when nothing else is asked', () => {
    expect(detectSmallTalk('Hello!')).toBe('greeting')
    expect(detectSmallTalk('good morning')).toBe('greeting')
    expect(detectSmallTalk('thanks a lot')).toBe('thanks')
    expect(detectSmallTalk('hi, where is my order?')).toBeNull()
  })
})

describe('detectOutOfScope', () => {
  it('takes banking questions as off topic unless the store answers them confidently', () => {
    expect(detectOutOfScope('where is the nearest ATM', 0.2)).toBe('clear')
    expect(detectOutOfScope('how do I change my PIN', 0.4)).toBe('clear')
    expect(detectOutOfScope('what are your exchange rates', 0.3)).toBe('clear')
    expect(detectOutOfScope('how much do you charge for transfers', 0.6)).toBe('clear')
  })

  it('keeps store questions that share a word with banking', () => {
    expect(detectOutOfScope('can I pay by bank transfer', 0.57)).toBeNull()
    expect(detectOutOfScope('I lost the pin code of my user account', 0.7)).toBeNull()
  })

  it('takes a message without any shopping word and no good match as unclear (a person decides)', () => {
    expect(detectOutOfScope('tell me a joke', 0)).toBe('unclear')
    expect(detectOutOfScope('do you have a loyalty program', 0.1)).toBe('unclear')
    expect(detectOutOfScope('leo@example.com', 0)).toBeNull()
    expect(detectOutOfScope('TW-1002', 0)).toBeNull()
    expect(detectOutOfScope('where is my order', 0.2)).toBeNull()
  })
})

describe('detectSignals', () => {
  it('labels a store question with the best article and a neutral sentiment', () => {
    const signals = detectSignals('how do I reset my password', retriever)
    expect(signals.intent).toBe('reset-password')
    expect(signals.topConfidence).toBeGreaterThan(0.7)
    expect(signals.requestsHuman).toBe(false)
    expect(signals.sentiment).toBe(0)
  })

  it('labels requests, sensitive topics and off-topic questions', () => {
    expect(detectSignals('I want to talk to a person', retriever).intent).toBe('request_human')
    expect(detectSignals('my card was declined', retriever).intent).toBe('payment_failed')
    expect(detectSignals('Which ATMs accept my card?', retriever)).toMatchObject({
      intent: 'out_of_scope',
      outOfScope: 'clear',
    })
  })

  it('does not take "am I talking to a real person?" as a request for one', () => {
    const signals = detectSignals('am I talking to a real person?', retriever)
    expect(signals.asksIfBot).toBe(true)
    expect(signals.requestsHuman).toBe(false)
  })

  it('scores an angry message strongly negative', () => {
    expect(detectSignals('this is terrible, I am furious and disgusted', retriever).sentiment).toBeLessThan(
      -0.6,
    )
  })
})
