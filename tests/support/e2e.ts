/**
 * Test support for the browser tests: the relay started as a user starts it (`relay/main.ts`, a
 * fresh data directory, the admin from the environment) and one Chromium, torn down together.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { launchBrowser } from './browser.ts'
import { type RelayProcess, startRelayProcess } from './process.ts'

export interface BrowserSuite {
  relay: RelayProcess
  url: string
  dataDir: string
  browser: Browser
  /** Closes the browser, stops the relay and deletes its data. */
  close(): Promise<void>
}

export async function startBrowserSuite(
  admin: { email: string; password: string },
  env: Record<string, string> = {},
): Promise<BrowserSuite> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'parley-e2e-'))
  const relay = startRelayProcess({
    PARLEY_DATA_DIR: dataDir,
    PARLEY_ADMIN_EMAIL: admin.email,
    PARLEY_ADMIN_PASSWORD: admin.password,
    ...env,
  })
  const url = await relay.url
  const browser = await launchBrowser()
  return {
    relay,
    url,
    dataDir,
    browser,
    async close() {
      await browser.close()
      await relay.stop()
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}

/** Signs in on the console's page (`hash` opens a route after it, e.g. `#/settings/identity`). */
export async function signInConsole(
  page: Page,
  url: string,
  who: { email: string; password: string },
  hash = '',
): Promise<void> {
  await page.goto(`${url}/console${hash}`)
  await page.getByLabel('Email').fill(who.email)
  await page.getByLabel('Password').fill(who.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
}
