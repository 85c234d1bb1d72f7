/**
 * Where outbound mail goes, behind one small interface: SMTP (`PARLEY_SMTP_URL`) or, without it,
 * a local outbox of .eml files under the data directory (the demo; listed at `GET /api/dev/outbox`).
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import nodemailer from 'nodemailer'
import type Mail from 'nodemailer/lib/mailer'

export interface MailTransport {
  readonly kind: 'smtp' | 'outbox'
  /** Sends one message; resolves once the server (or the outbox file) accepted it. */
  send(mail: Mail.Options): Promise<void>
  close(): void
}

export function smtpTransport(url: string): MailTransport {
  const transporter = nodemailer.createTransport(url)
  return {
    kind: 'smtp',
    async send(mail) {
      await transporter.sendMail(mail)
    },
    close: () => transporter.close(),
  }
}

export interface OutboxEntry {
  file: string
  size: number
  raw: string
}

export class OutboxTransport implements MailTransport {
  readonly kind = 'outbox'
  private readonly dir: string
  // nodemailer builds the exact bytes an SMTP server would get.
  private readonly builder = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    newline: 'windows',
  })

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'email', 'outbox')
  }

  async send(mail: Mail.Options): Promise<void> {
    const info = await this.builder.sendMail(mail)
    await mkdir(this.dir, { recursive: true })
    const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${Math.random().toString(36).slice(2, 8)}.eml`
    await writeFile(path.join(this.dir, name), info.message as Buffer, { mode: 0o600 })
  }

  /** The newest messages first. */
  async list(limit = 50): Promise<OutboxEntry[]> {
    let names: string[]
    try {
      names = (await readdir(this.dir)).filter((n) => n.endsWith('.eml'))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw error
    }
    names.sort().reverse()
    return Promise.all(
      names.slice(0, limit).map(async (file) => {
        const raw = await readFile(path.join(this.dir, file), 'utf8')
        return { file, size: Buffer.byteLength(raw), raw }
      }),
    )
  }

  close(): void {}
}
