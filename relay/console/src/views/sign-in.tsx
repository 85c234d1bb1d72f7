import { useState } from 'preact/hooks'
import type { AuthErrorSource, UiError } from '../store.ts'
import { useI18n } from './context.ts'

interface Props {
  busy: boolean
  error: UiError | null
  errorSource: AuthErrorSource | null
  onSubmit(email: string, password: string): void
}

/** The sign-in page: email and password, errors announced in an alert. */
export function SignIn({ busy, error, errorSource, onSubmit }: Props) {
  const { t, error: describe } = useI18n()
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')

  return (
    <main class="signin">
      <form
        class="signin-card"
        noValidate
        aria-labelledby="signin-title"
        onSubmit={(e) => {
          e.preventDefault()
          if (!busy) onSubmit(email, password)
        }}
      >
        <div class="brand brand--large" aria-hidden="true">
          <span class="brand-mark">P</span>
        </div>
        <h1 id="signin-title">{t('signIn.title')}</h1>
        <p class="muted">{t('signIn.subtitle')}</p>
        {error && (
          <div class="alert" role="alert">
            {describe(error, errorSource === 'session' ? 'session' : 'signIn')}
          </div>
        )}
        <label for="signin-email">{t('signIn.email')}</label>
        <input
          id="signin-email"
          name="email"
          type="email"
          autocomplete="username"
          value={email}
          onInput={(e) => setEmail(e.currentTarget.value)}
          required
          autofocus
        />
        <label for="signin-password">{t('signIn.password')}</label>
        <input
          id="signin-password"
          name="password"
          type="password"
          autocomplete="current-password"
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
          required
        />
        <button
          class="btn btn--primary btn--block signin-submit"
          type="submit"
          disabled={busy}
          aria-busy={busy}
        >
          {t('signIn.submit')}
        </button>
      </form>
    </main>
  )
}
