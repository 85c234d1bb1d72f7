/** The signed generic webhook API's configuration, from the environment (see docs/channels.md). */

export interface ApiChannelConfig {
  /** `PARLEY_API_WEBHOOK_SECRET`: signs requests both ways; null turns `POST /webhooks/api` off. */
  secret: string | null
  /** `PARLEY_API_CALLBACK_URL`: where agent and bot replies are POSTed, signed; null = not sent. */
  callbackUrl: string | null
  /** How far a request's timestamp may be from the relay's clock. */
  toleranceMs: number
}

/** Reads and checks the settings; throws a clear error on a bad value. */
export function loadApiChannelConfig(env: NodeJS.ProcessEnv = process.env): ApiChannelConfig {
  const secret = env.PARLEY_API_WEBHOOK_SECRET || null
  if (secret && secret.length < 16)
    throw new Error('PARLEY_API_WEBHOOK_SECRET must be at least 16 characters')
  const callbackUrl = env.PARLEY_API_CALLBACK_URL?.trim() || null
  if (callbackUrl && !/^https?:\/\//.test(callbackUrl))
    throw new Error(`PARLEY_API_CALLBACK_URL must start with http:// or https://, got ${callbackUrl}`)
  return { secret, callbackUrl, toleranceMs: 5 * 60 * 1000 }
}
