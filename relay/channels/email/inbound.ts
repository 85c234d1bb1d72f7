/**
 * Inbound email → a conversation message. Threading, in order: the signed reply address, then
 * In-Reply-To and References against the Message-IDs of the thread; a thread is only continued by
 * mail from its contact's address. Anything else from the same address opens a new conversation.
 */
import { createHash } from 'node:crypto'
import { newId } from '../../../shared/ids.ts'
import { MAX_MESSAGE_LENGTH } from '../../../shared/protocol.ts'
import { verifiedContactId } from '../../auth/identity.ts'
import type { ConversationService, Logger } from '../../conversations/service.ts'
import { AppError } from '../../errors.ts'
import type { Conversation, Site, Store } from '../../store/types.ts'
import { type ParsedEmail, parseEmail } from './parse.ts'
import type { EmailRecords } from './records.ts'
import { splitAddress, verifyReplyToken } from './reply-token.ts'

export interface InboundDeps {
  store: Store
  service: ConversationService
  records: EmailRecords
  secret: Buffer
  log: Logger
  now: () => Date
}

/** The SMTP envelope, when the message came over SMTP (the webhook has only the headers). */
export interface Envelope {
  mailFrom: string | null
  rcptTo: string[]
}

export interface Received {
  conversationId: string
  messageId: string
  duplicate: boolean
  automatic: string | null
}

/** A recipient we accept mail for: a site's support address, possibly with a reply token. */
export interface Recipient {
  site: Site
  /** The conversation a valid reply token names; null without a token (or with a forged one). */
  conversationId: string | null
}

/** Resolves a recipient address, or null when it is none of ours (reject it). */
export async function resolveRecipient(
  store: Store,
  secret: Buffer,
  address: string,
): Promise<Recipient | null> {
  const { base, tag } = splitAddress(address)
  const site = (await store.listSites()).find((s) => s.supportEmail === base)
  if (!site) return null
  if (tag === null) return { site, conversationId: null }
  const conversationId = verifyReplyToken(secret, tag)
  // A forged or damaged token is still mail for the site: it starts a new conversation, it joins none.
  return { site, conversationId }
}

export async function receiveEmail(deps: InboundDeps, raw: Buffer, envelope?: Envelope): Promise<Received> {
  const parsed = await parseEmail(raw, envelope?.mailFrom)
  if (!parsed.from) throw new AppError('invalid_payload', 'the message has no From address')
  const candidates = envelope?.rcptTo.length ? envelope.rcptTo : parsed.recipients
  let recipient: Recipient | null = null
  for (const address of candidates) {
    const found = await resolveRecipient(deps.store, deps.secret, address)
    if (found && (!recipient || found.conversationId)) recipient = found
  }
  if (!recipient) throw new AppError('not_found', 'no support address among the recipients')
  const { site } = recipient
  // Without a Message-ID, a hash of the bytes still makes a redelivery a duplicate.
  const messageId =
    parsed.messageId ?? `${createHash('sha256').update(raw).digest('hex').slice(0, 32)}@parley.invalid`
  // A redelivery (webhooks retry, MTAs resend) finds the conversation that stored it: stored once.
  const existing = await threadFor(deps, site, parsed.from.address, recipient.conversationId, {
    ...parsed,
    inReplyTo: [messageId, ...parsed.inReplyTo],
  })
  const contactId = existing?.contactId ?? (await contactFor(deps, site, parsed))
  const text = bodyFor(parsed)
  const { conversation, message, duplicate } = await deps.service.channelSend(site, contactId, {
    channel: 'email',
    conversationId: existing?.id ?? null,
    clientId: `em_${createHash('sha256').update(messageId).digest('base64url').slice(0, 40)}`,
    text,
    automatic: parsed.automatic !== null,
  })
  if (!duplicate) {
    const attachments = await Promise.all(parsed.attachments.map((a) => deps.records.saveAttachment(a)))
    await deps.records.record(conversation.id, message.id, {
      direction: 'in',
      messageId,
      from: parsed.from.address,
      to: parsed.recipients,
      subject: parsed.subject,
      fullText: parsed.fullText,
      html: parsed.html,
      attachments,
      automatic: parsed.automatic,
      at: deps.now().toISOString(),
    })
    if (parsed.automatic)
      deps.log.info(
        { conversationId: conversation.id, reason: parsed.automatic },
        'automatic email stored, not answered',
      )
    else deps.service.answer(conversation, message)
  }
  return { conversationId: conversation.id, messageId: message.id, duplicate, automatic: parsed.automatic }
}

/** The contact of a sender on a site, created on their first email. */
async function contactFor(deps: InboundDeps, site: Site, parsed: ParsedEmail): Promise<string> {
  const from = parsed.from
  if (!from) throw new AppError('invalid_payload', 'the message has no From address')
  const known = await deps.records.contactFor(site.id, from.address)
  if (known && (await deps.store.getContact(known))) return known
  // A shopper the store verified in the widget is the same customer when they write an email.
  const verified = verifiedContactId(deps.secret, site.id, from.address.trim().toLowerCase())
  if (await deps.store.getContact(verified)) {
    await deps.records.setContact(site.id, from.address, verified)
    return verified
  }
  const contactId = newId('ctc_')
  await deps.store.putContact({
    id: contactId,
    siteId: site.id,
    name: from.name,
    email: from.address,
    // A From header proves nothing: orders are never shown on its strength.
    emailVerified: false,
    createdAt: deps.now().toISOString(),
  })
  await deps.records.setContact(site.id, from.address, contactId)
  return contactId
}

async function threadFor(
  deps: InboundDeps,
  site: Site,
  sender: string,
  tokenConversation: string | null,
  parsed: ParsedEmail,
): Promise<Conversation | null> {
  const ids = [...parsed.inReplyTo, ...[...parsed.references].reverse()]
  const candidates = [
    tokenConversation,
    ...(await Promise.all(ids.map((id) => deps.records.conversationFor(id)))),
  ]
  for (const id of candidates) {
    if (!id) continue
    const conversation = await deps.store.getConversation(id)
    if (conversation?.siteId !== site.id) continue
    // Only the customer of the thread continues it (a web chat's contact once they left an email).
    const contact = await deps.store.getContact(conversation.contactId)
    if (contact?.email?.toLowerCase() === sender) return conversation
  }
  return null
}

/** The text an agent reads: the reply, or the subject when the body is empty (or all quoted). */
function bodyFor(parsed: ParsedEmail): string {
  const body = parsed.reply || parsed.fullText || parsed.subject || '(empty email)'
  const withAttachments = parsed.attachments.length
    ? `${body}\n\n[attachments: ${parsed.attachments.map((a) => a.filename).join(', ')}]`
    : body
  return withAttachments.length > MAX_MESSAGE_LENGTH
    ? `${withAttachments.slice(0, MAX_MESSAGE_LENGTH - 1)}…`
    : withAttachments
}
