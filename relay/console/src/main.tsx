/** Boots the console: locale, store, transport, controller, view, and the hash route. */
import { render } from 'preact'
import { createController } from './controller.ts'
import { routeFromHash } from './format.ts'
import { createTranslator, type Messages, pickLocale } from './i18n.ts'
import en from './locales/en.json'
import { createStore } from './store.ts'
import { createAuthApi, createSocketTransport } from './transport.ts'
import { App } from './views/app.tsx'
import { I18n } from './views/context.ts'
import './styles.css'

// Every locale but English is a lazy chunk; English is bundled as the fallback.
const locales = import.meta.glob<Messages>(['./locales/*.json', '!./locales/en.json'], { import: 'default' })

async function loadMessages(): Promise<{ locale: string; messages: Messages }> {
  const available = ['en', ...Object.keys(locales).map((p) => p.replace(/^.*\/(.+)\.json$/, '$1'))]
  const locale = pickLocale(navigator.languages ?? [navigator.language], available)
  const load = locales[`./locales/${locale}.json`]
  if (!load) return { locale: 'en', messages: en }
  try {
    return { locale, messages: await load() }
  } catch {
    return { locale: 'en', messages: en }
  }
}

async function boot(root: HTMLElement): Promise<void> {
  const { locale, messages } = await loadMessages()
  document.documentElement.lang = locale
  const translator = createTranslator(locale, messages, en)
  const store = createStore()
  const controller = createController({ store, auth: createAuthApi(), openSocket: createSocketTransport })

  render(
    <I18n.Provider value={translator}>
      <App store={store} controller={controller} />
    </I18n.Provider>,
    root,
  )

  window.addEventListener('hashchange', () => void controller.route(routeFromHash(location.hash)))
  await controller.start(routeFromHash(location.hash))
}

const root = document.getElementById('app')
if (root) void boot(root)
