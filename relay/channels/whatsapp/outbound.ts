/**
 * Outbound WhatsApp: every agent and bot reply in a WhatsApp conversation is POSTed to the Graph
 * API, `{graph}/{phone_number_id}/messages`, from the business number the customer wrote to. A
 * transient failure (network, timeout, 429, 5xx) is retried with backoff; once a send has failed
 * for good it leaves an internal note for the agents and an error log line (never the token). A text
 * refused because the 24-hour window closed (131047) is resent once as the configured template.
 */
import type { Message } from '../../../shared/protocol.ts'
import type { ConversationService, Logger } from '../../conversations/service.ts'
import type { Conversation, Store } from '../../store/types.ts'
import { type ReplySender, replyForwarder } from '../replies.ts'
import { attemptsText, HttpSendError, isTransientHttp, replyRetries, sendWithRetries } from '../retry.ts'
import type { WhatsAppConfig } from './config.ts'
import type { WhatsAppRecords } from './records.ts'
import {
  REENGAGEMENT_REQUIRED,
  type ReplyContent,
  replyContent,
  templateContent,
  windowClosedNote,
} from './window.ts'

export interface OutboundDeps {
  config: WhatsAppConfig
  store: Store
  service: ConversationService
  records: WhatsAppRecords
  log: Logger
  /** The 24-hour window is measured with it. */
  now: () => Date
  /** Defaults to the global fetch. */
  fetch?: typeof fetch
  /** The waits between attempts of a failed send (retry.ts `DEFAULT_RETRY_DELAYS_MS` in production). */
  retryDelaysMs: readonly number[]
}

/** WhatsApp's limit on a text message body. */
const MAX_BODY = 4096
const SEND_TIMEOUT_MS = 15_000

/** The observer that sends; one conversation's replies leave in the order they were stored. */
export function whatsappSender(deps: OutboundDeps): ReplySender {
  return replyForwarder('whatsapp', (conversation, message, closing) =>
    deliver(deps, conversation, message, closing),
  )
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

/** A non-2xx answer of the Graph API, with the `error.code` of its JSON body when it has one. */
class GraphSendError extends HttpSendError {
  constructor(
    status: number,
    message: string,
    readonly graphCode: number | null,
  ) {
    super(status, message)
    this.name = 'GraphSendError'
  }
}

function graphCodeOf(error: unknown): number | null {
  return error instanceof GraphSendError ? error.graphCode : null
}

/** `{ error: { code } }`, as the Graph API explains a refusal. */
function errorCodeIn(text: string): number | null {
  try {
    const code = (JSON.parse(text) as { error?: { code?: unknown } } | null)?.error?.code
    return typeof code === 'number' ? code : null
  } catch {
    return null
  }
}

/** One reply's content POSTed to the Graph API, retried as retry.ts says. */
function post(
  deps: OutboundDeps,
  conversationId: string,
  to: string,
  url: string,
  content: ReplyContent,
  closing: AbortSignal,
) {
  const send = deps.fetch ?? fetch
  const body = JSON.stringify({ messaging_product: 'whatsapp', recipient_type: 'individual', to, ...content })
  return sendWithRetries(
    async () => {
      const response = await send(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(deps.config.accessToken && { authorization: `Bearer ${deps.config.accessToken}` }),
        },
        body,
        signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
      })
      if (!response.ok) {
        const text = await response.text()
        throw new GraphSendError(
          response.status,
          `the Graph API answered ${response.status} ${text.slice(0, 300)}`,
          errorCodeIn(text),
        )
      }
      return (await response.json().catch(() => null)) as { messages?: { id?: string }[] } | null
    },
    replyRetries({
      channel: 'whatsapp',
      conversationId,
      log: deps.log,
      delaysMs: deps.retryDelaysMs,
      isTransient: isTransientHttp,
      signal: closing,
    }),
  )
}

async function deliver(
  deps: OutboundDeps,
  conversation: Conversation,
  message: Message,
  closing: AbortSignal,
): Promise<void> {
  const target = await deps.records.conversation(conversation.id)
  if (!target) {
    deps.log.error({ conversationId: conversation.id }, 'whatsapp reply without a recorded number')
    return deps.service.internalNote(
      conversation,
      "The WhatsApp reply could not be sent: the customer's number is unknown.",
    )
  }
  const url = `${deps.config.graphApiUrl}/${encodeURIComponent(target.phoneNumberId)}/messages`
  const content = await replyContent(deps, conversation.id, message, bodyOf(message))
  if ('closedAt' in content) {
    deps.log.info(
      { conversationId: conversation.id, messageId: message.id },
      'whatsapp reply held: the 24-hour window closed',
    )
    return deps.service.internalNote(conversation, windowClosedNote(content.closedAt))
  }
  let result = await post(deps, conversation.id, target.phone, url, content, closing)
  // Parley's record of the window can be missing or behind (a conversation recorded before the window
  // check, a clock off): WhatsApp's refusal is the authority, and the template is the way through.
  if (!result.ok && content.type === 'text' && graphCodeOf(result.error) === REENGAGEMENT_REQUIRED) {
    const template = templateContent(deps.config, message)
    if (!template) {
      deps.log.info(
        { conversationId: conversation.id, messageId: message.id },
        'whatsapp reply refused: the 24-hour window closed',
      )
      return deps.service.internalNote(conversation, windowClosedNote(null))
    }
    deps.log.info(
      { conversationId: conversation.id, messageId: message.id },
      'whatsapp reply refused outside the 24-hour window, resending as the template',
    )
    result = await post(deps, conversation.id, target.phone, url, template, closing)
  }
  if (result.ok) {
    deps.log.info(
      {
        conversationId: conversation.id,
        messageId: message.id,
        waMessageId: result.value?.messages?.[0]?.id,
        attempts: result.attempts,
      },
      'whatsapp reply sent',
    )
    // Status callbacks name the reply by this id (statuses.ts).
    const waMessageId = result.value?.messages?.[0]?.id
    if (waMessageId)
      await deps.records.sent({ waMessageId, conversationId: conversation.id, messageId: message.id })
    return
  }
  const failure = (result.error as Error).message
  // The URL and the error text carry no token: it is only ever in the Authorization header.
  deps.log.error(
    { conversationId: conversation.id, url, failure, attempts: result.attempts },
    'whatsapp reply could not be sent',
  )
  await deps.service.internalNote(
    conversation,
    `The WhatsApp reply to +${target.phone} could not be sent after ${attemptsText(result.attempts)}: ${failure}`,
  )
}
