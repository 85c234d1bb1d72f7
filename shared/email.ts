/**
 * The email channel on the wire, for agents: a conversation's emails as received and sent (the
 * full original beside the stripped text the transcript shows) and the demo outbox. Types only.
 */

export interface EmailAttachment {
  id: string
  filename: string
  contentType: string
  size: number
  /** False when it was over the size limit: only its name and size were kept. */
  stored: boolean
}

export interface EmailOriginal {
  direction: 'in' | 'out'
  messageId: string
  from: string
  to: string[]
  subject: string
  /** The whole text, quoted history and signature included. */
  fullText: string
  html: string | null
  attachments: EmailAttachment[]
  /** Why it was treated as an auto-reply or bounce (inbound only). */
  automatic: string | null
  at: string
}

/** `GET /api/email/conversations/:id`: by the id of the stored conversation message. */
export interface EmailThreadView {
  subject: string | null
  messages: Record<string, EmailOriginal>
}

/** One mail of the demo outbox (`GET /api/dev/outbox`), newest first. */
export interface OutboxMail {
  file: string
  size: number
  from: string
  to: string
  subject: string
  date: string | null
  text: string
  /** The exact bytes as an SMTP server would have received them. */
  raw: string
}
