/**
 * Self-service and the knowledge base in real Chromium, through the black-box contract: a shopper
 * searches help articles in the widget, reads one and votes; an agent writes and verifies an
 * article in the console, and the widget finds it at once; the chat keeps working.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type BrowserSuite, signInConsole, startBrowserSuite } from '../support/e2e.ts'

const ADMIN = { email: 'kim.lee@example.com', password: 'e2e-password-123' }
let suite: BrowserSuite
let url: string
let browser: Browser

beforeAll(async () => {
  suite = await startBrowserSuite(ADMIN)
  url = suite.url
  browser = suite.browser
})

afterAll(async () => {
  await suite?.close()
})

async function searchHelp(shop: Page, query: string): Promise<string[]> {
  await shop.getByRole('searchbox', { name: 'Search help articles' }).fill(query)
  const list = shop.getByRole('list', { name: 'Help articles' })
  await list.waitFor()
  return list
    .getByRole('button')
    .evaluateAll((buttons) => buttons.map((b) => b.querySelector('.result-title')?.textContent ?? ''))
}

describe('self-service and the knowledge base in a real browser', () => {
  it('a shopper finds, reads and rates an article; an agent verifies a new one and it is found at once', async () => {
    const shop = await (await browser.newContext()).newPage()
    await shop.goto(`${url}/demo`)
    await shop.getByRole('button', { name: 'Open chat' }).click()
    await shop.getByRole('log').waitFor()

    expect((await searchHelp(shop, 'return opened coffee'))[0]).toBe('Returns and exchanges')
    await shop.getByRole('list', { name: 'Help articles' }).getByRole('button').first().click()
    await expect
      .poll(() => shop.getByRole('heading', { name: 'Returns and exchanges' }).isVisible())
      .toBe(true)
    // The body is text: the article's paragraphs, no markup from it.
    await expect.poll(() => shop.getByText(/returned within 30 days/).isVisible()).toBe(true)
    await shop.getByRole('button', { name: 'Yes' }).click()
    await expect.poll(() => shop.getByText('Thanks! Glad it helped.').isVisible()).toBe(true)

    // Back to the chat: the log and the composer work as before.
    await shop.getByRole('button', { name: 'Back to chat' }).click()
    await shop.getByRole('textbox', { name: 'Message' }).fill('How long does shipping take?')
    await shop.getByRole('button', { name: 'Send' }).click()
    await expect
      .poll(() => shop.getByRole('log').locator('[data-author="bot"]').count())
      .toBeGreaterThanOrEqual(2)

    const agent = await (await browser.newContext()).newPage()
    await signInConsole(agent, url, ADMIN)
    await agent.getByRole('link', { name: 'Knowledge base' }).click()
    const returnsRow = agent.locator('.article-row[data-slug="returns"]')
    await expect.poll(async () => (await returnsRow.innerText()).includes('1 helpful')).toBe(true)

    await agent.getByRole('link', { name: 'New article' }).click()
    await agent.getByLabel('Title').fill('Mug engraving')
    await agent.getByLabel('Tags').fill('engraving, mug, personalised')
    await agent.getByLabel('Body (Markdown)').fill('We **engrave** any ceramic mug for $8.')
    await expect
      .poll(() => agent.getByRole('region', { name: 'Preview' }).locator('strong').textContent())
      .toBe('engrave')
    await agent.getByRole('button', { name: 'Save' }).click()
    await agent.getByRole('button', { name: 'Verify' }).click()
    await agent.getByRole('button', { name: 'Un-verify' }).waitFor()

    await shop.getByRole('searchbox', { name: 'Search help articles' }).fill('')
    expect(await searchHelp(shop, 'engraving on a mug')).toContain('Mug engraving')
  })
})
