/**
 * `buildApp(options)` assembles the relay (Fastify + socket.io) without listening, so tests and
 * `main.ts` share it. Infrastructure is created here and handed to routes and namespaces.
 */
import fastifyCompress from '@fastify/compress'
import fastifyCookie from '@fastify/cookie'
import fastifyRateLimit from '@fastify/rate-limit'
import Fastify, { type FastifyInstance, LogController } from 'fastify'
import { Server } from 'socket.io'
import { CONSOLE_NAMESPACE, WIDGET_NAMESPACE } from '../shared/protocol.ts'
import { createBotTools } from './actions/bot-tools.ts'
import { ActionService } from './actions/service.ts'
import { loadSecret } from './auth/secret.ts'
import { createAnthropicProvider } from './bot/anthropic-provider.ts'
import { BotEngine } from './bot/engine.ts'
import { createLocalProvider } from './bot/local-provider.ts'
import type { BotProvider } from './bot/types.ts'
import { ApiChannel } from './channels/api/channel.ts'
import { apiChannelRoutes } from './channels/api/routes.ts'
import { EmailChannel } from './channels/email/channel.ts'
import { emailRoutes } from './channels/email/routes.ts'
import { MessengerChannel } from './channels/messenger/channel.ts'
import { messengerRoutes } from './channels/messenger/routes.ts'
import { WhatsAppChannel } from './channels/whatsapp/channel.ts'
import { whatsappRoutes } from './channels/whatsapp/routes.ts'
import { connectRedis, describeRedis, type RedisClient, redisAdapter } from './cluster/redis.ts'
import { RedisPresence } from './cluster/redis-presence.ts'
import { redisLimiters, redisRateLimitStore } from './cluster/redis-rate-limits.ts'
import { RedisTickLock } from './cluster/tick-lock.ts'
import type { Config } from './config.ts'
import { ContactCache } from './conversations/contact-cache.ts'
import { type Bot, ConversationService } from './conversations/service.ts'
import { AppError, toWireError } from './errors.ts'
import { authRoutes } from './http/auth-routes.ts'
import { clientAddressResolver, trustFunction } from './http/client-address.ts'
import { healthRoutes } from './http/health-routes.ts'
import { helpdeskRoutes } from './http/helpdesk-routes.ts'
import { identityRoutes } from './http/identity-routes.ts'
import { kbRoutes } from './http/kb-routes.ts'
import { metricsRoutes } from './http/metrics-routes.ts'
import { policyRoutes } from './http/policy-routes.ts'
import { reportRoutes } from './http/report-routes.ts'
import { slaRoutes } from './http/sla-routes.ts'
import { staticRoutes } from './http/static-routes.ts'
import type { PresenceOptions } from './routing/presence.ts'
import { DEFAULT_TICK_MS, HelpdeskRuntime, type HelpdeskRuntimeOptions } from './routing/runtime.ts'
import { DEMO_SITE } from './seed.ts'
import { deliveryPusher, socketBroadcaster } from './sockets/broadcaster.ts'
import { actionPusher } from './sockets/console-actions.ts'
import { registerConsoleNamespace } from './sockets/console-namespace.ts'
import { registerWidgetNamespace } from './sockets/widget-namespace.ts'
import { LowdbStore } from './store/lowdb-store.ts'
import { describeDatabase, PgStore } from './store/pg-store.ts'
import type { Article, Conversation, Store } from './store/types.ts'

export interface Parley {
  config: Config
  store: Store
  io: Server
  bot: Bot
  service: ConversationService
  now: () => Date
  /** Presence, auto-assignment, SLA tracking and availability (relay/routing/runtime.ts). */
  helpdesk: HelpdeskRuntime
  /** The relay's public base URL: configured, or the address it listens on. */
  publicUrl: () => string
  /** The email channel: inbound listener (`email.smtpPort()`), webhook, outbound (relay/channels/email). */
  email: EmailChannel
  /** The WhatsApp channel: webhook deliveries and outbound replies (relay/channels/whatsapp). */
  whatsapp: WhatsAppChannel
  /** The signed generic webhook API (relay/channels/api). */
  api: ApiChannel
  /** The Messenger channel (relay/channels/messenger). */
  messenger: MessengerChannel
}

declare module 'fastify' {
  interface FastifyInstance {
    parley: Parley
  }
}

export interface BuildOptions {
  config: Config
  /** Defaults to PostgreSQL when `config.databaseUrl` is set, else lowdb files under `config.dataDir`. */
  store?: Store
  /** Defaults to the bot engine with the provider `config.bot` names. */
  bot?: Bot
  now?: () => Date
  /** Fastify logger: true/false or pino options; defaults to JSON logs at `config.logLevel`. */
  logger?: boolean | Record<string, unknown>
  /** Tick interval and offline grace of the helpdesk (tests shorten them). */
  helpdesk?: HelpdeskRuntimeOptions
  /**
   * Waits between attempts of a failed outbound reply on every channel (email, WhatsApp, API,
   * Messenger); defaults to `DEFAULT_RETRY_DELAYS_MS` (1 s, 5 s, 30 s). Tests shorten them.
   */
  retryDelaysMs?: readonly number[]
}

/** The store the configuration names: PostgreSQL with `PARLEY_DATABASE_URL`, else lowdb files. */
function selectStore(config: Config, now: () => Date, log: FastifyInstance['log']): Store {
  if (!config.databaseUrl) return new LowdbStore({ dir: config.dataDir, now })
  // Never the URL itself: it may carry the password.
  log.info(
    { store: 'postgres', database: describeDatabase(config.databaseUrl), schema: config.databaseSchema },
    'store: postgres',
  )
  return new PgStore({
    connectionString: config.databaseUrl,
    schema: config.databaseSchema,
    now,
    onIdleError: (err) =>
      log.error({ err }, 'postgres: an idle connection failed; it is replaced when needed'),
  })
}

/** socket.io's Redis Streams adapter; logs where (never the URL itself: it may carry the password). */
function clusterAdapter(
  redis: { client: RedisClient; url: string },
  prefix: string,
  log: FastifyInstance['log'],
) {
  log.info(
    { adapter: 'redis-streams', redis: describeRedis(redis.url), prefix },
    'socket.io adapter: redis streams',
  )
  return redisAdapter(redis.client, prefix)
}

/** The bot provider the configuration names; logs which one is active (never the key). */
function selectProvider(config: Config, log: FastifyInstance['log']): BotProvider {
  const bot = config.bot
  if (bot.provider === 'local') {
    log.info({ provider: 'local' }, 'bot provider: local')
    return createLocalProvider()
  }
  log.info(
    { provider: 'anthropic', model: bot.model, baseURL: bot.baseURL ?? 'default' },
    'bot provider: anthropic',
  )
  return createAnthropicProvider({
    apiKey: bot.apiKey,
    model: bot.model,
    ...(bot.baseURL ? { baseURL: bot.baseURL } : {}),
  })
}

export async function buildApp(options: BuildOptions): Promise<FastifyInstance> {
  const { config } = options
  const now = options.now ?? (() => new Date())
  const app = Fastify({
    logger: options.logger ?? {
      level: config.logLevel,
      // Secrets never reach the logs.
      redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
    },
    bodyLimit: 256 * 1024,
    // Behind the proxies PARLEY_TRUST_PROXY names, request.ip is the client's (rate limits, logs).
    ...(config.trustProxy !== null && { trustProxy: trustFunction(config.trustProxy) }),
    // One line per request only when debugging; errors are always logged.
    logController: new LogController({
      disableRequestLogging: !['debug', 'trace'].includes(config.logLevel),
    }),
  })

  // Redis first: an unreachable one stops start-up before anything else is opened.
  const redis = config.redisUrl
    ? { client: await connectRedis(config.redisUrl, app.log), url: config.redisUrl }
    : null
  const store = options.store ?? selectStore(config, now, app.log)
  await store.init()
  const secret = await loadSecret(config.dataDir, config.secret ?? undefined)

  const publicUrl = (): string => {
    if (config.publicUrl) return config.publicUrl
    const address = app.server.address()
    const port = address && typeof address === 'object' ? address.port : config.port
    return `http://localhost:${port}`
  }
  const articleUrl = (article: Article) =>
    article.url ?? `${publicUrl()}/help/${article.siteId}/${article.slug}`
  const bot =
    options.bot ??
    new BotEngine({
      provider: selectProvider(config, app.log),
      loadArticles: (siteId: string) => store.listArticles(siteId),
      articleUrl,
      // Order look-ups and actions, policy-checked by the relay (`actions` is created below, used per turn).
      tools: (turn, search) => actionTools(turn, search),
    })

  const io = new Server(app.server, {
    serveClient: false,
    // Widget origins are checked per site in the namespace middleware; the console's in its own.
    cors: { origin: true, credentials: true },
    maxHttpBufferSize: 64 * 1024,
    pingInterval: 20_000,
    pingTimeout: 20_000,
    // With Redis, rooms span the nodes: an emit to a room reaches its sockets on every node.
    ...(redis && { adapter: clusterAdapter(redis, config.redisPrefix, app.log) }),
  })
  const contacts = new ContactCache(store)
  // Summaries show WhatsApp's and Messenger's reply windows; the channels are built below (they need
  // the service), and no summary is made before then.
  let replyWindowEndsAt: (conversation: Conversation) => Promise<string | null | undefined> = async () =>
    undefined
  const helpdesk = new HelpdeskRuntime({
    store,
    io,
    contacts,
    now,
    log: app.log,
    replyWindowEndsAt: (conversation) => replyWindowEndsAt(conversation),
    ...options.helpdesk,
    // With Redis this node is one of several: shared presence, one ticking node at a time.
    ...(redis && {
      cluster: {
        presence: (presence: PresenceOptions) =>
          new RedisPresence({
            ...presence,
            client: redis.client,
            prefix: config.redisPrefix,
            getAgent: (id) => store.getAgent(id),
            log: app.log,
          }),
        tickLock: new RedisTickLock({
          client: redis.client,
          prefix: config.redisPrefix,
          tickMs: options.helpdesk?.tickMs ?? DEFAULT_TICK_MS,
        }),
      },
    }),
  })
  const actions = new ActionService({
    store,
    broadcaster: socketBroadcaster(io, contacts, app.log, helpdesk.summarize),
    actionChanged: actionPusher(io),
    log: app.log,
    now,
  })
  const actionTools = createBotTools(actions)
  const service = new ConversationService({
    store,
    bot,
    broadcaster: socketBroadcaster(io, contacts, app.log, helpdesk.summarize),
    log: app.log,
    now,
  })
  helpdesk.attach(service)
  await helpdesk.start()
  const email = new EmailChannel({
    config: config.email,
    dataDir: config.dataDir,
    store,
    service,
    io,
    secret,
    log: app.log,
    now,
    ...(options.retryDelaysMs && { retryDelaysMs: options.retryDelaysMs }),
  })
  await email.start()
  // The messaging channels serve the demo site, configured by environment.
  const demoChannel = {
    siteId: DEMO_SITE,
    dataDir: config.dataDir,
    store,
    service,
    log: app.log,
    now,
    ...(options.retryDelaysMs && { retryDelaysMs: options.retryDelaysMs }),
  }
  const whatsapp = new WhatsAppChannel({
    config: config.whatsapp,
    ...demoChannel,
    deliveryChanged: deliveryPusher(io),
  })
  await whatsapp.start()
  const api = new ApiChannel({ config: config.api, ...demoChannel })
  await api.start()
  const messenger = new MessengerChannel({ config: config.messenger, ...demoChannel })
  await messenger.start()
  replyWindowEndsAt = (conversation) => {
    if (conversation.channel === 'whatsapp') return whatsapp.replyWindowEndsAt(conversation.id)
    if (conversation.channel === 'messenger') return messenger.replyWindowEndsAt(conversation.id)
    return Promise.resolve(undefined)
  }
  app.decorate('parley', {
    config,
    store,
    io,
    bot,
    service,
    now,
    helpdesk,
    publicUrl,
    email,
    whatsapp,
    api,
    messenger,
  })

  await app.register(fastifyCookie)
  await app.register(fastifyCompress, { global: true, encodings: ['br', 'gzip'], threshold: 512 })
  // With Redis, a route's limit (login) counts the attempts made on every node.
  await app.register(fastifyRateLimit, {
    global: false,
    ...(redis && {
      store: redisRateLimitStore({ client: redis.client, prefix: config.redisPrefix, log: app.log }),
    }),
  })

  if (config.trustProxy !== null) {
    // Registered before the widget namespace's own middleware: its handshake limit then counts the
    // shopper's address (X-Forwarded-For from a trusted proxy), not the proxy's.
    const clientAddress = clientAddressResolver(config.trustProxy)
    io.of(WIDGET_NAMESPACE).use((socket, next) => {
      socket.handshake.address = clientAddress(socket.request)
      next()
    })
  }
  registerWidgetNamespace(io, {
    store,
    service,
    bot,
    secret,
    publicUrl: config.publicUrl,
    secureCookies: config.secureCookies,
    log: app.log,
    ...(redis && { limiters: redisLimiters({ client: redis.client, prefix: config.redisPrefix }) }),
    availability: {
      store,
      availability: helpdesk.availability,
      contacts,
      log: app.log,
      now,
      contactChanged: (siteId, contactId) => helpdesk.contactChanged(siteId, contactId),
    },
  })
  registerConsoleNamespace(io, {
    store,
    service,
    actions,
    contacts,
    parseCookie: (header) => app.parseCookie(header),
    publicUrl: config.publicUrl,
    secureCookies: config.secureCookies,
    now,
    log: app.log,
    presence: helpdesk.presence,
    presenceOf: (agentId) => helpdesk.presence.presenceOf(agentId),
    summarize: helpdesk.summarize,
    deliveries: (conversation) =>
      conversation.channel === 'whatsapp' ? whatsapp.deliveries(conversation.id) : Promise.resolve([]),
  })

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof AppError)
      return reply.status(error.status).send({ ok: false, error: error.toWire() })
    const status = (error as { statusCode?: number }).statusCode
    if (status === 429) {
      return reply
        .status(429)
        .send({ ok: false, error: { code: 'rate_limited', message: 'too many attempts, wait a minute' } })
    }
    if (status && status >= 400 && status < 500) {
      return reply
        .status(400)
        .send({ ok: false, error: { code: 'invalid_payload', message: (error as Error).message } })
    }
    request.log.error({ err: error }, 'request failed')
    return reply.status(500).send({ ok: false, error: toWireError(error) })
  })
  app.setNotFoundHandler((_request, reply) =>
    reply.status(404).send({ ok: false, error: { code: 'not_found', message: 'no such route' } }),
  )

  await app.register(healthRoutes)
  await app.register(authRoutes)
  await app.register(policyRoutes)
  await app.register(helpdeskRoutes, { presenceOf: (id: string) => helpdesk.presence.presenceOf(id) })
  await app.register(slaRoutes)
  await app.register(reportRoutes)
  if (config.metricsToken) await app.register(metricsRoutes, { token: config.metricsToken })
  await app.register(identityRoutes)
  await app.register(kbRoutes)
  await app.register(staticRoutes)
  await app.register(emailRoutes, { channel: email })
  await app.register(whatsappRoutes, { channel: whatsapp })
  await app.register(apiChannelRoutes, { channel: api, now })
  await app.register(messengerRoutes, { channel: messenger })

  // Shutdown order: stop the helpdesk's tick and presence (closing sockets must not reassign anything),
  // stop taking connections, let the bot and writes finish, then release the store.
  app.addHook('preClose', () => helpdesk.close())
  app.addHook('preClose', async () => {
    for (const name of [WIDGET_NAMESPACE, CONSOLE_NAMESPACE]) io.of(name).local.disconnectSockets(true)
  })
  app.addHook('onClose', async () => {
    // No new mail in; once the bot is done, its and the agents' last replies still go out.
    await email.stopInbound()
    await service.close()
    // Together: each cuts its retry waits short (one last attempt), so none waits out a backoff.
    await Promise.all([email.close(), whatsapp.close(), api.close(), messenger.close()])
    await io.close()
    await redis?.client.close()
    await store.close()
  })
  return app
}
