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
  /**
   * `PARLEY_WHATSAPP_TEMPLATE` (an approved template whose body has one text parameter) and
   * `PARLEY_WHATSAPP_TEMPLATE_LANGUAGE` (default `en`): what replies become once the customer's
   * 24-hour window has closed; null means such replies are not sent.
   */
  template: { name: string; language: string } | null
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
  return {
    appSecret,
    verifyToken,
    graphApiUrl,
    accessToken: env.PARLEY_WHATSAPP_ACCESS_TOKEN || null,
    template: loadTemplate(env),
  }
}

function loadTemplate(env: NodeJS.ProcessEnv): WhatsAppConfig['template'] {
  const name = env.PARLEY_WHATSAPP_TEMPLATE?.trim() || null
  const language = env.PARLEY_WHATSAPP_TEMPLATE_LANGUAGE?.trim() || 'en'
  if (!name) return null
  // Meta's template names are lowercase letters, digits and underscores.
  if (!/^[a-z0-9_]{1,512}$/.test(name))
    throw new Error(`PARLEY_WHATSAPP_TEMPLATE must be a template name like support_followup, got ${name}`)
  if (!/^[a-z]{2,3}(_[A-Za-z]{2,4})?$/.test(language))
    throw new Error(
      `PARLEY_WHATSAPP_TEMPLATE_LANGUAGE must be a language code like en or pt_BR, got ${language}`,
    )
  return { name, language }
}
