/**
 * The helpdesk in real Chromium, through the black-box contract: a shopper on the demo storefront
 * and two agents in their own browser contexts. One takes over; the other sees who is viewing and
 * typing, cannot reply (notes only) and is told who owns it; a macro fills the reply and sets the
 * tags and priority; resolving shows the SLA result. The relay runs as a user starts it.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type BrowserSuite, signInConsole, startBrowserSuite } from '../support/e2e.ts'

const ADMIN = { email: 'sam.rivera@example.com', password: 'e2e-password-123', name: 'Sam Rivera' }
const AGENT = { email: 'bo.lindqvist@example.com', password: 'e2e-password-456', name: 'Bo Lindqvist' }
let suite: BrowserSuite
let url: string
let browser: Browser

/** The admin API with the admin's session cookie, as the settings pages call it. */
async function adminApi(method: string, route: string, body: unknown): Promise<unknown> {
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: ADMIN.email, password: ADMIN.password }),
  })
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  const res = await fetch(`${url}${route}`, {
    method,
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  const reply = (await res.json()) as { ok: boolean; error?: unknown }
  if (!reply.ok) throw new Error(`${method} ${route}: ${JSON.stringify(reply.error)}`)
  return reply
}

beforeAll(async () => {
  suite = await startBrowserSuite(ADMIN)
  url = suite.url
  browser = suite.browser
  // Manual assignment only: auto-assignment would hand the conversation to whoever is online first.
  await adminApi('PUT', '/api/sites/demo/helpdesk', { autoAssign: false })
  await adminApi('POST', '/api/agents', {
    email: AGENT.email,
    password: AGENT.password,
    name: AGENT.name,
    role: 'agent',
    skills: ['billing'],
    languages: ['en'],
  })
  await adminApi('POST', '/api/sites/demo/macros', {
    name: 'Refund issued',
    body: 'Hi {{contact.name}}, I have refunded your order. – {{agent.name}}',
    actions: { tags: ['refund'], priority: 'high' },
  })
})

afterAll(async () => {
  await suite?.close()
})

async function signIn(context: BrowserContext, who: { email: string; password: string }): Promise<Page> {
  const page = await context.newPage()
  await signInConsole(page, url, who)
  return page
}

describe('the helpdesk in a real browser', () => {
  it('two agents: one takes over and replies with a macro, the other sees them and writes a note; resolving shows the SLA', async () => {
    const shopperContext = await browser.newContext()
    const shop = await shopperContext.newPage()
    await shop.goto(`${url}/demo`)
    await shop.getByRole('button', { name: 'Open chat' }).click()
    await shop.getByRole('log').waitFor()
    await shop.getByRole('textbox', { name: 'Message' }).fill('I want to talk to a person')
    await shop.getByRole('button', { name: 'Send' }).click()

    // Sam takes over from the queue; the SLA due time is a <time datetime> and the priority is text.
    const sam = await signIn(await browser.newContext(), ADMIN)
    const row = sam.getByRole('link', { name: /I want to talk to a person/ })
    await row.waitFor({ timeout: 15_000 })
    expect(await row.innerText()).toMatch(/queued/)
    expect(await row.innerText()).toMatch(/\bnormal\b/)
    await row.click()
    await sam.getByRole('button', { name: 'Take over' }).click()
    const reply = sam.getByRole('textbox', { name: 'Reply' })
    await reply.waitFor()
    const due = sam.locator('.conversation-head [data-testid="sla"] time')
    await due.waitFor()
    expect(Number.isNaN(Date.parse((await due.getAttribute('datetime')) ?? ''))).toBe(false)
    expect(await due.innerText()).toMatch(/left$/)

    // Bo opens the same conversation: each sees the other viewing.
    const bo = await signIn(await browser.newContext(), AGENT)
    await bo.getByRole('link', { name: /I want to talk to a person/ }).click()
    await bo.getByText(`${ADMIN.name} is viewing`).waitFor()
    await sam.getByText(`${AGENT.name} is viewing`).waitFor()

    // Sam types: Bo sees it.
    await reply.pressSequentially('Let me check', { delay: 40 })
    await bo.getByText(`${ADMIN.name} is typing…`).waitFor()

    // Bo cannot reply to the customer: the composer is in note mode and says why.
    expect(await bo.getByRole('textbox', { name: 'Reply' }).count()).toBe(0)
    expect(await bo.getByRole('button', { name: 'Reply', exact: true }).isDisabled()).toBe(true)
    expect(await bo.locator('.composer-hint').innerText()).toContain(ADMIN.name)
    // A take-over is refused, naming the owner.
    await bo.getByRole('button', { name: 'Take over' }).click()
    await expect
      .poll(() => bo.getByRole('alert').first().innerText())
      .toContain(`Already taken by ${ADMIN.name}`)
    // Bo's note reaches Sam as an internal note.
    await bo.getByRole('textbox', { name: 'Internal note' }).fill('Long-time customer, be generous')
    await bo.getByRole('button', { name: 'Add note' }).click()
    const note = sam.locator('[data-author="agent"][data-internal="true"]', { hasText: 'be generous' })
    await note.waitFor()
    expect(await note.innerText()).toContain('Internal note')

    // Sam inserts the macro with "/", arrow keys and Enter: placeholders filled, then Send.
    await reply.fill('/ref')
    const option = sam.getByRole('option', { name: /Refund issued/ })
    await option.waitFor()
    expect(await option.getAttribute('aria-selected')).toBe('true')
    await reply.press('Enter')
    const filled = `Hi there, I have refunded your order. – ${ADMIN.name}`
    expect(await reply.inputValue()).toBe(filled)
    await sam.getByRole('button', { name: 'Send' }).click()
    await sam.locator('[data-author="agent"][data-seq]', { hasText: filled }).waitFor()
    await shop
      .getByRole('log')
      .locator('[data-author="agent"]', { hasText: filled })
      .waitFor({ timeout: 10_000 })
    // The macro's actions went with it: the tag and the priority, shown as text.
    await sam.locator('.tags .tag', { hasText: 'refund' }).waitFor()
    await expect.poll(() => sam.getByTestId('conversation-priority').innerText()).toBe('high')

    // Resolve: the status and the SLA result.
    await sam.getByRole('button', { name: 'Resolve' }).click()
    await expect.poll(() => sam.getByTestId('conversation-status').innerText()).toBe('resolved')
    const result = sam.locator('.conversation-head [data-testid="sla"]')
    await expect.poll(() => result.getAttribute('data-sla-state')).toBe('met')
    expect(await result.innerText()).toContain('SLA met')
    await expect.poll(() => bo.getByTestId('conversation-status').innerText()).toBe('resolved')

    // The note never reached the shopper.
    expect(await shop.getByRole('log').innerText()).not.toContain('be generous')
    await shopperContext.close()
  })
})
