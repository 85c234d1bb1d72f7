/**
 * The demo's outbox (Settings → Outbox, admins): without `PARLEY_SMTP_URL` the relay writes every
 * outgoing mail here instead of sending it, so a store owner trying Parley sees exactly what a
 * customer would have received. With SMTP configured the relay answers not_found and the page says so.
 */
import { useEffect, useState } from 'preact/hooks'
import type { OutboxMail } from '../../../../shared/email.ts'
import { fullTime } from '../format.ts'
import { useI18n } from '../views/context.ts'
import { outbox } from './api.ts'
import './email.css'

export function OutboxPage({ load = outbox }: { load?: typeof outbox }) {
  const { t, locale, error: describe } = useI18n()
  const [mails, setMails] = useState<OutboxMail[] | null>(null)
  const [state, setState] = useState<'loading' | 'ready' | 'smtp' | 'failed'>('loading')
  const [failure, setFailure] = useState<string | null>(null)
  const [round, setRound] = useState(0)

  useEffect(() => {
    void round
    let stale = false
    void load().then((reply) => {
      if (stale) return
      if (reply.ok) {
        setMails(reply.data.messages)
        setState('ready')
      } else if (reply.error.code === 'not_found') setState('smtp')
      else {
        setFailure(describe(reply.error))
        setState('failed')
      }
    })
    return () => {
      stale = true
    }
  }, [load, describe, round])

  return (
    <section class="settings-section" aria-labelledby="outbox-title">
      <header class="settings-head">
        <div>
          <h1 id="outbox-title">{t('outbox.title')}</h1>
          <p class="muted">{t('outbox.intro')}</p>
        </div>
        <button type="button" class="btn" onClick={() => setRound((n) => n + 1)}>
          {t('outbox.refresh')}
        </button>
      </header>
      {state === 'loading' && <p class="muted">{t('kb.loading')}</p>}
      {state === 'smtp' && <p class="muted">{t('outbox.smtp')}</p>}
      {state === 'failed' && <p role="alert">{failure}</p>}
      {state === 'ready' && mails?.length === 0 && <p class="muted">{t('outbox.empty')}</p>}
      {state === 'ready' && mails && mails.length > 0 && (
        <ol class="outbox-list">
          {mails.map((m) => (
            <li key={m.file} class="outbox-mail">
              <details>
                <summary>
                  <span class="outbox-subject">{m.subject || t('email.noSubject')}</span>
                  <span>{t('outbox.to', { to: m.to })}</span>
                  {m.date && (
                    <time class="muted" dateTime={m.date}>
                      {fullTime(locale, m.date)}
                    </time>
                  )}
                </summary>
                <p class="muted">{t('outbox.from', { from: m.from })}</p>
                <pre>{m.text}</pre>
              </details>
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}
