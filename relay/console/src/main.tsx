/** Boots the console: locale, store, transport, controller, view, and the hash route. */
import { render } from 'preact'
import { createController } from './controller.ts'
import { routeFromHash } from './format.ts'
import { ALERTS_STORAGE_KEY, readAlertsSetting, writeAlertsSetting } from './helpdesk/alerts.ts'
import { createBrowserNotifier, unlockAudioOnGesture } from './helpdesk/notifier.ts'
import { createTranslator, type Messages, pickLocale } from './i18n.ts'
import en from './locales/en.json'
import { createSettingsApi } from './settings/api.ts'
import { createStore, initialState } from './store.ts'
import { createAuthApi, createSocketTransport } from './transport.ts'
import { App } from './views/app.tsx'
import { I18n } from './views/context.ts'
import './styles.css'
import './views/helpdesk.css'

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
  const storage = safeStorage()
  const store = createStore(initialState({ alerts: readAlertsSetting(storage?.getItem(ALERTS_STORAGE_KEY)) }))
  const notifier = createBrowserNotifier()
  const settings = createSettingsApi()
  const controller = createController({
    store,
    auth: createAuthApi(),
    openSocket: createSocketTransport,
    pageVisible: () => document.visibilityState === 'visible' && document.hasFocus(),
    alerts: {
      ring(alert) {
        notifier.beep()
        const title = translator.t(`alerts.kind.${alert.kind}`)
        notifier.show(title, alert.text, `${alert.conversationId}-${alert.kind}`, () => {
          location.hash = `#/c/${alert.conversationId}`
        })
      },
    },
    saveAlerts(on, agentId) {
      storage?.setItem(ALERTS_STORAGE_KEY, writeAlertsSetting(on))
      // The agent record keeps it across browsers too; the relay lets only admins edit agent records,
      // so for agents this browser's copy is the setting.
      if (store.getState().auth.agent?.role === 'admin')
        void settings.updateAgent(agentId, { notifications: on })
    },
  })
  unlockAudioOnGesture(notifier)

  render(
    <I18n.Provider value={translator}>
      <App store={store} controller={controller} notifier={notifier} />
    </I18n.Provider>,
    root,
  )

  window.addEventListener('hashchange', () => void controller.route(routeFromHash(location.hash)))
  await controller.start(routeFromHash(location.hash))
}

/** localStorage, or null where it is blocked (private modes, some embedded browsers). */
function safeStorage(): Storage | null {
  try {
    return window.localStorage
  } catch {
    return null
  }
}

const root = document.getElementById('app')
if (root) void boot(root)
