import { describe, expect, it } from 'vitest'
import { HttpSendError, isTransientHttp, isTransientSmtp, sendWithRetries } from './retry.ts'

const smtpError = (fields: { responseCode?: number; code?: string }) =>
  Object.assign(new Error('smtp failed'), fields)

describe('sendWithRetries', () => {
  it('retries a transient failure until it succeeds and counts the attempts', async () => {
    let calls = 0
    const result = await sendWithRetries(
      async () => {
        calls++
        if (calls < 3) throw new HttpSendError(503, 'busy')
        return 'sent'
      },
      { delaysMs: [1, 1, 1], isTransient: isTransientHttp },
    )
    expect(result).toEqual({ ok: true, value: 'sent', attempts: 3 })
  })

  it('stops at once on a permanent failure', async () => {
    let calls = 0
    const result = await sendWithRetries(
      async () => {
        calls++
        throw new HttpSendError(400, 'bad request')
      },
      { delaysMs: [1, 1, 1], isTransient: isTransientHttp },
    )
    expect(calls).toBe(1)
    expect(result).toMatchObject({ ok: false, attempts: 1 })
  })

  it('makes one attempt per delay plus the first, then gives up', async () => {
    const result = await sendWithRetries(
      async () => {
        throw new HttpSendError(500, 'down')
      },
      { delaysMs: [1, 1], isTransient: isTransientHttp },
    )
    expect(result).toMatchObject({ ok: false, attempts: 3 })
  })

  it('once closed, makes no retry of an attempt that failed', async () => {
    const closed = new AbortController()
    closed.abort()
    let calls = 0
    const result = await sendWithRetries(
      async () => {
        calls++
        throw new HttpSendError(500, 'down')
      },
      { delaysMs: [60_000], isTransient: isTransientHttp, signal: closed.signal },
    )
    expect(calls).toBe(1)
    expect(result).toMatchObject({ ok: false, attempts: 1 })
  })
})

describe('what is transient', () => {
  it('HTTP: 429, 5xx and errors without a status are; other 4xx are not', () => {
    expect([429, 500, 502, 503].map((s) => isTransientHttp(new HttpSendError(s, '')))).toEqual([
      true,
      true,
      true,
      true,
    ])
    expect([400, 401, 403, 404].map((s) => isTransientHttp(new HttpSendError(s, '')))).toEqual([
      false,
      false,
      false,
      false,
    ])
    expect(isTransientHttp(new TypeError('fetch failed'))).toBe(true)
    expect(isTransientHttp(new DOMException('timed out', 'TimeoutError'))).toBe(true)
  })

  it('SMTP: 4xx replies and connection errors are; 5xx replies and other errors are not', () => {
    expect(isTransientSmtp(smtpError({ responseCode: 451, code: 'EMESSAGE' }))).toBe(true)
    expect(isTransientSmtp(smtpError({ responseCode: 421 }))).toBe(true)
    expect(isTransientSmtp(smtpError({ code: 'ESOCKET' }))).toBe(true)
    expect(isTransientSmtp(smtpError({ code: 'ECONNECTION' }))).toBe(true)
    expect(isTransientSmtp(smtpError({ responseCode: 550, code: 'EENVELOPE' }))).toBe(false)
    expect(isTransientSmtp(smtpError({ responseCode: 535, code: 'EAUTH' }))).toBe(false)
    expect(isTransientSmtp(smtpError({ code: 'ECONFIG' }))).toBe(false)
  })
})
