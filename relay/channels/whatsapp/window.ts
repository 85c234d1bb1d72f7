/**
 * WhatsApp's 24-hour customer-service window: a free-form message reaches the customer only within
 * 24 h of their last message (else the Graph API refuses it, error 131047). After that a reply goes
 * out as the configured approved template, its one body parameter carrying the reply's text, or not
 * at all; a text the Graph API refuses with 131047 is resent the same way (outbound.ts).
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
export async function replyContent(
  deps: { config: WhatsAppConfig; records: WhatsAppRecords; now: () => Date },
  conversationId: string,
  message: Message,
  body: string,
): Promise<ReplyContent | { closedAt: string }> {
  const endsAt = await deps.records.replyWindowEndsAt(conversationId)
  if (endsAt === null || deps.now().getTime() < Date.parse(endsAt))
    return { type: 'text', text: { preview_url: false, body } }
  return templateContent(deps.config, message) ?? { closedAt: endsAt }
}

/** The configured template carrying the reply's text, or null when none is configured. */
export function templateContent(config: WhatsAppConfig, message: Message): ReplyContent | null {
  const template = config.template
  if (!template) return null
  return {
    type: 'template',
    template: {
      name: template.name,
      language: { code: template.language },
      components: [{ type: 'body', parameters: [{ type: 'text', text: parameterOf(message.text) }] }],
    },
  }
}

/** The Graph API's error code for a free-form message outside the 24-hour window ("re-engagement message"). */
export const REENGAGEMENT_REQUIRED = 131047

/**
 * The agents' note when a reply was held back: `closedAt` when Parley's own record says the window
 * closed, null when WhatsApp refused the reply with `REENGAGEMENT_REQUIRED`.
 */
export function windowClosedNote(closedAt: string | null): string {
  const why = closedAt
    ? `the customer last wrote more than 24 hours ago (the window closed at ${closedAt})`
    : `WhatsApp refused it because the 24-hour window has closed (error ${REENGAGEMENT_REQUIRED}: the customer last wrote more than 24 hours ago)`
  return (
    `The WhatsApp reply was not sent: ${why}, ` +
    'and WhatsApp only delivers approved template messages after that. Set PARLEY_WHATSAPP_TEMPLATE ' +
    '(and PARLEY_WHATSAPP_TEMPLATE_LANGUAGE, default en) to an approved template with one body parameter, ' +
    'or wait for the customer to write again.'
  )
}
