/** The email channel assembled: records, inbound (listener and webhook), outbound sender. */
import type { Server } from 'socket.io'
import { WIDGET_NAMESPACE } from '../../../shared/protocol.ts'
import type { ConversationService, Logger } from '../../conversations/service.ts'
import { rooms } from '../../sockets/broadcaster.ts'
import type { Store } from '../../store/types.ts'
import type { ReplySender } from '../replies.ts'
import { DEFAULT_RETRY_DELAYS_MS } from '../retry.ts'
import type { EmailConfig } from './config.ts'
import { type Envelope, type Received, receiveEmail, resolveRecipient } from './inbound.ts'
import { emailSender } from './outbound.ts'
import { EmailRecords } from './records.ts'
import { type ListenerOptions, readListenerTls, SmtpListener } from './smtp-listener.ts'
import { type MailTransport, OutboxTransport, smtpTransport } from './transport.ts'

export interface EmailChannelOptions {
  config: EmailConfig
  dataDir: string
  store: Store
  service: ConversationService
  io: Server
  secret: Buffer
  log: Logger
  now: () => Date
  /** Defaults to SMTP at `config.smtpUrl`, else the outbox under the data dir. */
  transport?: MailTransport
  /** Waits between attempts of a failed mail; defaults to retry.ts `DEFAULT_RETRY_DELAYS_MS`. */
  retryDelaysMs?: readonly number[]
}

export class EmailChannel {
  readonly config: EmailConfig
  readonly records: EmailRecords
  readonly transport: MailTransport
  private readonly options: EmailChannelOptions
  private listener: SmtpListener | null = null
  private readonly sender: ReplySender

  constructor(options: EmailChannelOptions) {
    this.options = options
    this.config = options.config
    this.records = new EmailRecords(options.store, options.dataDir, options.now)
    this.transport =
      options.transport ??
      (options.config.smtpUrl ? smtpTransport(options.config.smtpUrl) : new OutboxTransport(options.dataDir))
    const widget = options.io.of(WIDGET_NAMESPACE)
    this.sender = emailSender({
      store: options.store,
      service: options.service,
      records: this.records,
      transport: this.transport,
      secret: options.secret,
      log: options.log,
      now: options.now,
      hasWidget: async (siteId, contactId) =>
        (await widget.in(rooms.contact(siteId, contactId)).fetchSockets()).length > 0,
      retryDelaysMs: options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS,
    })
    options.service.observe(this.sender)
  }

  /**
   * Reads the records and, when `PARLEY_SMTP_PORT` is set, starts the listener (with STARTTLS when
   * a key and certificate are configured). Throws, naming the variable, on an unusable key or cert.
   */
  async start(): Promise<void> {
    await this.records.init()
    const { smtpPort, smtpHost, maxBytes, smtpTls } = this.config
    if (smtpPort === null) return
    const options: ListenerOptions = {
      port: smtpPort,
      host: smtpHost,
      maxBytes,
      accepts: async (address) =>
        (await resolveRecipient(this.options.store, this.options.secret, address)) !== null,
      receive: (raw, envelope) => this.receive(raw, envelope),
      onError: (error) => this.options.log.error({ err: error }, 'inbound smtp failed'),
      tls: smtpTls ? await readListenerTls(smtpTls) : null,
    }
    try {
      this.listener = new SmtpListener(options)
    } catch (error) {
      // smtp-server builds the TLS context at once: a bad PEM or a key that is not the cert's fails here.
      if (!smtpTls) throw error
      throw new Error(
        `PARLEY_SMTP_TLS_KEY (${smtpTls.keyFile}) and PARLEY_SMTP_TLS_CERT (${smtpTls.certFile}) are not a usable PEM key and certificate: ${(error as Error).message}`,
      )
    }
    const port = await this.listener.listen()
    this.options.log.info({ host: smtpHost, port, starttls: smtpTls !== null }, 'inbound smtp listening')
  }

  /** The listener's bound port, null when it is off. */
  smtpPort(): number | null {
    return this.listener?.port ?? null
  }

  /** One raw MIME message from the listener or the webhook. */
  receive(raw: Buffer, envelope?: Envelope): Promise<Received> {
    return receiveEmail(
      {
        store: this.options.store,
        service: this.options.service,
        records: this.records,
        secret: this.options.secret,
        log: this.options.log,
        now: this.options.now,
      },
      raw,
      envelope,
    )
  }

  /** Waits for mail being sent, retries included (tests). */
  drain(): Promise<void> {
    return this.sender.drain()
  }

  /** Takes no more inbound mail (the first step of shutdown). */
  async stopInbound(): Promise<void> {
    await this.listener?.close()
    this.listener = null
  }

  /**
   * After the service closed: lets the last replies go out (a mail waiting to be retried gets one
   * last attempt now, not after its backoff), then releases the transport.
   */
  async close(): Promise<void> {
    await this.stopInbound()
    await this.sender.close()
    this.transport.close()
  }
}
