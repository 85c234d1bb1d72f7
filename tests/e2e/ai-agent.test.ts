/**
 * The AI agent in real Chromium: with the anthropic provider (the real SDK against a loopback
 * Messages API), a streamed answer grows in the widget; a refund the policy only lets the bot
 * suggest is approved by an agent in the console, and the shopper is told.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type BrowserSuite, signInConsole, startBrowserSuite } from '../support/e2e.ts'
import { type FakeAnthropic, startFakeAnthropic, textReply, toolReply } from '../support/fake-anthropic.ts'

const ADMIN = { email: 'ria.patel@example.com', password: 'e2e-password-456' }
let fake: FakeAnthropic
let suite: BrowserSuite
let url: string
let browser: Browser

beforeAll(async () => {
  fake = await startFakeAnthropic()
  suite = await startBrowserSuite(ADMIN, {
    PARLEY_BOT_PROVIDER: 'anthropic',
    ANTHROPIC_API_KEY: 'test-key',
    ANTHROPIC_BASE_URL: fake.url,
  })
  url = suite.url
  browser = suite.browser
})

afterAll(async () => {
  await suite?.close()
  await fake?.close()
})

async function say(page: Page, text: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Message' }).fill(text)
  await page.getByRole('button', { name: 'Send' }).click()
}

describe('the AI agent in a real browser', () => {
  it('streams an answer into the widget, and an agent approves a suggested refund the shopper is then told about', async () => {
    // Turn 1: search, then an answer streamed in slow chunks, citing the article it searched.
    fake.enqueue(
      toolReply([{ name: 'search_knowledge', input: { query: 'shipping time' } }]),
      textReply(
        [
          'We roast on Mondays. ',
          'We ship within 2 business days of your order. ',
          'Standard shipping takes 3–5 business days. ',
          'Express takes 1–2 business days. ',
          'Canada takes 5–9 business days.',
          '<sources>shipping-times</sources>',
        ],
        { chunkDelayMs: 400 },
      ),
    )
    const context = await browser.newContext()
    const shop = await context.newPage()
    await shop.goto(`${url}/demo`)
    await shop.getByRole('button', { name: 'Open chat' }).click()
    await shop.getByRole('log').waitFor()
    await say(shop, 'How long does shipping take?')

    // The draft grows while the model writes.
    const draft = shop.getByRole('log').locator('[data-author="bot"][aria-busy="true"]')
    const lengths: number[] = []
    const deadline = Date.now() + 15_000
    while (Date.now() < deadline) {
      // Read in one step: the draft may be replaced by the final message at any moment.
      const text = await draft.evaluateAll((els) => els[0]?.textContent ?? null)
      if (text && lengths.at(-1) !== text.length) lengths.push(text.length)
      const final = shop.getByRole('log').locator('[data-author="bot"]', {
        has: shop.locator('a[href*="/help/demo/shipping-times"]'),
      })
      if ((await final.count()) > 0) break
      await shop.waitForTimeout(50)
    }
    expect(lengths.length).toBeGreaterThanOrEqual(2)
    expect(lengths).toEqual([...lengths].sort((a, b) => a - b))
    const answer = shop.getByRole('log').locator('[data-author="bot"]', {
      has: shop.locator('a[href*="/help/demo/shipping-times"]'),
    })
    await answer.waitFor()
    expect(await answer.textContent()).toContain('Canada takes 5–9 business days.')
    expect(await answer.textContent()).not.toContain('<sources>')
    expect(await shop.getByRole('log').locator('[aria-busy="true"]').count()).toBe(0)

    // Turn 2: a refund the policy lets the bot only suggest.
    fake.enqueue(
      toolReply([
        {
          name: 'request_action',
          input: {
            type: 'refund',
            order_number: 'TW-1001',
            email: 'maya@example.com',
            amount: 12,
            reason: 'bag arrived torn',
          },
        },
      ]),
      textReply([
        'I have asked our team to approve a refund of $12.00 for order TW-1001. <sources>order:TW-1001</sources>',
      ]),
    )
    await say(
      shop,
      'The bag of order TW-1001 arrived torn, I would like $12 back. My email is maya@example.com',
    )
    await shop
      .getByRole('log')
      .locator('[data-author="bot"]', { hasText: 'asked our team to approve a refund' })
      .waitFor({ timeout: 15_000 })

    // The agent sees the conversation queued for approval and approves with one click.
    const agentContext = await browser.newContext()
    const desk = await agentContext.newPage()
    await signInConsole(desk, url, ADMIN)
    await desk.getByRole('link', { name: /arrived torn/ }).click()
    const card = desk.locator('[data-testid="action-card"][data-status="pending"]')
    await card.waitFor({ timeout: 10_000 })
    expect(await card.textContent()).toContain('TW-1001')
    await card.getByRole('button', { name: 'Approve' }).click()
    await desk.locator('[data-testid="action-card"][data-status="approved"]').waitFor()

    // The shopper is told, live.
    await shop
      .getByRole('log')
      .locator('[data-author="system"]', { hasText: 'Your refund of $12.00 for order TW-1001 was approved.' })
      .waitFor({ timeout: 10_000 })

    // The model was given the stable prompt part with cache breakpoints.
    const first = fake.requests[0]
    expect(JSON.stringify(first?.body.system)).toContain('ephemeral')
    await agentContext.close()
    await context.close()
  })
})
