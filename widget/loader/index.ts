/**
 * The script tag's loader: owns `window.parley`, draws the launcher in an open shadow root and
 * imports the chat panel (`widget/panel.js`, next to this file on the relay) on first open.
 * Framework-free and tiny on purpose: it runs on every page view of the store.
 */
import type {
  PanelCall,
  PanelHandle,
  PanelModule,
  ParleyApi,
  ParleyCall,
  StorageKey,
} from '../../shared/widget-api.ts'
import { loader as t } from '../locales/en.json'
import css from './launcher.css?inline'
import { installParley } from './queue.ts'

const script = (document.currentScript ??
  document.querySelector('script[data-site][src*="widget.js"]')) as HTMLScriptElement | null
const site = script?.dataset.site

if (!script || !site) console.error('parley: data-site missing')
else start(script, site)

function start(script: HTMLScriptElement, site: string): void {
  const base = new URL('.', script.src).href
  let open = false
  let handle: PanelHandle | undefined
  let loading: Promise<void> | undefined
  let attempts = 0
  let ui: ReturnType<typeof draw> | undefined
  const early: ParleyCall[] = []
  const forPanel: PanelCall[] = []

  const run = (call: ParleyCall): void => {
    if (!ui) {
      early.push(call)
      return
    }
    const [name] = call
    if (name === 'open' || name === 'close' || name === 'toggle') {
      setOpen(name === 'toggle' ? !open : name === 'open')
    } else if (handle) handle.command(...call)
    else forPanel.push(call)
  }

  if (!installParley(window as { parley?: ParleyApi }, run)) return

  const ready = (): void => {
    ui = draw()
    for (const call of early.splice(0)) run(call)
    if (!loading && hasConversation(site)) {
      // A returning shopper: connect in the background so replies arrive while they browse.
      const idle = window.requestIdleCallback ?? ((fn: () => void) => setTimeout(fn, 1500))
      idle(() => load())
    }
  }
  if (document.body) ready()
  else document.addEventListener('DOMContentLoaded', ready, { once: true })

  function setOpen(next: boolean): void {
    if (!ui) return
    open = next
    ui.host.toggleAttribute('data-open', next)
    ui.launcher.setAttribute('aria-label', next ? t.close : t.open)
    ui.launcher.setAttribute('aria-expanded', String(next))
    if (handle) {
      if (next) handle.open()
      else handle.close()
    } else if (next) {
      load()
    }
    showFrame(next && !handle ? (loading ? 'loading' : 'error') : null)
  }

  function load(): void {
    if (loading || handle) return
    // A failed module fetch can stay cached by URL, so a retry asks for a fresh one.
    const url = new URL(`widget/panel.js${attempts ? `?retry=${attempts}` : ''}`, base).href
    loading = import(/* @vite-ignore */ url)
      .then((mod: PanelModule) => {
        if (!ui) return
        handle = mod.mount(ui.root, {
          site,
          relayUrl: base,
          locale: script.dataset.locale,
          open,
          onClose: () => {
            setOpen(false)
            ui?.launcher.focus()
          },
          onUnread: (count) => {
            if (!ui) return
            ui.badge.hidden = count === 0
            ui.badge.textContent = String(count)
            ui.sr.textContent = count ? t.unread.replace('{count}', String(count)) : ''
          },
        })
        ui.host.setAttribute('data-ready', '')
        for (const call of forPanel.splice(0)) handle.command(...call)
        showFrame(null)
      })
      .catch((error: unknown) => {
        console.error('parley: panel failed', error)
        attempts++
        loading = undefined
        if (open) showFrame('error')
      })
  }

  function showFrame(kind: 'loading' | 'error' | null): void {
    if (!ui) return
    const { frame } = ui
    frame.hidden = !kind
    frame.textContent = ''
    if (kind === 'loading') {
      frame.setAttribute('role', 'status')
      frame.append(el('div', 'spin'), el('p', '', t.loading))
    } else if (kind === 'error') {
      frame.setAttribute('role', 'alert')
      const retry = el('button', '', t.retry)
      retry.type = 'button'
      retry.onclick = () => {
        load()
        showFrame('loading')
      }
      frame.append(el('p', '', t.loadFailed), retry)
    }
  }

  function draw() {
    const host = document.createElement('parley-widget')
    // Inline `all: initial` keeps the page's inherited fonts and colours out of the shadow tree.
    host.style.cssText = 'all:initial'
    const color = script.dataset.color
    if (color && CSS.supports('color', color)) host.style.setProperty('--parley-accent', color)
    const root = host.attachShadow({ mode: 'open' })
    const style = el('style', '', css)
    const launcher = el('button', 'launcher')
    launcher.type = 'button'
    launcher.setAttribute('aria-label', t.open)
    launcher.setAttribute('aria-expanded', 'false')
    launcher.setAttribute('aria-describedby', 'parley-unread')
    launcher.innerHTML =
      '<svg class="chat" viewBox="0 0 24 24" aria-hidden="true"><path d="M21 12a8 8 0 0 1-11.6 7.1L4 20.5l1.4-4.9A8 8 0 1 1 21 12Z"/></svg>' +
      '<svg class="x" viewBox="0 0 24 24" aria-hidden="true"><path d="M6 6l12 12M18 6 6 18"/></svg>'
    const badge = el('span', 'badge')
    badge.hidden = true
    badge.setAttribute('aria-hidden', 'true')
    const sr = el('span', 'sr')
    sr.id = 'parley-unread'
    launcher.append(badge, sr)
    launcher.onclick = () => setOpen(!open)
    const frame = el('div', 'frame')
    frame.hidden = true
    root.append(style, frame, launcher)
    document.body.append(host)
    return { host, root, launcher, badge, sr, frame }
  }
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  cls: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag)
  if (cls) node.className = cls
  if (text) node.textContent = text
  return node
}

/** The panel keeps its conversation cache under this key; its presence means a returning shopper. */
function hasConversation(site: string): boolean {
  const key: StorageKey = `parley:${site}:conversation`
  try {
    return localStorage.getItem(key) !== null
  } catch {
    return false
  }
}
