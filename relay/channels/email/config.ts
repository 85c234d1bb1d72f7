/** The email channel's configuration, from the environment (see docs/channels.md). */

export interface EmailConfig {
  /** `PARLEY_SMTP_PORT`: the inbound SMTP listener's port; null means no listener. 0 picks a free port. */
  smtpPort: number | null
  /** `PARLEY_SMTP_HOST`: where the listener binds; loopback by default. */
  smtpHost: string
  /** `PARLEY_SUPPORT_EMAIL`: the demo site's support address (lowercase). */
  supportAddress: string | null
  /** `PARLEY_SMTP_URL`: outbound `smtp://host:port`; null means the local outbox under the data dir. */
  smtpUrl: string | null
  /** `PARLEY_EMAIL_WEBHOOK_SECRET`: the shared secret of `POST /webhooks/email`; null turns the route off. */
  webhookSecret: string | null
  /** `PARLEY_EMAIL_MAX_BYTES`: the largest inbound message accepted, default 10 MB. */
  maxBytes: number
  /**
   * `PARLEY_SMTP_TLS_KEY` and `PARLEY_SMTP_TLS_CERT`: PEM files; with both the listener offers
   * STARTTLS. Null (neither set) means plain SMTP only.
   */
  smtpTls: SmtpTlsFiles | null
}

/** Where the inbound listener's STARTTLS key and certificate are (read when the listener starts). */
export interface SmtpTlsFiles {
  keyFile: string
  certFile: string
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$|^[^\s@]+@localhost$/

/** Reads and checks the email settings; throws a clear error on a bad value. */
export function loadEmailConfig(env: NodeJS.ProcessEnv = process.env): EmailConfig {
  const rawPort = env.PARLEY_SMTP_PORT?.trim()
  const smtpPort = rawPort ? Number(rawPort) : null
  if (smtpPort !== null && (!Number.isInteger(smtpPort) || smtpPort < 0 || smtpPort > 65535))
    throw new Error(`PARLEY_SMTP_PORT must be a port number (0-65535), got ${JSON.stringify(rawPort)}`)
  const supportAddress = env.PARLEY_SUPPORT_EMAIL?.trim().toLowerCase() || null
  if (supportAddress && !EMAIL.test(supportAddress))
    throw new Error(`PARLEY_SUPPORT_EMAIL must be an email address, got ${JSON.stringify(supportAddress)}`)
  if (supportAddress?.split('@')[0]?.includes('+'))
    throw new Error('PARLEY_SUPPORT_EMAIL must not contain "+": reply addresses add "+<token>" to it')
  const smtpUrl = env.PARLEY_SMTP_URL?.trim() || null
  if (smtpUrl && !/^smtps?:\/\/[^/]+/.test(smtpUrl))
    throw new Error(`PARLEY_SMTP_URL must be an smtp:// or smtps:// URL, got ${JSON.stringify(smtpUrl)}`)
  const webhookSecret = env.PARLEY_EMAIL_WEBHOOK_SECRET || null
  if (webhookSecret && webhookSecret.length < 16)
    throw new Error('PARLEY_EMAIL_WEBHOOK_SECRET must be at least 16 characters')
  const rawMax = env.PARLEY_EMAIL_MAX_BYTES?.trim()
  const maxBytes = rawMax ? Number(rawMax) : 10 * 1024 * 1024
  if (!Number.isInteger(maxBytes) || maxBytes < 1024)
    throw new Error(
      `PARLEY_EMAIL_MAX_BYTES must be an integer of at least 1024, got ${JSON.stringify(rawMax)}`,
    )
  const keyFile = env.PARLEY_SMTP_TLS_KEY?.trim() || null
  const certFile = env.PARLEY_SMTP_TLS_CERT?.trim() || null
  if (keyFile && !certFile)
    throw new Error('PARLEY_SMTP_TLS_KEY is set but PARLEY_SMTP_TLS_CERT is missing: STARTTLS needs both')
  if (certFile && !keyFile)
    throw new Error('PARLEY_SMTP_TLS_CERT is set but PARLEY_SMTP_TLS_KEY is missing: STARTTLS needs both')
  return {
    smtpPort,
    smtpHost: env.PARLEY_SMTP_HOST?.trim() || '127.0.0.1',
    supportAddress,
    smtpUrl,
    webhookSecret,
    maxBytes,
    smtpTls: keyFile && certFile ? { keyFile, certFile } : null,
  }
}
