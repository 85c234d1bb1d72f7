/** The WhatsApp channel's configuration, from the environment (see docs/channels.md). */

export interface WhatsAppConfig {
  /** `PARLEY_WHATSAPP_APP_SECRET`: signs every delivery (`X-Hub-Signature-256`); null turns the channel off. */
  appSecret: string | null
  /** `PARLEY_WHATSAPP_VERIFY_TOKEN`: what the verification handshake must present. */
  verifyToken: string | null
  /** `PARLEY_GRAPH_API_URL`: the Graph API base, version included (no trailing slash). */
  graphApiUrl: string
  /** `PARLEY_WHATSAPP_ACCESS_TOKEN`: the bearer token of outbound sends; never logged. */
  accessToken: string | null
}

export const DEFAULT_GRAPH_API_URL = 'https://graph.facebook.com/v21.0'

/** Reads and checks the WhatsApp settings; throws a clear error on a bad value. */
export function loadWhatsAppConfig(env: NodeJS.ProcessEnv = process.env): WhatsAppConfig {
  const appSecret = env.PARLEY_WHATSAPP_APP_SECRET || null
  const verifyToken = env.PARLEY_WHATSAPP_VERIFY_TOKEN || null
  if (appSecret && !verifyToken)
    throw new Error('PARLEY_WHATSAPP_APP_SECRET needs PARLEY_WHATSAPP_VERIFY_TOKEN (the webhook handshake)')
  const graphApiUrl = (env.PARLEY_GRAPH_API_URL?.trim() || DEFAULT_GRAPH_API_URL).replace(/\/+$/, '')
  if (!/^https?:\/\//.test(graphApiUrl))
    throw new Error(`PARLEY_GRAPH_API_URL must start with http:// or https://, got ${graphApiUrl}`)
  return { appSecret, verifyToken, graphApiUrl, accessToken: env.PARLEY_WHATSAPP_ACCESS_TOKEN || null }
}
