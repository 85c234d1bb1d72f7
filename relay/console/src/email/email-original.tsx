/**
 * What an email message carries beyond its stripped text: its attachments (downloads) and the full
 * original (every header we kept, the quoted history, the HTML). The HTML is shown only inside a
 * sandboxed frame with no scripts, no same-origin access and no network (remote images would tell
 * the sender the mail was opened), so a hostile mail cannot reach the console.
 */
import { useState } from 'preact/hooks'
import type { EmailAttachment, EmailOriginal } from '../../../../shared/email.ts'
import { fullTime } from '../format.ts'
import { useI18n } from '../views/context.ts'
import { Dialog } from '../views/dialog.tsx'
import { attachmentHref } from './api.ts'
import './email.css'

/** The CSP the HTML version is rendered under: inline styles and embedded images only. */
const FRAME_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:"

export function frameDocument(html: string): string {
  return `<!doctype html><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${FRAME_CSP}"><base target="_blank">${html}`
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`
}

function Attachments({
  conversationId,
  attachments,
}: {
  conversationId: string
  attachments: EmailAttachment[]
}) {
  const { t } = useI18n()
  return (
    <ul class="attachments" aria-label={t('email.attachments')}>
      {attachments.map((a) => (
        <li key={a.id} class="attachment">
          {a.stored ? (
            <a href={attachmentHref(conversationId, a.id)} download={a.filename}>
              {a.filename}
            </a>
          ) : (
            <span title={t('email.tooLarge')}>{a.filename}</span>
          )}
          <span class="muted"> · {formatSize(a.size)}</span>
          {!a.stored && <span class="muted"> · {t('email.notKept')}</span>}
        </li>
      ))}
    </ul>
  )
}

/** Under an email message in the transcript: attachments, an auto-reply label, "View original". */
export function EmailExtras({ conversationId, email }: { conversationId: string; email: EmailOriginal }) {
  const { t } = useI18n()
  const [open, setOpen] = useState(false)
  return (
    <div class="email-extras">
      {email.attachments.length > 0 && (
        <Attachments conversationId={conversationId} attachments={email.attachments} />
      )}
      {email.automatic && (
        <p class="muted email-automatic">{t('email.automatic', { reason: email.automatic })}</p>
      )}
      <button type="button" class="link-button email-original-open" onClick={() => setOpen(true)}>
        {t('email.viewOriginal')}
      </button>
      {open && (
        <OriginalDialog conversationId={conversationId} email={email} onClose={() => setOpen(false)} />
      )}
    </div>
  )
}

function OriginalDialog({
  conversationId,
  email,
  onClose,
}: {
  conversationId: string
  email: EmailOriginal
  onClose(): void
}) {
  const { t, locale } = useI18n()
  const [html, setHtml] = useState(false)
  return (
    <Dialog title={email.subject || t('email.noSubject')} onClose={onClose} class="email-original">
      <dl class="email-headers">
        <div>
          <dt>{t('email.from')}</dt>
          <dd>{email.from}</dd>
        </div>
        <div>
          <dt>{t('email.to')}</dt>
          <dd>{email.to.join(', ')}</dd>
        </div>
        <div>
          <dt>{t('email.date')}</dt>
          <dd>
            <time dateTime={email.at}>{fullTime(locale, email.at)}</time>
          </dd>
        </div>
        <div>
          <dt>{t('email.messageId')}</dt>
          <dd class="email-message-id">{email.messageId}</dd>
        </div>
      </dl>
      {email.html && (
        <fieldset class="email-view-switch">
          <legend class="visually-hidden">{t('email.version')}</legend>
          <button type="button" class="btn" aria-pressed={!html} onClick={() => setHtml(false)}>
            {t('email.text')}
          </button>
          <button type="button" class="btn" aria-pressed={html} onClick={() => setHtml(true)}>
            {t('email.html')}
          </button>
        </fieldset>
      )}
      {html && email.html ? (
        <iframe
          class="email-html"
          title={t('email.html')}
          sandbox=""
          referrerpolicy="no-referrer"
          srcdoc={frameDocument(email.html)}
        />
      ) : (
        <pre class="email-full-text">{email.fullText}</pre>
      )}
      {email.attachments.length > 0 && (
        <Attachments conversationId={conversationId} attachments={email.attachments} />
      )}
    </Dialog>
  )
}
