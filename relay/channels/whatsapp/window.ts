/**
 * WhatsApp's 24-hour customer-service window: a free-form message reaches the customer only within
 * 24 h of their last message (else the Graph API refuses it, error 131047). After that a reply goes
 * out as the configured approved template, its one body parameter carrying the reply's text, or not
 * at all.
 */
import type { Message } from '../../../shared/protocol.ts'
import type { WhatsAppConfig } from './config.ts'
import type { WhatsAppRecords } from './records.ts'

/** The `type` and its object of a Graph API send body. */
export type ReplyContent =
  | { type: 'text'; text: { preview_url: false; body: string } }
  | {
      type: 'template'
      template: {
        name: string
        language: { code: string }
        components: [{ type: 'body'; parameters: [{ type: 'text'; text: string }] }]
      }
    }

/** Meta caps a template's body at 1024 characters, the template's own words included. */
const MAX_PARAMETER = 900

/**
 * A template parameter may not hold newlines, tabs or more than four spaces in a row (Graph API
 * error 132018), so the text is folded onto one line.
 */
function parameterOf(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > MAX_PARAMETER ? `${line.slice(0, MAX_PARAMETER - 1)}…` : line
}

/**
 * What to send for one reply: text inside the window (or when the customer's last message time is
 * unknown: the Graph API then decides), the template after it, or `closedAt` when there is no template.
 */
export function replyContent(
  deps: { config: WhatsAppConfig; records: WhatsAppRecords; now: () => Date },
  conversationId: string,
  message: Message,
  body: string,
): ReplyContent | { closedAt: string } {
  const endsAt = deps.records.replyWindowEndsAt(conversationId)
  if (endsAt === null || deps.now().getTime() < Date.parse(endsAt))
    return { type: 'text', text: { preview_url: false, body } }
  const template = deps.config.template
  if (!template) return { closedAt: endsAt }
  return {
    type: 'template',
    template: {
      name: template.name,
      language: { code: template.language },
      components: [{ type: 'body', parameters: [{ type: 'text', text: parameterOf(message.text) }] }],
    },
  }
}

/** The agents' note when a reply was held back. */
export function windowClosedNote(closedAt: string): string {
  return (
    `The WhatsApp reply was not sent: the customer last wrote more than 24 hours ago (the window closed at ${closedAt}), ` +
    'and WhatsApp only delivers approved template messages after that. Set PARLEY_WHATSAPP_TEMPLATE ' +
    '(and PARLEY_WHATSAPP_TEMPLATE_LANGUAGE, default en) to an approved template with one body parameter, ' +
    'or wait for the customer to write again.'
  )
}
