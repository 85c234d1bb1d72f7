/**
 * Outbound WhatsApp: every agent and bot reply in a WhatsApp conversation is POSTed to the Graph
 * API, `{graph}/{phone_number_id}/messages`, from the business number the customer wrote to. A
 * failed send leaves an internal note for the agents and an error log line (never the token).
 */
import type { Message } from '../../../shared/protocol.ts'
import type { ConversationObserver, ConversationService, Logger } from '../../conversations/service.ts'
import type { Conversation, Store } from '../../store/types.ts'
import { replyForwarder } from '../replies.ts'
import type { WhatsAppConfig } from './config.ts'
import type { WhatsAppRecords } from './records.ts'

export interface OutboundDeps {
  config: WhatsAppConfig
  store: Store
  service: ConversationService
  records: WhatsAppRecords
  log: Logger
  /** Defaults to the global fetch. */
  fetch?: typeof fetch
}

/** WhatsApp's limit on a text message body. */
const MAX_BODY = 4096
const SEND_TIMEOUT_MS = 15_000

/** The observer that sends; one conversation's replies leave in the order they were stored. */
export function whatsappSender(deps: OutboundDeps): ConversationObserver & { drain(): Promise<void> } {
  return replyForwarder('whatsapp', (conversation, message) => deliver(deps, conversation, message))
}

function bodyOf(message: Message): string {
  const parts = [message.text]
  const links = message.sources.filter((s) => s.url)
  if (links.length) parts.push(links.map((s) => `${s.title}: ${s.url}`).join('\n'))
  // There is no greeting on this channel: each bot message says it is automated.
  if (message.author === 'bot')
    parts.push(
      `_${message.authorName ?? 'Assistant'}, an automated assistant. Write "talk to a person" to reach our team._`,
    )
  const body = parts.join('\n\n')
  return body.length > MAX_BODY ? `${body.slice(0, MAX_BODY - 1)}…` : body
}

async function deliver(deps: OutboundDeps, conversation: Conversation, message: Message): Promise<void> {
  const target = deps.records.conversation(conversation.id)
  if (!target) {
    deps.log.error({ conversationId: conversation.id }, 'whatsapp reply without a recorded number')
    return deps.service.internalNote(
      conversation,
      "The WhatsApp reply could not be sent: the customer's number is unknown.",
    )
  }
  const url = `${deps.config.graphApiUrl}/${encodeURIComponent(target.phoneNumberId)}/messages`
  const send = deps.fetch ?? fetch
  let failure: string | null = null
  try {
    const response = await send(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(deps.config.accessToken && { authorization: `Bearer ${deps.config.accessToken}` }),
      },
      body: JSON.stringify({
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: target.phone,
        type: 'text',
        text: { preview_url: false, body: bodyOf(message) },
      }),
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    })
    if (!response.ok)
      failure = `the Graph API answered ${response.status} ${(await response.text()).slice(0, 300)}`
    else {
      const sent = (await response.json().catch(() => null)) as { messages?: { id?: string }[] } | null
      deps.log.info(
        { conversationId: conversation.id, messageId: message.id, waMessageId: sent?.messages?.[0]?.id },
        'whatsapp reply sent',
      )
    }
  } catch (error) {
    failure = (error as Error).message
  }
  if (failure === null) return
  // The URL and the error text carry no token: it is only ever in the Authorization header.
  deps.log.error({ conversationId: conversation.id, url, failure }, 'whatsapp reply could not be sent')
  await deps.service.internalNote(
    conversation,
    `The WhatsApp reply to +${target.phone} could not be sent: ${failure}`,
  )
}
