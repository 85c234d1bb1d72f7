/**
 * One customer across channels, in real Chromium: a shopper the store identifies in the widget
 * writes an email from the same address; the agent sees both conversations on one customer, reads
 * the email's original and attachment, and merges an anonymous chat of the same person by hand.
 */
import { createHmac } from 'node:crypto'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type BrowserSuite, signInConsole, startBrowserSuite } from '../support/e2e.ts'

const ADMIN = { email: 'lee.admin@example.com', password: 'e2e-password-789' }
const IDENTITY_SECRET = 'demo-identity-secret'
const WEBHOOK_SECRET = 'demo-email-webhook-secret'
let suite: BrowserSuite
let url: string
let browser: Browser

beforeAll(async () => {
  suite = await startBrowserSuite(ADMIN, {
    PARLEY_IDENTITY_SECRET: IDENTITY_SECRET,
    PARLEY_SUPPORT_EMAIL: 'support@tidewater.test',
    PARLEY_EMAIL_WEBHOOK_SECRET: WEBHOOK_SECRET,
  })
  url = suite.url
  browser = suite.browser
})

afterAll(async () => {
  await suite?.close()
})

/** What the store's page does for a signed-in shopper (the hash comes from its backend), with the
 * documented snippet: a queue that works whether or not the loader has run yet. */
async function identify(page: Page, email: string, name: string): Promise<void> {
  const userHash = createHmac('sha256', IDENTITY_SECRET).update(email).digest('hex')
  await page.evaluate(
    ([e, n, hash]) => {
      const w = window as unknown as { parley?: ((...args: unknown[]) => void) & { q?: unknown[] } }
      w.parley =
        w.parley ??
        Object.assign(
          (...args: unknown[]) => {
            w.parley?.q?.push(args)
          },
          { q: [] as unknown[] },
        )
      w.parley('identify', { email: e, name: n, userHash: hash })
    },
    [email, name, userHash],
  )
}

describe('one customer across channels', () => {
  it('an identified widget chat and an email from the same address show on one customer in the console', async () => {
    const shop = await (await browser.newContext()).newPage()
    await shop.goto(`${url}/demo`)
    await identify(shop, 'maya@example.com', 'Maya Chen')
    await shop.getByRole('button', { name: 'Open chat' }).click()
    await shop.getByRole('textbox', { name: 'Message' }).fill('I want to talk to a person about my grinder')
    await shop.getByRole('button', { name: 'Send' }).click()
    await shop.getByRole('log').locator('[data-author="contact"]').first().waitFor()

    // A reply-style mail with quoted history and an attachment: the agent reads the new text, the
    // original keeps everything.
    const mime = [
      'From: Maya Chen <maya@example.com>',
      'To: support@tidewater.test',
      'Subject: Grinder making noise',
      'Message-ID: <grinder-noise@example.com>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'My grinder makes a loud noise since yesterday.',
      '',
      'On Mon, 30 Nov 2026, Tidewater wrote:',
      '> Thanks for your order #1001!',
      '--b1',
      'Content-Type: text/plain; name="receipt.txt"',
      'Content-Disposition: attachment; filename="receipt.txt"',
      '',
      'Order 1001: burr grinder, 129.00 EUR',
      '--b1--',
      '',
    ].join('\r\n')
    const posted = await fetch(`${url}/webhooks/email`, {
      method: 'POST',
      headers: { 'content-type': 'message/rfc822', 'x-parley-email-secret': WEBHOOK_SECRET },
      body: mime,
    })
    expect(posted.status).toBe(202)

    const desk = await (await browser.newContext()).newPage()
    await signInConsole(desk, url, ADMIN)
    await desk.getByRole('link', { name: /about my grinder/ }).click()
    // The customer is named by the store's identity, and the email is among their conversations.
    const history = desk.locator('section.history')
    await history.locator('a', { hasText: 'loud noise' }).waitFor({ timeout: 15_000 })
    expect(await history.locator('a', { hasText: 'loud noise' }).textContent()).toContain('email')
    expect(await desk.getByText('Maya Chen').count()).toBeGreaterThan(0)

    // The email conversation: the stripped text in the transcript, the attachment, and the original.
    await history.locator('a', { hasText: 'loud noise' }).click()
    const log = desk.getByRole('list', { name: 'Transcript' })
    await log.getByText('My grinder makes a loud noise since yesterday.').waitFor()
    expect(await log.getByText('Thanks for your order').count()).toBe(0)
    const attachment = log.getByRole('link', { name: 'receipt.txt' })
    await attachment.waitFor()
    const download = await desk.request.get(`${url}${await attachment.getAttribute('href')}`)
    expect(download.status()).toBe(200)
    expect(await download.text()).toBe('Order 1001: burr grinder, 129.00 EUR')
    // Each mail has its original, the bot's emailed answer too; the customer's is the one to read.
    await log.locator('[data-author="contact"]').getByRole('button', { name: 'View original email' }).click()
    const original = desk.getByRole('dialog', { name: 'Grinder making noise' })
    await original.waitFor()
    expect(await original.locator('pre.email-full-text').textContent()).toContain(
      '> Thanks for your order #1001!',
    )
    expect(await original.textContent()).toContain('maya@example.com')
    await original.getByRole('button', { name: 'Close' }).click()
    // Taken over, the reply box says where the reply goes.
    await desk.getByRole('button', { name: 'Take over' }).click()
    await desk.getByPlaceholder(/^Reply by email to maya@example\.com\./).waitFor()
    // Without PARLEY_SMTP_URL the bot's emailed answer waits in the outbox an admin can read.
    await desk.goto(`${url}/console#/settings/outbox`)
    await desk.getByRole('heading', { name: 'Outbox' }).waitFor()
    await desk.locator('.outbox-subject', { hasText: 'Re: Grinder making noise' }).first().waitFor()
    expect(await desk.locator('.outbox-mail').first().textContent()).toContain('to maya@example.com')

    // The same person writes from a phone, not signed in: an anonymous chat the agent merges by hand.
    const phone = await (await browser.newContext()).newPage()
    await phone.goto(`${url}/demo`)
    await phone.getByRole('button', { name: 'Open chat' }).click()
    await phone
      .getByRole('textbox', { name: 'Message' })
      .fill('I want to talk to a person: is the grinder replacement on its way?')
    await phone.getByRole('button', { name: 'Send' }).click()
    await phone.getByRole('log').locator('[data-author="contact"]').first().waitFor()

    await desk.goto(`${url}/console#/`)
    await desk.getByRole('link', { name: /grinder replacement/ }).click()
    await desk.getByRole('link', { name: 'View customer' }).click()
    await desk.getByRole('heading', { name: 'Visitor', level: 2 }).waitFor()
    await desk.getByRole('button', { name: 'Merge with another contact…' }).click()
    await desk.getByRole('searchbox', { name: /Find the contact/ }).fill('maya')
    await desk.getByRole('button', { name: /Maya Chen/ }).click()
    await desk.getByRole('button', { name: 'Merge', exact: true }).click()

    // One customer: the store's name stays primary, three conversations on two channels, undoable.
    await desk.getByRole('heading', { name: 'Maya Chen', level: 2 }).waitFor()
    const timeline = desk.locator('ol.timeline > li')
    await expect.poll(() => timeline.count()).toBe(3)
    const channels = await desk.locator('ol.timeline .timeline-channel').allTextContents()
    expect(channels.sort()).toEqual(['email', 'web', 'web'])
    expect(await desk.locator('.customer-identities').textContent()).toContain('merged by')
    expect(await desk.getByRole('button', { name: 'Undo merge' }).count()).toBe(1)
    // The inbox now names the phone chat after the customer.
    await desk.getByRole('link', { name: /grinder replacement/ }).click()
    await desk.locator('#conversation-title', { hasText: 'Maya Chen' }).waitFor()
  })

  it('an admin requires a verified identity: anonymous shoppers are asked to sign in, identified ones chat', async () => {
    const desk = await (await browser.newContext()).newPage()
    await signInConsole(desk, url, ADMIN, '#/settings/identity')
    await desk.getByRole('heading', { name: 'Widget security' }).waitFor()
    await desk.getByText(`secret ending in …${IDENTITY_SECRET.slice(-4)}`).waitFor()
    await desk.getByRole('checkbox', { name: 'Require a verified identity' }).check()
    await desk.getByText('Saved.').waitFor()

    const anonymous = await (await browser.newContext()).newPage()
    await anonymous.goto(`${url}/demo`)
    await anonymous.getByRole('button', { name: 'Open chat' }).click()
    await anonymous.getByText('Sign in to your account on this store to chat with us.').waitFor()
    expect(await anonymous.getByRole('textbox', { name: 'Message' }).isDisabled()).toBe(true)

    const signedIn = await (await browser.newContext()).newPage()
    await signedIn.goto(`${url}/demo`)
    await identify(signedIn, 'maya@example.com', 'Maya Chen')
    await signedIn.getByRole('button', { name: 'Open chat' }).click()
    await signedIn.getByRole('textbox', { name: 'Message' }).fill('Signed in and still here')
    await signedIn.getByRole('button', { name: 'Send' }).click()
    await signedIn.getByRole('log').getByText('Signed in and still here').waitFor()
  })
})
