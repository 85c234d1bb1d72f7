/**
 * The built-in inbound SMTP listener (MX-style delivery: no auth). Recipients that are not a
 * site's support address (or its reply form) are refused at RCPT TO, oversized mail at DATA.
 * With a key and certificate (`PARLEY_SMTP_TLS_KEY`, `PARLEY_SMTP_TLS_CERT`) it offers STARTTLS;
 * without them it speaks plain SMTP only and TLS, if any, ends in front of it.
 */
import { readFile } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import { AppError } from '../../errors.ts'
import type { SmtpTlsFiles } from './config.ts'
import type { Envelope, Received } from './inbound.ts'

/** The PEM key and certificate STARTTLS presents. */
export interface ListenerTls {
  key: Buffer
  cert: Buffer
}

export interface ListenerOptions {
  port: number
  host: string
  maxBytes: number
  /** Whether mail for this address is accepted. */
  accepts(address: string): Promise<boolean>
  receive(raw: Buffer, envelope: Envelope): Promise<Received>
  onError(error: unknown): void
  /** Offers STARTTLS with this key and certificate; null or absent: no STARTTLS. */
  tls?: ListenerTls | null
}

/** Reads the STARTTLS key and certificate; the error names the variable and the file that failed. */
export async function readListenerTls(files: SmtpTlsFiles): Promise<ListenerTls> {
  const read = async (variable: string, file: string) => {
    try {
      return await readFile(file)
    } catch (error) {
      throw new Error(`${variable}: cannot read ${file}: ${(error as Error).message}`)
    }
  }
  const [key, cert] = await Promise.all([
    read('PARLEY_SMTP_TLS_KEY', files.keyFile),
    read('PARLEY_SMTP_TLS_CERT', files.certFile),
  ])
  return { key, cert }
}

function smtpError(message: string, responseCode: number): Error {
  return Object.assign(new Error(message), { responseCode })
}

export class SmtpListener {
  private readonly server: SMTPServer
  private bound: number | null = null

  constructor(private readonly options: ListenerOptions) {
    const tls = options.tls ?? null
    this.server = new SMTPServer({
      name: 'parley',
      banner: 'Parley support mail',
      authOptional: true,
      // STARTTLS is opportunistic, as between mail servers: plain delivery stays allowed.
      disabledCommands: tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
      ...(tls && { key: tls.key, cert: tls.cert }),
      size: options.maxBytes,
      logger: false,
      onRcptTo: (address, _session, callback) => {
        options.accepts(address.address).then(
          (ok) => callback(ok ? undefined : smtpError('no such mailbox here', 550)),
          (error: unknown) => {
            options.onError(error)
            callback(smtpError('temporary failure, try again later', 451))
          },
        )
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = []
        stream.on('data', (chunk: Buffer) => chunks.push(chunk))
        stream.on('end', () => {
          if (stream.sizeExceeded) return callback(smtpError('message too large', 552))
          const envelope: Envelope = {
            mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
            rcptTo: session.envelope.rcptTo.map((r) => r.address),
          }
          options.receive(Buffer.concat(chunks), envelope).then(
            () => callback(null),
            (error: unknown) => {
              if (error instanceof AppError && error.status < 500)
                return callback(smtpError(error.message, 550))
              options.onError(error)
              callback(smtpError('temporary failure, try again later', 451))
            },
          )
        })
      },
    })
    this.server.on('error', (error) => options.onError(error))
  }

  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error)
      this.server.server.once('error', onError)
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.server.off('error', onError)
        this.bound = (this.server.server.address() as AddressInfo).port
        resolve(this.bound)
      })
    })
  }

  /** The bound port (useful with port 0), null before `listen`. */
  get port(): number | null {
    return this.bound
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()))
  }
}
