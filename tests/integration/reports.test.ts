import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Report } from '../../shared/reports.ts'
import {
  type ConsoleClient,
  call,
  clientId,
  connectConsole,
  login,
  queuedConversation,
  startRelay,
  type TestRelay,
} from '../support/relay.ts'

const TOKEN = 'metrics-token-for-tests-0123456789'
let relay: TestRelay
let cookie: string
let agent: ConsoleClient

beforeAll(async () => {
  relay = await startRelay({ PARLEY_METRICS_TOKEN: TOKEN })
  await relay.addAgent({ email: 'robin@example.com', name: 'Robin' })
  await relay.addAgent({ email: 'other@example.com', name: 'Other', siteIds: ['elsewhere'] })
  cookie = await login(relay.url, 'robin@example.com', 'correct-horse-battery')
  agent = await connectConsole(relay.url, cookie)

  // One conversation: handed off, answered, resolved, rated 4 by the shopper and 2 by the agent.
  const shopper = await queuedConversation(relay.url, 'I want to talk to a person about my secret order')
  const { conversationId } = shopper
  await call(agent, 'conversation:claim', { conversationId })
  await call(agent, 'message:send', { conversationId, clientId: clientId(), text: 'Here to help' })
  await call(agent, 'conversation:resolve', { conversationId })
  await call(shopper.socket, 'csat:rate', { conversationId, score: 4, comment: 'Nice, "quick", thanks' })
  await call(agent, 'effort:rate', { conversationId, score: 2 })
  shopper.socket.close()
})
afterAll(async () => {
  agent?.close()
  await relay.close()
})

const get = (url: string, headers: Record<string, string> = { cookie }) =>
  relay.app.inject({ method: 'GET', url, headers })

describe('GET /api/sites/:site/reports', () => {
  it("gives the site's agents the figures of the period, from the audit log", async () => {
    const response = await get('/api/sites/demo/reports')
    expect(response.statusCode).toBe(200)
    const report = response.json<{ ok: true; data: Report }>().data
    expect(report).toMatchObject({
      siteId: 'demo',
      channel: null,
      timeZone: 'UTC',
      conversations: 1,
      resolutions: 1,
      firstResponse: { count: 1, cycles: 1, unanswered: 0 },
      csat: { responses: 1, eligible: 1, responseRate: 1, average: 4, satisfiedShare: 1 },
      selfService: { resolutions: 1, selfService: 0, rate: 0 },
      effort: { humanResolutions: 1, ratings: 1, average: 2 },
      contactToAction: { requests: 1, acted: 1, averageTransfers: 1 },
      sla: { overall: { cycles: 1, decided: 1 } },
    })
    expect(report.firstResponse.medianMs).toBeGreaterThanOrEqual(0)
    // The last 30 days, today included, one series point per day.
    expect(report.daily).toHaveLength(30)
    const today = new Date().toISOString().slice(0, 10)
    expect(report.daily.at(-1)).toMatchObject({
      date: today,
      conversations: 1,
      csatResponses: 1,
      csatAverage: 4,
    })
  })

  it('narrows to a period and a channel', async () => {
    const email = (await get('/api/sites/demo/reports?channel=email')).json<{ data: Report }>().data
    expect(email).toMatchObject({ channel: 'email', conversations: 0, resolutions: 0 })
    const past = await get('/api/sites/demo/reports?from=2025-01-01&to=2025-01-07')
    expect(past.json<{ data: Report }>().data).toMatchObject({
      from: '2025-01-01T00:00:00.000Z',
      to: '2025-01-08T00:00:00.000Z',
      conversations: 0,
    })
    expect(past.json<{ data: Report }>().data.daily.map((d) => d.date)).toHaveLength(7)
  })

  it('refuses a bad query, strangers and agents of other sites', async () => {
    for (const query of [
      'from=2025-02-01&to=2025-01-01',
      'channel=fax',
      'from=yesterday',
      'from=2020-01-01&to=2025-01-01',
    ]) {
      const response = await get(`/api/sites/demo/reports?${query}`)
      expect(response.statusCode, query).toBe(400)
      expect(response.json()).toMatchObject({ ok: false, error: { code: 'invalid_payload' } })
    }
    expect((await get('/api/sites/demo/reports', {})).statusCode).toBe(401)
    const other = await login(relay.url, 'other@example.com', 'correct-horse-battery')
    const foreign = await get('/api/sites/demo/reports.csv', { cookie: other })
    expect(foreign.statusCode).toBe(404)
    expect(foreign.json()).toMatchObject({ error: { code: 'not_found' } })
  })
})

describe('GET /api/sites/:site/reports.csv', () => {
  it('downloads the same figures as CSV: a header, the total, then one row per day', async () => {
    const response = await get('/api/sites/demo/reports.csv?from=2025-01-01&to=2025-01-02')
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8')
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="parley-demo-2025-01-01-2025-01-03.csv"',
    )
    const lines = response.body.trimEnd().split('\r\n')
    expect(lines).toHaveLength(4)
    expect(lines[0]).toMatch(/^date,conversations,resolutions,self_service_resolutions,/)
    expect(lines.map((l) => l.split(',')[0])).toEqual(['date', 'total', '2025-01-01', '2025-01-02'])

    const today = await get('/api/sites/demo/reports.csv')
    const [header, total] = today.body.split('\r\n').map((l) => l.split(','))
    const column = (name: string) => total?.[header?.indexOf(name) ?? -1]
    expect(column('csat_average')).toBe('4')
    expect(column('effort_average')).toBe('2')
    expect(column('self_service_rate')).toBe('0')
    expect(column('sentiment_shift')).toBe('')
    // Figures only: nothing the shopper wrote.
    expect(today.body).not.toContain('quick')
  })
})

describe('GET /metrics', () => {
  it('answers Prometheus text with the bearer token only, without shopper text in labels', async () => {
    expect((await get('/metrics', {})).statusCode).toBe(401)
    expect((await get('/metrics', { authorization: 'Bearer wrong-token-of-some-length' })).statusCode).toBe(
      401,
    )
    const response = await get('/metrics', { authorization: `Bearer ${TOKEN}` })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/)
    const text = response.body
    expect(text).toContain('parley_csat_average{site="demo"} 4')
    expect(text).toContain('parley_csat_responses{site="demo"} 1')
    expect(text).toContain('parley_agent_effort_average{site="demo"} 2')
    expect(text).toContain('parley_resolutions{site="demo"} 1')
    expect(text).toContain('parley_conversations_open{site="demo",status="queued"} 0')
    expect(text).toContain('parley_sla_cycles{site="demo",channel="web"} 1')
    expect(text).toMatch(/parley_first_response_seconds\{site="demo",quantile="0.5"\} \d/)
    expect(text).toContain('parley_process_resident_memory_bytes')
    expect(text).not.toMatch(/secret|quick|Robin|robin@/)
  })

  it('is not there without PARLEY_METRICS_TOKEN', async () => {
    const plain = await startRelay()
    try {
      const response = await plain.app.inject({ method: 'GET', url: '/metrics' })
      expect(response.statusCode).toBe(404)
    } finally {
      await plain.close()
    }
  })
})
