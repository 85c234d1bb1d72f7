/** Raw MIME → what the channel needs: addresses, thread ids, decoded text, attachments, loop signals. */
import { convert } from 'html-to-text'
import { type AddressObject, type ParsedMail, simpleParser } from 'mailparser'
import { extractReply } from './reply-text.ts'

export interface ParsedAttachment {
  filename: string
  contentType: string
  size: number
  content: Buffer
}

export interface ParsedEmail {
  /** Without angle brackets; generated when the message had none. */
  messageId: string | null
  inReplyTo: string[]
  references: string[]
  from: { address: string; name: string | null } | null
  /** To, Cc, Delivered-To and X-Original-To addresses (the webhook has no SMTP envelope). */
  recipients: string[]
  subject: string
  /** The whole text body (from the HTML when there is no text part). */
  fullText: string
  html: string | null
  /** What an agent reads: the reply without quoted history and signature. */
  reply: string
  attachments: ParsedAttachment[]
  /** Why this is an auto-reply or a bounce, or null for a message a person wrote. */
  automatic: string | null
}

/** `<a@b> <c@d>` or a list of them → bare ids. */
function ids(value: string | string[] | undefined): string[] {
  const all = Array.isArray(value) ? value.join(' ') : (value ?? '')
  return [...all.matchAll(/<([^<>\s]+)>/g)].map((m) => m[1] ?? '').filter(Boolean)
}

export function bareMessageId(id: string): string {
  return id.trim().replace(/^<|>$/g, '').toLowerCase()
}

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(value) ? value : value ? [value] : []
  const out: string[] = []
  const walk = (entries: AddressObject['value']) => {
    for (const entry of entries) {
      if (entry.address) out.push(entry.address.toLowerCase())
      if (entry.group) walk(entry.group)
    }
  }
  for (const item of list) walk(item.value)
  return out
}

function headerText(mail: ParsedMail, name: string): string | null {
  const value = mail.headers.get(name)
  if (value === undefined || value === null) return null
  if (typeof value === 'string') return value
  if (typeof value === 'object' && 'value' in value && typeof value.value === 'string') return value.value
  return String(value)
}

/** RFC 3834 and the conventions before it, delivery reports, and the addresses bounces come from. */
export function automaticReason(mail: ParsedMail, envelopeFrom?: string | null): string | null {
  const submitted = headerText(mail, 'auto-submitted')?.split(';')[0]?.trim().toLowerCase()
  if (submitted && submitted !== 'no') return `auto-submitted: ${submitted}`
  const precedence = headerText(mail, 'precedence')?.trim().toLowerCase()
  if (precedence && ['bulk', 'junk', 'list', 'auto_reply'].includes(precedence))
    return `precedence: ${precedence}`
  for (const name of ['x-autoreply', 'x-autorespond']) {
    if (mail.headers.has(name)) return name
  }
  if (mail.headers.has('list-id') || mail.headers.has('list-unsubscribe')) return 'mailing list'
  const type = mail.headers.get('content-type') as
    | { value?: unknown; params?: Record<string, string> }
    | undefined
  if (typeof type?.value === 'string' && type.value.toLowerCase() === 'multipart/report')
    return `report: ${type.params?.['report-type'] ?? 'unknown'}`
  // The null reverse-path is what bounces are sent from (RFC 5321 §4.5.5).
  if (envelopeFrom === '') return 'null sender'
  const from = mail.from?.value[0]?.address?.toLowerCase() ?? ''
  if (/^(mailer-daemon|postmaster|mail-daemon|noreply-dmarc-support)@/.test(from)) return `sender: ${from}`
  return null
}

function htmlText(html: string): string {
  return convert(html, {
    wordwrap: false,
    selectors: [
      { selector: 'img', format: 'skip' },
      { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
    ],
  })
}

export async function parseEmail(raw: Buffer, envelopeFrom?: string | null): Promise<ParsedEmail> {
  // mailparser decodes every charset (iconv-lite) and RFC 2047 encoded words in headers.
  // HTML-only mail is turned into text here, not by mailparser: images are left out (a tracking
  // pixel's address is noise to the agent), links keep their address.
  const mail = await simpleParser(raw, { skipImageLinks: true, skipHtmlToText: true })
  const sender = mail.from?.value[0]
  const html = typeof mail.html === 'string' ? mail.html : null
  const fullText = (mail.text?.trim() || (html ? htmlText(html) : '')).trim()
  const extra = ['delivered-to', 'x-original-to']
    .map((name) => headerText(mail, name))
    .filter((v): v is string => Boolean(v))
    .flatMap((v) => [...v.matchAll(/[^\s<>,;"]+@[^\s<>,;"]+/g)].map((m) => m[0].toLowerCase()))
  return {
    messageId: mail.messageId ? bareMessageId(mail.messageId) : null,
    inReplyTo: ids(mail.inReplyTo).map(bareMessageId),
    references: ids(mail.references).map(bareMessageId),
    from: sender?.address ? { address: sender.address.toLowerCase(), name: sender.name || null } : null,
    recipients: [...new Set([...addresses(mail.to), ...addresses(mail.cc), ...extra])],
    subject: mail.subject?.trim() ?? '',
    fullText,
    html,
    // Non-breaking spaces (&nbsp; in HTML mail) read as spaces and match as spaces.
    reply: extractReply(fullText.replace(/\u00a0/g, ' ')),
    attachments: mail.attachments
      .filter((a) => !a.related)
      .map((a) => ({
        filename: a.filename ?? 'attachment',
        contentType: a.contentType,
        size: a.size,
        content: a.content,
      })),
    automatic: automaticReason(mail, envelopeFrom),
  }
}
