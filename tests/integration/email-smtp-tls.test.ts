/** STARTTLS on the inbound SMTP listener, with a self-signed key and certificate made by `openssl` at test time. */
import { execFileSync } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import nodemailer from 'nodemailer'
import type Mail from 'nodemailer/lib/mailer'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../relay/app.ts'
import { loadConfig } from '../../relay/config.ts'
import { startRelay, type TestRelay } from '../support/relay.ts'
import { eventually } from '../support/smtp.ts'

const SUPPORT = 'support@tidewater.test'
const SHOPPER = 'ann@example.org'

let certDir = ''
let keyFile = ''
let certFile = ''
let cert: Buffer

beforeAll(async () => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'pipe' })
  } catch (error) {
    throw new Error(`these tests need the openssl CLI: ${(error as Error).message}`)
  }
  certDir = await mkdtemp(path.join(tmpdir(), 'parley-tls-'))
  keyFile = path.join(certDir, 'key.pem')
  certFile = path.join(certDir, 'cert.pem')
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ],
    { stdio: 'pipe' },
  )
  cert = await readFile(certFile)
})
afterAll(async () => {
  if (certDir) await rm(certDir, { recursive: true, force: true })
})

/** Sends one mail to the listener the way a mail server that insists on TLS would. */
async function sendOverTls(port: number, mail: Mail.Options, tls: Record<string, unknown>): Promise<void> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    requireTLS: true,
    tls,
  })
  try {
    await transport.sendMail(mail)
  } finally {
    transport.close()
  }
}

describe('the inbound SMTP listener with STARTTLS', () => {
  let relay: TestRelay | undefined
  afterEach(async () => {
    await relay?.close()
    relay = undefined
  })

  const contactTexts = async (email: string): Promise<string[]> => {
    const { store } = relay?.app.parley ?? {}
    if (!store) return []
    const texts: string[] = []
    for (const c of await store.listConversations({ siteIds: ['demo'] })) {
      if ((await store.getContact(c.contactId))?.email !== email || c.channel !== 'email') continue
      for (const m of await store.listMessages(c.id)) if (m.author === 'contact') texts.push(m.text)
    }
    return texts
  }

  it('offers STARTTLS with the configured certificate and stores mail delivered over TLS', async () => {
    relay = await startRelay({
      PARLEY_SMTP_PORT: '0',
      PARLEY_SUPPORT_EMAIL: SUPPORT,
      PARLEY_SMTP_TLS_KEY: keyFile,
      PARLEY_SMTP_TLS_CERT: certFile,
    })
    const port = relay.app.parley.email.smtpPort() ?? 0
    expect(port).toBeGreaterThan(0)
    const mail = { from: SHOPPER, to: SUPPORT, subject: 'Over TLS', text: 'Is this line encrypted?' }
    await sendOverTls(port, mail, { rejectUnauthorized: false })
    expect(
      await eventually(async () => (await contactTexts(SHOPPER)).length > 0 && contactTexts(SHOPPER)),
    ).toEqual(['Is this line encrypted?'])
    // Trusting only the test certificate: the listener presents ours, not smtp-server's built-in one.
    await sendOverTls(
      port,
      { ...mail, subject: 'Pinned', text: 'And with the certificate checked?' },
      { ca: [cert], servername: 'localhost' },
    )
    await eventually(async () => (await contactTexts(SHOPPER)).length === 2)
    // Two new mails, two conversations (newest first).
    expect((await contactTexts(SHOPPER)).sort()).toEqual([
      'And with the certificate checked?',
      'Is this line encrypted?',
    ])
  })

  it('does not advertise STARTTLS without a key and certificate, so a sender that requires TLS fails', async () => {
    relay = await startRelay({ PARLEY_SMTP_PORT: '0', PARLEY_SUPPORT_EMAIL: SUPPORT })
    const port = relay.app.parley.email.smtpPort() ?? 0
    await expect(
      sendOverTls(
        port,
        { from: SHOPPER, to: SUPPORT, subject: 'Plain', text: 'no TLS here' },
        { rejectUnauthorized: false },
      ),
    ).rejects.toThrow(/STARTTLS/)
    expect(await contactTexts(SHOPPER)).toEqual([])
  })

  it('refuses to start with only one of the key and the certificate, naming the missing one', () => {
    const base = { PARLEY_SMTP_PORT: '0', PARLEY_SUPPORT_EMAIL: SUPPORT }
    expect(() => loadConfig({ ...base, PARLEY_SMTP_TLS_KEY: keyFile })).toThrow(
      'PARLEY_SMTP_TLS_CERT is missing',
    )
    expect(() => loadConfig({ ...base, PARLEY_SMTP_TLS_CERT: certFile })).toThrow(
      'PARLEY_SMTP_TLS_KEY is missing',
    )
  })

  it('refuses to start when a file cannot be read or is not PEM, naming the file', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'parley-tls-data-'))
    try {
      const missing = path.join(certDir, 'nope.pem')
      const start = (key: string, certPath: string) =>
        buildApp({
          config: loadConfig({
            PARLEY_DATA_DIR: dataDir,
            PORT: '0',
            PARLEY_SMTP_PORT: '0',
            PARLEY_SUPPORT_EMAIL: SUPPORT,
            PARLEY_SMTP_TLS_KEY: key,
            PARLEY_SMTP_TLS_CERT: certPath,
          }),
          logger: false,
        })
      await expect(start(missing, certFile)).rejects.toThrow(`PARLEY_SMTP_TLS_KEY: cannot read ${missing}`)
      await expect(start(keyFile, missing)).rejects.toThrow(`PARLEY_SMTP_TLS_CERT: cannot read ${missing}`)
      const garbage = path.join(certDir, 'garbage.pem')
      await writeFile(garbage, 'not a certificate\n')
      await expect(start(keyFile, garbage)).rejects.toThrow(
        `PARLEY_SMTP_TLS_CERT (${garbage}) are not a usable PEM key and certificate`,
      )
    } finally {
      await rm(dataDir, { recursive: true, force: true })
    }
  })
})
