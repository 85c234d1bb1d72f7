import { afterEach, describe, expect, it } from 'vitest'
import type { Conversation } from '../../relay/store/types.ts'
import type { Channel, ConversationSummary, SlaSummary } from '../../shared/protocol.ts'
import { type FakeGraphApi, startGraphApi } from '../support/graph-api.ts'
import { fakeClock, PASSWORD, shopperAsksForPerson } from '../support/helpdesk.ts'
import {
  type ConsoleClient,
  call,
  login,
  record,
  signedInAgent,
  startRelay,
  type TestRelay,
} from '../support/relay.ts'
import { eventually, sendToRelay } from '../support/smtp.ts'
import { postWhatsApp, WA_APP_SECRET, waDelivery, waText } from '../support/whatsapp.ts'

const APP_SECRET = WA_APP_SECRET
const PHONE = '34612345678'
const SUPPORT = 'support@tidewater.test'
const START = '2026-01-19T10:00:00.000Z'
const MINUTE = 60_000
const HOUR = 60 * MINUTE

let relay: TestRelay | undefined
let graph: FakeGraphApi | undefined
afterEach(async () => {
  await relay?.close()
  await graph?.close()
  relay = graph = undefined
})

const at = (offsetMs: number) => new Date(Date.parse(START) + offsetMs).toISOString()

/** What a conversation handed off at START and untouched since shows, for these targets. */
const fresh = (firstResponseMs: number, resolutionMs: number): SlaSummary => ({
  firstResponseDue: at(firstResponseMs),
  resolutionDue: at(resolutionMs),
  dueAt: at(firstResponseMs),
  firstResponseAt: null,
  state: 'ok',
  timeLeftMs: firstResponseMs,
})

async function begin(): Promise<{
  relay: TestRelay
  console: ConsoleClient
  upserts: ConversationSummary[]
}> {
  graph = await startGraphApi()
  relay = await startRelay(
    {
      PARLEY_SMTP_PORT: '0',
      PARLEY_SUPPORT_EMAIL: SUPPORT,
      PARLEY_WHATSAPP_APP_SECRET: APP_SECRET,
      PARLEY_WHATSAPP_VERIFY_TOKEN: 'verify-me-please',
      PARLEY_WHATSAPP_ACCESS_TOKEN: 'EAAG-test-access-token',
      PARLEY_GRAPH_API_URL: graph.url,
    },
    { now: fakeClock(START).now },
  )
  // No capacity set: nothing is auto-assigned, every conversation stays queued.
  const console = await signedInAgent(relay, 'sam@tidewater.test', 'Sam')
  return { relay, console, upserts: record<ConversationSummary>(console, 'conversation:upserted') }
}

const queued = async (channel: Channel): Promise<Conversation> =>
  eventually(async () => {
    const all = (await relay?.app.parley.store.listConversations({ siteIds: ['demo'] })) ?? []
    return all.find((c) => c.channel === channel && c.status === 'queued')
  })

/** A customer asks for a person by email, through the SMTP listener. */
async function emailAsksForPerson(): Promise<Conversation> {
  await sendToRelay(relay?.app.parley.email.smtpPort() ?? 0, {
    from: 'Ann Example <ann@example.org>',
    to: SUPPORT,
    subject: 'Need help',
    text: 'I want to talk to a person',
  })
  return queued('email')
}

/** A customer asks for a person on WhatsApp, through the signed webhook. */
async function whatsappAsksForPerson(): Promise<Conversation> {
  const response = await postWhatsApp(
    relay?.url ?? '',
    waDelivery(
      {
        messages: [
          waText('wamid.sla1', 'I want to talk to a person', PHONE, String(Date.parse(START) / 1000)),
        ],
      },
      { waId: PHONE },
    ),
  )
  expect(response.status).toBe(200)
  return queued('whatsapp')
}

async function inbox(console: ConsoleClient): Promise<Map<string, ConversationSummary>> {
  const { conversations } = await call<{ conversations: ConversationSummary[] }>(console, 'inbox:list', {
    filter: 'open',
  })
  return new Map(conversations.map((c) => [c.id, c]))
}

describe('SLA targets per channel', () => {
  it('email and WhatsApp conversations handed off to a person are due by their own channel’s targets, not the web chat’s', async () => {
    const { relay, console, upserts } = await begin()
    const web = await shopperAsksForPerson(relay)
    const email = await emailAsksForPerson()
    const whatsapp = await whatsappAsksForPerson()

    const seen = await inbox(console)
    expect(seen.get(web.conversationId)).toMatchObject({ channel: 'web', priority: 'normal' })
    expect(seen.get(email.id)).toMatchObject({ channel: 'email', priority: 'normal' })
    expect(seen.get(whatsapp.id)).toMatchObject({ channel: 'whatsapp', priority: 'normal' })
    // Normal priority: web 2 min / 1 h, WhatsApp 4 h / 24 h, email 24 h / 72 h (relay/sla/policy.ts).
    expect(seen.get(web.conversationId)?.sla).toEqual(fresh(2 * MINUTE, HOUR))
    expect(seen.get(whatsapp.id)?.sla).toEqual(fresh(4 * HOUR, 24 * HOUR))
    expect(seen.get(email.id)?.sla).toEqual(fresh(24 * HOUR, 72 * HOUR))

    // The live push of each handoff carries the same due times.
    const pushed = (id: string) => upserts.filter((u) => u.id === id && u.status === 'queued').at(-1)?.sla
    await expect.poll(() => pushed(email.id)).toEqual(fresh(24 * HOUR, 72 * HOUR))
    await expect.poll(() => pushed(whatsapp.id)).toEqual(fresh(4 * HOUR, 24 * HOUR))
    console.close()
  })

  it('an admin’s targets for the email and WhatsApp channels apply to those conversations only', async () => {
    const { relay, console } = await begin()
    const admin = await relay.addAgent({ email: 'root@tidewater.test', name: 'Root', role: 'admin' })
    const cookie = await login(relay.url, admin.email, PASSWORD)
    const saved = await relay.app.inject({
      method: 'PUT',
      url: '/api/sites/demo/helpdesk',
      headers: { cookie },
      payload: {
        sla: {
          channels: {
            email: { targets: { normal: { firstResponseMs: 3 * HOUR, resolutionMs: 10 * HOUR } } },
            whatsapp: { targets: { normal: { firstResponseMs: 15 * MINUTE, resolutionMs: 2 * HOUR } } },
          },
        },
      },
    })
    expect(saved.statusCode, saved.body).toBe(200)
    const web = await shopperAsksForPerson(relay)
    const email = await emailAsksForPerson()
    const whatsapp = await whatsappAsksForPerson()

    const seen = await inbox(console)
    expect(seen.get(email.id)?.sla).toEqual(fresh(3 * HOUR, 10 * HOUR))
    expect(seen.get(whatsapp.id)?.sla).toEqual(fresh(15 * MINUTE, 2 * HOUR))
    expect(seen.get(web.conversationId)?.sla).toEqual(fresh(2 * MINUTE, HOUR))
    console.close()
  })
})
