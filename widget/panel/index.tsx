/**
 * The chat panel, loaded by the loader on first open: `mount` renders it into the loader's
 * shadow root and returns the handle the loader drives it with.
 */
import { render } from 'preact'
import type { PanelHandle, PanelModule } from '../../shared/widget-api.ts'
import { App } from './app.tsx'
import { createChat } from './chat.ts'
import helpCss from './help.css?inline'
import { createHelp } from './help.ts'
import { english, loadStrings } from './i18n.ts'
import css from './panel.css?inline'
import { pageStorage } from './storage.ts'
import { createSocketTransport } from './transport.ts'

export const mount: PanelModule['mount'] = (root, options): PanelHandle => {
  const style = document.createElement('style')
  style.textContent = css + helpCss
  const container = document.createElement('div')
  root.append(style, container)

  const chat = createChat({
    site: options.site,
    storage: options.storage ?? pageStorage(),
    open: options.open,
    connect: (auth, sink) => createSocketTransport({ relayUrl: options.relayUrl, auth }, sink),
  })

  const help = createHelp({ kb: chat.kb })

  let strings = english
  let locale = 0
  let tag: string | undefined
  const draw = (): void =>
    render(
      <App
        chat={chat}
        help={help}
        t={strings}
        relayUrl={options.relayUrl}
        locale={tag}
        onClose={options.onClose}
      />,
      container,
    )
  const setLocale = (asked: string | undefined): void => {
    const request = ++locale
    void loadStrings(asked).then((next) => {
      // A later `locale` command wins over a slower earlier one.
      if (request !== locale || (next === strings && asked === tag)) return
      strings = next
      tag = asked
      draw()
    })
  }

  let unread = 0
  const unsubscribe = chat.store.subscribe(() => {
    const count = chat.store.getState().unread
    if (count !== unread) {
      unread = count
      options.onUnread?.(count)
    }
  })
  const onNetwork = (): void => chat.networkChanged(!navigator.onLine)
  window.addEventListener('online', onNetwork)
  window.addEventListener('offline', onNetwork)

  chat.start()
  chat.store.networkChanged(!navigator.onLine)
  draw()
  setLocale(options.locale || document.documentElement.lang || navigator.language)

  return {
    open: () => chat.store.opened(),
    close: () => chat.store.closed(),
    command(...call) {
      if (call[0] === 'identify') chat.identify(call[1])
      else if (call[0] === 'locale') setLocale(call[1])
    },
    destroy() {
      unsubscribe()
      window.removeEventListener('online', onNetwork)
      window.removeEventListener('offline', onNetwork)
      help.stop()
      chat.stop()
      render(null, container)
      container.remove()
      style.remove()
    },
  }
}
