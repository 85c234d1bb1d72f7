/** The WhatsApp channel assembled: records, inbound deliveries, outbound sender. */
import type { DeliveryStatus } from '../../../shared/protocol.ts'
import type { ConversationService, Logger } from '../../conversations/service.ts'
import { AppError } from '../../errors.ts'
import type { Store } from '../../store/types.ts'
import { DEFAULT_RETRY_DELAYS_MS } from '../retry.ts'
import type { WhatsAppConfig } from './config.ts'
import { type DeliveryResult, WhatsAppInbound } from './inbound.ts'
import { whatsappSender } from './outbound.ts'
import { WhatsAppRecords } from './records.ts'

export interface WhatsAppChannelOptions {
  config: WhatsAppConfig
  /** The site the webhook's messages belong to (the demo site; one business account per relay). */
  siteId: string
  dataDir: string
  store: Store
  service: ConversationService
  log: Logger
  now: () => Date
  /** A reply's delivery status moved forward: pushed to the consoles that have its conversation open. */
  deliveryChanged?: (status: DeliveryStatus) => void
  /** Outbound HTTP; defaults to the global fetch. */
  fetch?: typeof fetch
  /** Waits between attempts of a failed reply; defaults to retry.ts `DEFAULT_RETRY_DELAYS_MS`. */
  retryDelaysMs?: readonly number[]
}

export class WhatsAppChannel {
  readonly config: WhatsAppConfig
  readonly records: WhatsAppRecords
  private readonly options: WhatsAppChannelOptions
  private readonly inbound: WhatsAppInbound
  private readonly sender: ReturnType<typeof whatsappSender>

  constructor(options: WhatsAppChannelOptions) {
    this.options = options
    this.config = options.config
    this.records = new WhatsAppRecords(options.store, options.dataDir, 'whatsapp', options.now)
    const { store, service, log, now } = options
    this.inbound = new WhatsAppInbound({
      store,
      service,
      records: this.records,
      log,
      now,
      ...(options.deliveryChanged && { deliveryChanged: options.deliveryChanged }),
    })
    this.sender = whatsappSender({
      config: options.config,
      store,
      service,
      records: this.records,
      log,
      now,
      ...(options.fetch && { fetch: options.fetch }),
      retryDelaysMs: options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS,
    })
    if (this.enabled) service.observe(this.sender)
  }

  /** On only with an app secret: without it no delivery could be verified. */
  get enabled(): boolean {
    return this.config.appSecret !== null
  }

  async start(): Promise<void> {
    if (this.enabled) await this.records.init()
  }

  /** The latest status WhatsApp reported for each reply of a conversation (the console's `conversation:open`). */
  deliveries(conversationId: string): Promise<DeliveryStatus[]> {
    return this.records.deliveries(conversationId)
  }

  /** Until when a free-form reply reaches the customer (their last message + 24 h); null when unknown. */
  replyWindowEndsAt(conversationId: string): Promise<string | null> {
    return this.records.replyWindowEndsAt(conversationId)
  }

  /** One verified webhook body. */
  async deliver(body: unknown): Promise<DeliveryResult> {
    const site = await this.options.store.getSite(this.options.siteId)
    if (!site) throw new AppError('not_found', `no site ${this.options.siteId} for WhatsApp`)
    return this.inbound.deliver(site, body)
  }

  /** Waits for replies being sent, retries included (tests). */
  drain(): Promise<void> {
    return this.sender.drain()
  }

  /** Shutdown: cuts pending retry waits short (one last attempt each), then waits for the sends. */
  close(): Promise<void> {
    return this.sender.close()
  }
}
