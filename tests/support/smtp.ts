/** Test support: a real SMTP server on loopback that collects what the relay sends, and a sender to the relay. */
import type { AddressInfo } from 'node:net'
import { type ParsedMail, simpleParser } from 'mailparser'
import nodemailer from 'nodemailer'
import type Mail from 'nodemailer/lib/mailer'
import { SMTPServer } from 'smtp-server'

export interface CollectedMail {
  envelope: { from: string | null; to: string[] }
  raw: Buffer
  parsed: ParsedMail
}

export interface SmtpSink {
  url: string
  mails: CollectedMail[]
  /** Resolves once `count` mails arrived in total, or rejects after `ms`. */
  waitForCount(count: number, ms?: number): Promise<CollectedMail[]>
  /** The next `count` messages are refused at the end of DATA with `responseCode` (451: try later). */
  refuseNext(count: number, responseCode?: number): void
  /** How many messages were refused so far. */
  readonly refused: number
  close(): Promise<void>
}

/** An SMTP server on a free loopback port that keeps every message it is given. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const mails: CollectedMail[] = []
  const waiters: Array<() => void> = []
  let refusing = { left: 0, responseCode: 451 }
  let refused = 0
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        if (refusing.left > 0) {
          refusing.left--
          refused++
          const text = refusing.responseCode < 500 ? 'try again later' : 'message refused'
          return callback(Object.assign(new Error(text), { responseCode: refusing.responseCode }))
        }
        const raw = Buffer.concat(chunks)
        simpleParser(raw).then((parsed) => {
          mails.push({
            envelope: {
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
              to: session.envelope.rcptTo.map((r) => r.address),
            },
            raw,
            parsed,
          })
          for (const w of waiters.splice(0)) w()
          callback(null)
        }, callback)
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const port = (server.server.address() as AddressInfo).port
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    waitForCount(count, ms = 5000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out: ${mails.length} of ${count} mails`)), ms)
        const check = () => {
          if (mails.length >= count) {
            clearTimeout(timer)
            resolve(mails.slice(0, count))
          } else waiters.push(check)
        }
        check()
      })
    },
    refuseNext(count, responseCode = 451) {
      refusing = { left: count, responseCode }
    },
    get refused() {
      return refused
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

/** Sends one message to the relay's SMTP listener, as a mail server would. */
export async function sendToRelay(
  port: number,
  mail: Mail.Options,
  envelope?: Mail.Envelope,
): Promise<string> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true })
  try {
    const info = await transport.sendMail(envelope ? { ...mail, envelope } : mail)
    return info.messageId
  } finally {
    transport.close()
  }
}

/** Polls until `check` returns a value (stored state written by asynchronous work). */
export async function eventually<T>(
  check: () => Promise<T | null | undefined | false>,
  ms = 5000,
): Promise<T> {
  const until = Date.now() + ms
  for (;;) {
    const value = await check()
    if (value) return value
    if (Date.now() > until) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 25))
  }
}
