/**
 * Outbound email: every agent and bot reply in an email conversation, and an agent's reply in a web
 * chat whose shopper left an email address and is no longer connected, goes out as a threaded reply
 * (Message-ID, In-Reply-To, References) with a signed reply address. Bot mail says it is automatic
 * (`Auto-Submitted: auto-replied`), so well-behaved auto-responders stay quiet. A transient SMTP
 * failure (4xx, a dropped or refused connection) is retried with backoff; a send that failed for
 * good leaves an internal note for the agents.
 */
import { randomUUID } from 'node:crypto'
import type Mail from 'nodemailer/lib/mailer'
import type { Message } from '../../../shared/protocol.ts'
import type { ConversationService, Logger } from '../../conversations/service.ts'
import type { Conversation, Store } from '../../store/types.ts'
import { KeyedQueue } from '../../util/keyed-queue.ts'
import { isCustomerReply, type ReplySender } from '../replies.ts'
import { attemptsText, isTransientSmtp, replyRetries, sendWithRetries } from '../retry.ts'
import type { EmailRecords } from './records.ts'
import { replyAddress, replyToken } from './reply-token.ts'
import type { MailTransport } from './transport.ts'

export interface OutboundDeps {
  store: Store
  service: ConversationService
  records: EmailRecords
  transport: MailTransport
  secret: Buffer
  log: Logger
  now: () => Date
  /** Whether the shopper has a widget open (then the chat reaches them; no email). */
  hasWidget(siteId: string, contactId: string): Promise<boolean>
  /** The waits between attempts of a failed send (retry.ts `DEFAULT_RETRY_DELAYS_MS` in production). */
  retryDelaysMs: readonly number[]
}

const brackets = (id: string) => `<${id}>`

/** The observer that sends; one conversation's mails leave in the order they were stored. */
export function emailSender(deps: OutboundDeps): ReplySender {
  const queue = new KeyedQueue()
  const closing = new AbortController()
  return {
    messageStored(conversation, message) {
      if (!isCustomerReply(message)) return
      if (message.bot?.outcome === 'greeting') return
      if (conversation.channel !== 'email' && !(conversation.channel === 'web' && message.author === 'agent'))
        return
      // A mail waiting to be retried holds that conversation's later mails back, on purpose: they
      // must not overtake it. Other conversations are not held up.
      return queue.run(conversation.id, () => deliver(deps, conversation, message, closing.signal))
    },
    drain: () => queue.drain(),
    async close() {
      closing.abort()
      await queue.drain()
    },
  }
}

function bodyOf(message: Message, botName: string): string {
  const parts = [message.text]
  const links = message.sources.filter((s) => s.url)
  if (links.length) parts.push(links.map((s) => `${s.title}: ${s.url}`).join('\n'))
  // The bot discloses itself in every mail: there is no greeting message on this channel.
  if (message.author === 'bot')
    parts.push(`-- \n${botName}, an automated assistant. Reply "talk to a person" to reach our team.`)
  return parts.join('\n\n')
}

async function deliver(
  deps: OutboundDeps,
  conversation: Conversation,
  message: Message,
  closing: AbortSignal,
): Promise<void> {
  const [site, contact] = await Promise.all([
    deps.store.getSite(conversation.siteId),
    deps.store.getContact(conversation.contactId),
  ])
  const support = site?.supportEmail
  if (!site || !support || !contact?.email) return
  if (conversation.channel === 'web' && (await deps.hasWidget(site.id, contact.id))) return
  const thread = await deps.records.thread(conversation.id)
  const domain = support.slice(support.lastIndexOf('@') + 1)
  const messageId = `${randomUUID()}@${domain}`
  const subject = thread?.subject
    ? /^re:/i.test(thread.subject)
      ? thread.subject
      : `Re: ${thread.subject}`
    : `Your conversation with ${site.name}`
  const text = bodyOf(message, message.authorName ?? site.botName)
  const fromName =
    message.author === 'agent' && message.authorName ? `${message.authorName} (${site.name})` : site.name
  const to = contact.email
  // Built afresh for each attempt: nodemailer may normalise the object it is given.
  const mail = (): Mail.Options => ({
    from: { name: fromName, address: support },
    to,
    replyTo: replyAddress(support, replyToken(deps.secret, conversation.id)),
    subject,
    text,
    messageId: brackets(messageId),
    ...(thread?.lastInbound && { inReplyTo: brackets(thread.lastInbound) }),
    ...(thread?.messageIds.length && { references: thread.messageIds.slice(-20).map(brackets) }),
    headers:
      message.author === 'bot' ? { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' } : {},
  })
  // Every attempt sends the same Message-ID, so a server that took it once can tell a retry.
  const result = await sendWithRetries(
    () => deps.transport.send(mail()),
    replyRetries({
      channel: 'email',
      conversationId: conversation.id,
      log: deps.log,
      delaysMs: deps.retryDelaysMs,
      isTransient: isTransientSmtp,
      signal: closing,
    }),
  )
  if (!result.ok) {
    deps.log.error(
      { err: result.error, conversationId: conversation.id, attempts: result.attempts },
      'email reply could not be sent',
    )
    await deps.service.internalNote(
      conversation,
      `The email to ${to} could not be sent after ${attemptsText(result.attempts)}: ${(result.error as Error).message}`,
    )
    return
  }
  // New mail from this address joins this contact only when the address is proven: an address typed
  // into the widget's away form is not, and mail from it must not land where that browser can read it.
  if (
    (conversation.channel === 'email' || contact.emailVerified) &&
    !(await deps.records.contactFor(site.id, to))
  )
    await deps.records.setContact(site.id, to, contact.id)
  await deps.records.record(conversation.id, message.id, {
    direction: 'out',
    messageId,
    from: support,
    to: [to],
    subject,
    fullText: text,
    html: null,
    attachments: [],
    automatic: null,
    at: deps.now().toISOString(),
  })
}
