/** Configuration from the environment, read once at start-up and passed in. */
import path from 'node:path'
import { type ApiChannelConfig, loadApiChannelConfig } from './channels/api/config.ts'
import { type EmailConfig, loadEmailConfig } from './channels/email/config.ts'
import { loadMessengerConfig, type MessengerConfig } from './channels/messenger/config.ts'
import { loadWhatsAppConfig, type WhatsAppConfig } from './channels/whatsapp/config.ts'
import { parseTrustProxy, type TrustProxy } from './http/client-address.ts'

/** Which bot provider answers: `anthropic` when `ANTHROPIC_API_KEY` is set, else `local`. */
export type BotProviderConfig =
  | { provider: 'local' }
  | {
      provider: 'anthropic'
      apiKey: string
      /** `ANTHROPIC_BASE_URL`; null means the SDK's default (the public API). */
      baseURL: string | null
      /** `PARLEY_MODEL`, default a fast model. */
      model: string
    }

export const DEFAULT_BOT_MODEL = 'claude-haiku-4-5'

/**
 * Reads the bot provider from the environment. `PARLEY_BOT_PROVIDER=local` forces the local
 * provider even with a key set; `=anthropic` without a key is an error.
 */
export function loadBotConfig(env: NodeJS.ProcessEnv = process.env): BotProviderConfig {
  const apiKey = env.ANTHROPIC_API_KEY?.trim() || null
  const forced = env.PARLEY_BOT_PROVIDER?.trim() || null
  if (forced !== null && forced !== 'local' && forced !== 'anthropic')
    throw new Error(`PARLEY_BOT_PROVIDER must be "local" or "anthropic", got ${JSON.stringify(forced)}`)
  if (forced === 'anthropic' && !apiKey)
    throw new Error('PARLEY_BOT_PROVIDER=anthropic needs ANTHROPIC_API_KEY')
  if (forced === 'local' || !apiKey) return { provider: 'local' }
  const baseURL = env.ANTHROPIC_BASE_URL?.trim().replace(/\/+$/, '') || null
  if (baseURL && !/^https?:\/\//.test(baseURL))
    throw new Error(`ANTHROPIC_BASE_URL must start with http:// or https://, got ${baseURL}`)
  return { provider: 'anthropic', apiKey, baseURL, model: env.PARLEY_MODEL?.trim() || DEFAULT_BOT_MODEL }
}

export interface Config {
  port: number
  host: string
  dataDir: string
  /**
   * `PARLEY_DATABASE_URL`: the store is PostgreSQL (relay/store/pg-store.ts) in this database;
   * null keeps it in lowdb files under `dataDir`.
   */
  databaseUrl: string | null
  /** `PARLEY_DATABASE_SCHEMA`: the PostgreSQL schema of the store's tables, default `public`. */
  databaseSchema: string
  /**
   * `PARLEY_REDIS_URL`: socket.io's Redis Streams adapter and cross-node presence
   * (relay/cluster/redis.ts); null keeps both in this process. May hold a password: never log it whole.
   */
  redisUrl: string | null
  /** `PARLEY_REDIS_PREFIX`: the prefix of every Redis key, stream and channel Parley uses, default `parley`. */
  redisPrefix: string
  /** Where `vite build` put the widget and the console. */
  distDir: string
  examplesDir: string
  /** The relay's public base URL (links in bot answers); derived from the listen address when unset. */
  publicUrl: string | null
  adminEmail: string | null
  adminPassword: string | null
  /** Extra origins allowed to embed the demo site's widget (comma-separated `PARLEY_DEMO_ORIGINS`). */
  demoOrigins: string[]
  /** The demo site's identity-verification secret (`PARLEY_IDENTITY_SECRET`). */
  identitySecret: string | null
  secret: string | null
  /** Secure cookies: on when the public URL is https. */
  secureCookies: boolean
  logLevel: string
  /** `PARLEY_TRUST_PROXY`: proxies whose `X-Forwarded-For` is believed (relay/http/client-address.ts); null = none. */
  trustProxy: TrustProxy | null
  /** `PARLEY_METRICS_TOKEN`: the bearer token of `GET /metrics` (Prometheus); null turns the route off. */
  metricsToken: string | null
  /** The bot's provider; holds the API key, so never log it whole. */
  bot: BotProviderConfig
  /** The email channel (relay/channels/email/config.ts). */
  email: EmailConfig
  /** The WhatsApp channel (relay/channels/whatsapp/config.ts). */
  whatsapp: WhatsAppConfig
  /** The signed generic webhook API (relay/channels/api/config.ts). */
  api: ApiChannelConfig
  /** The Messenger channel (relay/channels/messenger/config.ts). */
  messenger: MessengerConfig
}

const root = path.resolve(import.meta.dirname, '..')

/** A guessable token would expose the figures: at least 16 characters. */
function metricsToken(value: string | undefined): string | null {
  const token = value?.trim() || null
  if (token && token.length < 16) throw new Error('PARLEY_METRICS_TOKEN must be at least 16 characters')
  return token
}

/** Reads and checks the environment; throws a clear error on a bad value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = env.PORT === undefined || env.PORT === '' ? 8787 : Number(env.PORT)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a port number (0-65535), got ${JSON.stringify(env.PORT)}`)
  }
  const publicUrl = env.PARLEY_PUBLIC_URL ? env.PARLEY_PUBLIC_URL.replace(/\/+$/, '') : null
  if (publicUrl && !/^https?:\/\//.test(publicUrl)) {
    throw new Error(`PARLEY_PUBLIC_URL must start with http:// or https://, got ${publicUrl}`)
  }
  const databaseUrl = env.PARLEY_DATABASE_URL?.trim() || null
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error('PARLEY_DATABASE_URL must start with postgres:// or postgresql://')
  }
  const databaseSchema = env.PARLEY_DATABASE_SCHEMA?.trim() || 'public'
  const redisUrl = env.PARLEY_REDIS_URL?.trim() || null
  // Not the value: it may carry the password.
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl))
    throw new Error('PARLEY_REDIS_URL must start with redis:// or rediss://')
  const redisPrefix = env.PARLEY_REDIS_PREFIX?.trim() || 'parley'
  if (!/^[A-Za-z0-9_.:-]+$/.test(redisPrefix))
    throw new Error(
      `PARLEY_REDIS_PREFIX may hold letters, digits and _ . : - only, got ${JSON.stringify(redisPrefix)}`,
    )
  const adminEmail = env.PARLEY_ADMIN_EMAIL?.trim().toLowerCase() || null
  const adminPassword = env.PARLEY_ADMIN_PASSWORD || null
  if (adminPassword && adminPassword.length < 8)
    throw new Error('PARLEY_ADMIN_PASSWORD must be at least 8 characters')
  return {
    port,
    host: env.HOST || '0.0.0.0',
    dataDir: path.resolve(env.PARLEY_DATA_DIR || './data'),
    databaseUrl,
    databaseSchema,
    redisUrl,
    redisPrefix,
    distDir: path.resolve(env.PARLEY_DIST_DIR || path.join(root, 'dist')),
    examplesDir: path.join(root, 'examples'),
    publicUrl,
    adminEmail,
    adminPassword,
    identitySecret: env.PARLEY_IDENTITY_SECRET || null,
    demoOrigins: (env.PARLEY_DEMO_ORIGINS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    secret: env.PARLEY_SECRET || null,
    secureCookies: publicUrl?.startsWith('https://') ?? false,
    logLevel: env.PARLEY_LOG_LEVEL || 'info',
    trustProxy: parseTrustProxy(env.PARLEY_TRUST_PROXY),
    metricsToken: metricsToken(env.PARLEY_METRICS_TOKEN),
    bot: loadBotConfig(env),
    email: loadEmailConfig(env),
    whatsapp: loadWhatsAppConfig(env),
    api: loadApiChannelConfig(env),
    messenger: loadMessengerConfig(env),
  }
}
