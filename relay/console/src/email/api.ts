/** The email channel's agent routes: a conversation's originals, their attachments, the demo outbox. */
import type { EmailThreadView, OutboxMail } from '../../../../shared/email.ts'
import { sendJson } from '../http.ts'
import type { Reply } from '../transport.ts'

export function emailThread(
  conversationId: string,
  fetchImpl: typeof fetch = fetch,
): Promise<Reply<EmailThreadView>> {
  return sendJson(fetchImpl, 'GET', `/api/email/conversations/${encodeURIComponent(conversationId)}`)
}

export function attachmentHref(conversationId: string, attachmentId: string): string {
  return `/api/email/conversations/${encodeURIComponent(conversationId)}/attachments/${encodeURIComponent(attachmentId)}`
}

export function outbox(fetchImpl: typeof fetch = fetch): Promise<Reply<{ messages: OutboxMail[] }>> {
  return sendJson(fetchImpl, 'GET', '/api/dev/outbox')
}
