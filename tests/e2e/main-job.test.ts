/**
 * The whole main job in real Chromium, through the black-box contract only: the demo storefront's
 * widget (roles, names, data-author) and the console (labels, buttons), a shopper and an agent in
 * two browser contexts, against the relay started as a user starts it.
 */
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type BrowserSuite, signInConsole, startBrowserSuite } from '../support/e2e.ts'

const ADMIN = { email: 'sam.rivera@example.com', password: 'e2e-password-123' }
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

const messages = (page: Page) => page.getByRole('log').locator('[data-author]')
const lastOf = (page: Page, author: string) =>
  page.getByRole('log').locator(`[data-author="${author}"]`).last()

async function openWidget(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Open chat' }).click()
  await page.getByRole('log').waitFor()
}

async function say(page: Page, text: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Message' }).fill(text)
  await page.getByRole('button', { name: 'Send' }).click()
}

async function texts(locator: Locator): Promise<string[]> {
  return (await locator.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim())
}

async function signIn(context: BrowserContext): Promise<Page> {
  const page = await context.newPage()
  await signInConsole(page, url, ADMIN)
  return page
}

describe('the main job in a real browser', () => {
  it('a shopper chats on the storefront, the bot answers and hands off, an agent takes over, replies and resolves', async () => {
    const shopperContext = await browser.newContext()
    const shop = await shopperContext.newPage()
    // A slow network: the loader shows its loading frame, which must go once the panel is there.
    const cdp = await shopperContext.newCDPSession(shop)
    const throttle = (latency: number, bytesPerSecond: number) =>
      cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency,
        downloadThroughput: bytesPerSecond,
        uploadThroughput: bytesPerSecond,
      })
    await shop.goto(`${url}/demo`)
    await throttle(600, 40 * 1024)
    await openWidget(shop)
    await throttle(0, -1)
    await cdp.detach()
    // The chat is really seen: nothing covers the message box and nothing above it is transparent.
    await shop.waitForTimeout(400)
    const seen = await shop.getByRole('textbox', { name: 'Message' }).evaluate((box) => {
      const rect = box.getBoundingClientRect()
      const root = box.getRootNode() as ShadowRoot
      let opacity = 1
      for (let el: Element | null = box; el; el = el.parentElement)
        opacity *= Number(getComputedStyle(el).opacity)
      return {
        onTop: root.elementFromPoint(rect.x + rect.width / 2, rect.y + rect.height / 2) === box,
        opacity,
      }
    })
    expect(seen).toEqual({ onTop: true, opacity: 1 })

    // The very first message is the disclosure, from the bot.
    await expect.poll(() => messages(shop).count()).toBeGreaterThan(0)
    const first = messages(shop).first()
    expect(await first.getAttribute('data-author')).toBe('bot')
    expect(await first.innerText()).toMatch(/automated/i)

    // A question the knowledge base answers: a bot reply with a link to the article.
    await say(shop, 'How long does shipping take?')
    const answer = shop
      .getByRole('log')
      .locator('[data-author="bot"]', { has: shop.locator('a[href*="/help/demo/shipping-times"]') })
    await answer.waitFor()
    expect(await answer.innerText()).toMatch(/business days/)

    // Asking for a person: the bot says it is connecting them.
    await say(shop, 'I want to talk to a person')
    await expect
      .poll(async () => (await lastOf(shop, 'bot').innerText()).toLowerCase(), { timeout: 10_000 })
      .toMatch(/person/)

    // Nobody is online: the widget offers to take an email, and "Send" still names one button.
    await shop.getByRole('textbox', { name: 'Email' }).waitFor({ timeout: 10_000 })
    expect(await shop.getByRole('button', { name: 'Send' }).count()).toBe(1)

    // The agent sees it live in the inbox, with status and the shopper's latest words.
    const agentContext = await browser.newContext()
    const console_ = await signIn(agentContext)
    const link = console_.getByRole('link', { name: /I want to talk to a person/ })
    await link.waitFor({ timeout: 15_000 })
    expect(await link.innerText()).toMatch(/queued/i)
    await link.click()

    // The whole transcript, bot part included, in order.
    const transcript = console_.locator('[data-author]')
    await expect.poll(() => transcript.count()).toBeGreaterThanOrEqual(5)
    const authors = await transcript.evaluateAll((els) => els.map((e) => e.getAttribute('data-author')))
    expect(authors.slice(0, 5)).toEqual(['bot', 'contact', 'bot', 'contact', 'bot'])

    await console_.getByRole('button', { name: 'Take over' }).click()
    await console_
      .getByRole('textbox', { name: 'Reply' })
      .fill('Hi, this is the Tidewater team. How can I help?')
    await console_.getByRole('button', { name: 'Send' }).click()

    // The shopper sees the reply live, labelled with the agent's name.
    const agentMessage = lastOf(shop, 'agent')
    await agentMessage.waitFor({ timeout: 10_000 })
    expect(await agentMessage.innerText()).toContain('Hi, this is the Tidewater team. How can I help?')
    expect(await agentMessage.innerText()).toContain('Sam Rivera')

    // From now on the bot is silent.
    const botCount = await shop.getByRole('log').locator('[data-author="bot"]').count()
    await say(shop, 'Do you ship to Canada?')
    await console_.locator('[data-author="contact"]', { hasText: 'Do you ship to Canada?' }).waitFor()
    await shop.waitForTimeout(800)
    expect(await shop.getByRole('log').locator('[data-author="bot"]').count()).toBe(botCount)

    // A reload, then the other page: the same conversation, in order, and it continues.
    const before = await texts(messages(shop))
    await shop.reload()
    await openWidget(shop)
    await expect.poll(() => texts(messages(shop))).toEqual(before)
    await shop.getByRole('link', { name: 'Harbor Blend' }).first().click()
    await shop.waitForURL(/\/demo\/product/)
    await openWidget(shop)
    await expect.poll(() => texts(messages(shop))).toEqual(before)

    // The network drops: a message typed offline waits in the outbox; the agent writes meanwhile.
    await shopperContext.setOffline(true)
    await shop.waitForTimeout(300)
    await say(shop, 'Sent while offline')
    await console_.getByRole('textbox', { name: 'Reply' }).fill('Written while you were away')
    await console_.getByRole('button', { name: 'Send' }).click()
    // Really offline: the shopper's message has not reached the agent, and the reply not the shopper.
    await console_.locator('[data-author="agent"]', { hasText: 'Written while you were away' }).waitFor()
    await shop.waitForTimeout(1500)
    expect(await console_.locator('[data-author="contact"]', { hasText: 'Sent while offline' }).count()).toBe(
      0,
    )
    expect(
      await shop
        .getByRole('log')
        .locator('[data-author="agent"]', { hasText: 'Written while you were away' })
        .count(),
    ).toBe(0)
    await shopperContext.setOffline(false)
    await shop
      .getByRole('log')
      .locator('[data-author="agent"]', { hasText: 'Written while you were away' })
      .waitFor({ timeout: 30_000 })
    await console_
      .locator('[data-author="contact"]', { hasText: 'Sent while offline' })
      .waitFor({ timeout: 30_000 })
    // Nothing lost, nothing doubled, on either side.
    await shop.waitForTimeout(500)
    expect(
      await shop
        .getByRole('log')
        .locator('[data-author="contact"]', { hasText: 'Sent while offline' })
        .count(),
    ).toBe(1)
    expect(
      await shop
        .getByRole('log')
        .locator('[data-author="agent"]', { hasText: 'Written while you were away' })
        .count(),
    ).toBe(1)
    expect(await console_.locator('[data-author="contact"]', { hasText: 'Sent while offline' }).count()).toBe(
      1,
    )

    // Resolve: the shopper is asked how we did, the agent how much effort it was.
    await console_.getByRole('button', { name: 'Resolve' }).click()
    await console_.getByText('resolved', { exact: true }).first().waitFor()
    const rating = shop.getByRole('group', { name: 'How did we do?' })
    await rating.waitFor({ timeout: 10_000 })
    await rating.getByRole('button', { name: '5 out of 5' }).click()
    await shop.getByRole('textbox', { name: 'Anything to add? (optional)' }).fill('Quick and kind')
    await shop.getByRole('button', { name: 'Send rating' }).click()
    await shop.getByRole('status').filter({ hasText: 'Thanks for rating us!' }).waitFor()
    // The agent sees it live in the sidebar and its activity; one click rates the effort.
    const sidebar = console_.getByRole('complementary')
    await sidebar.getByText('5 / 5').first().waitFor({ timeout: 10_000 })
    expect(await sidebar.getByText('Quick and kind').count()).toBe(1)
    await sidebar.getByText('Customer rated the help').waitFor()
    await console_.getByRole('button', { name: 'Effort 2 of 5' }).click()
    await sidebar.getByText('Effort rated').waitFor()
    expect(await console_.getByRole('group', { name: 'How much effort was this?' }).count()).toBe(0)

    // User text is text: markup typed by a shopper is shown, never run.
    await say(shop, '<img src=x onerror="document.title=1">hello')
    await console_.locator('[data-author="contact"]', { hasText: 'onerror' }).waitFor({ timeout: 10_000 })
    expect(await console_.title()).not.toBe('1')
    expect(await console_.locator('[data-author] img').count()).toBe(0)

    // Reports: the rating counts for the resolution it rated, and the CSV has the same figures.
    await console_.getByRole('link', { name: 'Reports' }).click()
    const csat = console_.getByRole('region', { name: 'CSAT' })
    await expect.poll(() => csat.innerText(), { timeout: 10_000 }).toMatch(/5 \/ 5[\s\S]*n = 1/)
    expect(await console_.getByRole('region', { name: 'Agent effort' }).innerText()).toMatch(/2 \/ 5/)
    const csv = await console_
      .getByRole('link', { name: 'Download CSV' })
      .evaluate((a: HTMLAnchorElement) => fetch(a.href).then((r) => r.text()))
    const [header, total] = csv.split('\r\n').map((line) => line.split(','))
    expect(total?.[header?.indexOf('csat_average') ?? -1]).toBe('5')
    await console_.getByRole('combobox', { name: 'Channel' }).selectOption('email')
    await expect.poll(() => csat.innerText()).toMatch(/—/)

    await agentContext.close()
    await shopperContext.close()
  })
})
