/**
 * The contract between the widget's loader (`widget/loader`, the script tag) and its lazily
 * loaded panel (`widget/panel`). Types only: neither side imports the other, both import this,
 * and nothing here reaches a bundle.
 */

/** Commands of the page-facing `window.parley(name, ...args)` API and their arguments. */
export interface ParleyCommands {
  open: []
  close: []
  toggle: []
  /**
   * Tells the widget who the shopper is. `hash` is the HMAC the store's backend computes over
   * `userId` (or `email`) with the site secret; without it the relay must not link a contact.
   */
  identify: [identity: ParleyIdentity]
  /** Switches the panel's language (BCP 47 tag, e.g. `de` or `pt-BR`); English is the fallback. */
  locale: [locale: string]
}

export type ParleyCommandName = keyof ParleyCommands

/** One call as the queue stores it: the name followed by its arguments. */
export type ParleyCall = { [K in ParleyCommandName]: [K, ...ParleyCommands[K]] }[ParleyCommandName]

/** Commands the loader hands on to the panel (the others it handles itself). */
export type PanelCommandName = Exclude<ParleyCommandName, 'open' | 'close' | 'toggle'>
export type PanelCall = Extract<ParleyCall, [PanelCommandName, ...unknown[]]>

export interface ParleyIdentity {
  userId?: string
  email?: string
  name?: string
  /** Hex HMAC-SHA256 of the email (or user id) with the site's identity secret. */
  userHash?: string
  /** Older spelling of `userHash`. */
  hash?: string
}

/**
 * `window.parley`. Before the loader runs, the store's snippet may install a stub that pushes
 * `arguments` onto `q`; the loader replays `q` in order, then replaces the stub.
 */
export interface ParleyApi {
  <K extends ParleyCommandName>(name: K, ...args: ParleyCommands[K]): void
  q?: ArrayLike<unknown>[]
  /** Set by the loader once it owns `window.parley`: a second copy of the script stays inert. */
  loaded?: true
}

/** What `panel.js` exports. */
export interface PanelModule {
  mount(root: ShadowRoot, options: PanelOptions): PanelHandle
}

export interface PanelOptions {
  /** The site key from `data-site`. */
  site: string
  /** Base URL of the relay (where widget.js came from), with a trailing slash. */
  relayUrl: string
  /** Preferred language; the panel falls back to English for missing locales and strings. */
  locale?: string
  /** Open state when mounted (a panel preloaded for a returning shopper mounts closed). */
  open: boolean
  /** The shopper asked to close (header button, Escape); the loader owns open state and calls `close()`. */
  onClose(): void
  /** Messages from the bot or an agent that arrived while closed; 0 once opened. */
  onUnread?(count: number): void
  /** Storage for the token, the conversation cache and the outbox; default `localStorage`. */
  storage?: Storage
}

export interface PanelHandle {
  open(): void
  close(): void
  command(...call: PanelCall): void
  /** Closes the connection and removes the panel from the shadow root. */
  destroy(): void
}

/** localStorage keys, per site: `parley:<site>:token | conversation | outbox`. */
export type StorageKeyName = 'token' | 'conversation' | 'outbox'
export type StorageKey = `parley:${string}:${StorageKeyName}`
