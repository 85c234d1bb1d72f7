/** The Messenger channel's configuration, from the environment (see docs/channels.md). */
import { DEFAULT_GRAPH_API_URL } from '../whatsapp/config.ts'

export interface MessengerConfig {
  /** `PARLEY_MESSENGER_APP_SECRET`: checks `X-Hub-Signature-256`; null turns the channel off. */
  appSecret: string | null
  /** `PARLEY_MESSENGER_VERIFY_TOKEN`: what the verification handshake must present. */
  verifyToken: string | null
  /** `PARLEY_GRAPH_API_URL`, shared with WhatsApp. */
  graphApiUrl: string
  /** `PARLEY_MESSENGER_PAGE_TOKEN`: the page access token of outbound sends; never logged. */
  pageToken: string | null
}

export function loadMessengerConfig(env: NodeJS.ProcessEnv = process.env): MessengerConfig {
  const appSecret = env.PARLEY_MESSENGER_APP_SECRET || null
  const verifyToken = env.PARLEY_MESSENGER_VERIFY_TOKEN || null
  if (appSecret && !verifyToken)
    throw new Error('PARLEY_MESSENGER_APP_SECRET needs PARLEY_MESSENGER_VERIFY_TOKEN (the webhook handshake)')
  const graphApiUrl = (env.PARLEY_GRAPH_API_URL?.trim() || DEFAULT_GRAPH_API_URL).replace(/\/+$/, '')
  return { appSecret, verifyToken, graphApiUrl, pageToken: env.PARLEY_MESSENGER_PAGE_TOKEN || null }
}
