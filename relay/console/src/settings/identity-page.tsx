/**
 * Settings → Widget security: identity verification for the site. The admin generates the secret
 * (shown once, to paste into the store's backend), sees how to compute `userHash`, and can require a
 * verified identity, so only shoppers the store signed in can chat.
 */
import { useState } from 'preact/hooks'
import { type Method, sendJson } from '../http.ts'
import type { Reply } from '../transport.ts'
import { useI18n } from '../views/context.ts'
import { useRemote } from './use-remote.ts'

export interface IdentitySettings {
  enabled: boolean
  secretEnding: string | null
  requireIdentity: boolean
}

const path = (siteId: string, rest = '') => `/api/sites/${encodeURIComponent(siteId)}/identity${rest}`
const call = <T,>(method: Method, url: string, body?: unknown): Promise<Reply<T>> =>
  sendJson<T>(fetch, method, url, body)

export function IdentityPage({ siteId }: { siteId: string }) {
  const { t, error: describe } = useI18n()
  const remote = useRemote(() => call<IdentitySettings>('GET', path(siteId)), [siteId])
  const [secret, setSecret] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  /** The box as the admin just set it, until the relay answered (then its answer is shown). */
  const [pending, setPending] = useState<boolean | null>(null)
  const [message, setMessage] = useState<{ kind: 'alert' | 'status'; text: string } | null>(null)
  const settings = remote.data

  async function generate(): Promise<void> {
    if (settings?.enabled && !confirm(t('settings.identity.rotateConfirm'))) return
    setBusy(true)
    const reply = await call<IdentitySettings & { secret: string }>('POST', path(siteId, '/secret'))
    setBusy(false)
    if (reply.ok) {
      const { secret: created, ...rest } = reply.data
      remote.set(rest)
      setSecret(created)
      setMessage({ kind: 'status', text: t('settings.identity.generated') })
    } else setMessage({ kind: 'alert', text: describe(reply.error) })
  }

  async function setRequired(requireIdentity: boolean): Promise<void> {
    setBusy(true)
    setPending(requireIdentity)
    const reply = await call<IdentitySettings>('PUT', path(siteId), { requireIdentity })
    setBusy(false)
    setPending(null)
    if (reply.ok) {
      remote.set(reply.data)
      setMessage({ kind: 'status', text: t('settings.saved') })
    } else setMessage({ kind: 'alert', text: describe(reply.error) })
  }

  return (
    <section class="settings-section" aria-labelledby="identity-title">
      <header class="settings-head">
        <div>
          <h1 id="identity-title">{t('settings.identity.title')}</h1>
          <p class="muted">{t('settings.identity.intro')}</p>
        </div>
      </header>
      {remote.error && (
        <p role="alert" class="form-error">
          {describe(remote.error)}
        </p>
      )}
      {!settings ? (
        !remote.error && <p class="muted">{t('kb.loading')}</p>
      ) : (
        <div class="card identity-card">
          <p class="identity-state">
            {settings.enabled
              ? t('settings.identity.on', { ending: settings.secretEnding ?? '' })
              : t('settings.identity.off')}
          </p>
          <button type="button" class="btn identity-generate" disabled={busy} onClick={() => void generate()}>
            {settings.enabled ? t('settings.identity.rotate') : t('settings.identity.generate')}
          </button>
          {secret && (
            <div class="identity-secret">
              <label>
                <span>{t('settings.identity.secretLabel')}</span>
                <input readOnly value={secret} onFocus={(e) => e.currentTarget.select()} />
              </label>
              <p class="muted">{t('settings.identity.secretOnce')}</p>
            </div>
          )}
          <p class="muted">{t('settings.identity.how')}</p>
          <pre class="identity-snippet">
            {`// Node, on your server — never in the browser
const userHash = crypto.createHmac('sha256', PARLEY_IDENTITY_SECRET)
  .update(customer.email.toLowerCase()).digest('hex')

// In the page, for a signed-in customer
parley('identify', { email, name, userHash })`}
          </pre>
          <label class="identity-require">
            <input
              type="checkbox"
              checked={pending ?? settings.requireIdentity}
              disabled={busy || !settings.enabled}
              onChange={(e) => void setRequired(e.currentTarget.checked)}
            />
            <span>{t('settings.identity.require')}</span>
          </label>
          <p class="muted">{t('settings.identity.requireHint')}</p>
        </div>
      )}
      {message && (
        <p role={message.kind} class={message.kind === 'alert' ? 'form-error' : 'form-ok'}>
          {message.text}
        </p>
      )}
    </section>
  )
}
