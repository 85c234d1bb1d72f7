/**
 * The built-in inbound SMTP listener (MX-style delivery: no auth). Recipients that are not a
 * site's support address (or its reply form) are refused at RCPT TO, oversized mail at DATA.
 * TLS is expected to end in front of it; STARTTLS is not offered.
 */
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import { AppError } from '../../errors.ts'
import type { Envelope, Received } from './inbound.ts'

export interface ListenerOptions {
  port: number
  host: string
  maxBytes: number
  /** Whether mail for this address is accepted. */
  accepts(address: string): Promise<boolean>
  receive(raw: Buffer, envelope: Envelope): Promise<Received>
  onError(error: unknown): void
}

function smtpError(message: string, responseCode: number): Error {
  return Object.assign(new Error(message), { responseCode })
}

export class SmtpListener {
  private readonly server: SMTPServer
  private bound: number | null = null

  constructor(private readonly options: ListenerOptions) {
    this.server = new SMTPServer({
      name: 'parley',
      banner: 'Parley support mail',
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
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
