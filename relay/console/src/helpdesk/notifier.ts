/**
 * The browser side of alerts: the desktop `Notification` (permission is asked for on a click,
 * never on load) and a short Web Audio beep, so no sound file has to be shipped.
 */

export type Permission = 'granted' | 'denied' | 'default' | 'unsupported'

export interface Notifier {
  permission(): Permission
  /** Call from a click: asks for permission and unlocks audio (browsers need a gesture for both). */
  enable(): Promise<Permission>
  /** A desktop notification when allowed; `onOpen` runs when the agent clicks it. */
  show(title: string, body: string, tag: string, onOpen: () => void): void
  beep(): void
  /** Creates or resumes the audio context; only works inside a user gesture. */
  unlockAudio(): void
}

type AudioContextCtor = typeof AudioContext

export function createBrowserNotifier(win: Window & typeof globalThis = window): Notifier {
  let audio: AudioContext | null = null
  const Ctor: AudioContextCtor | undefined =
    win.AudioContext ?? (win as unknown as { webkitAudioContext?: AudioContextCtor }).webkitAudioContext
  const supported = typeof win.Notification === 'function'

  const context = (): AudioContext | null => {
    if (!Ctor) return null
    audio ??= new Ctor()
    if (audio.state === 'suspended') void audio.resume().catch(() => {})
    return audio
  }

  return {
    permission: () => (supported ? (win.Notification.permission as Permission) : 'unsupported'),

    async enable() {
      context()
      if (!supported) return 'unsupported'
      if (win.Notification.permission !== 'default') return win.Notification.permission as Permission
      try {
        return (await win.Notification.requestPermission()) as Permission
      } catch {
        return 'denied'
      }
    },

    show(title, body, tag, onOpen) {
      if (!supported || win.Notification.permission !== 'granted') return
      try {
        const n = new win.Notification(title, { body, tag })
        n.onclick = () => {
          win.focus()
          onOpen()
          n.close()
        }
      } catch {
        // Some browsers only allow notifications from a service worker; the beep still rings.
      }
    },

    unlockAudio() {
      context()
    },

    beep() {
      const ctx = audio
      if (ctx?.state !== 'running') return
      const t = ctx.currentTime
      const gain = ctx.createGain()
      gain.gain.setValueAtTime(0.0001, t)
      gain.gain.exponentialRampToValueAtTime(0.12, t + 0.02)
      gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.35)
      gain.connect(ctx.destination)
      for (const [freq, start] of [
        [880, 0],
        [1320, 0.12],
      ] as const) {
        const osc = ctx.createOscillator()
        osc.type = 'sine'
        osc.frequency.setValueAtTime(freq, t + start)
        osc.connect(gain)
        osc.start(t + start)
        osc.stop(t + start + 0.22)
      }
    },
  }
}

/**
 * Browsers start audio suspended until the page gets a gesture: the first click or key press
 * anywhere unlocks the beep (this asks nothing of the agent; notification permission is separate).
 */
export function unlockAudioOnGesture(notifier: Notifier, target: EventTarget = window): void {
  const unlock = () => {
    target.removeEventListener('pointerdown', unlock)
    target.removeEventListener('keydown', unlock)
    notifier.unlockAudio()
  }
  target.addEventListener('pointerdown', unlock)
  target.addEventListener('keydown', unlock)
}
