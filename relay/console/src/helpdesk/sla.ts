/**
 * How a conversation's SLA reads in the console: the due instant, the time left on the wall clock
 * (so a breach flips exactly at the due time without a push), and the state to highlight.
 */
import type { SlaState, SlaSummary } from '../../../../shared/protocol.ts'

export interface SlaView {
  /** The instant the next target is due; null once met with nothing left to meet. */
  dueAt: string | null
  state: SlaState
  /** Milliseconds to `dueAt` (negative once past); null without a due time. */
  leftMs: number | null
}

/** Null while the bot handles it (no clock yet) or when the relay sent no SLA. */
export function slaView(sla: SlaSummary | null | undefined, now: number): SlaView | null {
  if (!sla) return null
  if (sla.state === 'met') return { dueAt: sla.dueAt, state: 'met', leftMs: null }
  // Resolved late: nothing is due any more, the result stays.
  if (!sla.dueAt) return sla.state === 'breached' ? { dueAt: null, state: 'breached', leftMs: null } : null
  const due = Date.parse(sla.dueAt)
  if (Number.isNaN(due)) return null
  const leftMs = due - now
  const state: SlaState = leftMs <= 0 || sla.state === 'breached' ? 'breached' : sla.state
  return { dueAt: sla.dueAt, state, leftMs }
}

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/** "45s", "4m", "1h 20m", "2d 3h": compact, largest two units at most, never "0m". */
export function shortDuration(ms: number): string {
  const abs = Math.abs(ms)
  if (abs < MINUTE) return `${Math.max(1, Math.round(abs / 1000))}s`
  if (abs < HOUR) return `${Math.floor(abs / MINUTE)}m`
  if (abs < DAY) {
    const h = Math.floor(abs / HOUR)
    const m = Math.floor((abs % HOUR) / MINUTE)
    return m > 0 ? `${h}h ${m}m` : `${h}h`
  }
  const d = Math.floor(abs / DAY)
  const h = Math.floor((abs % DAY) / HOUR)
  return h > 0 ? `${d}d ${h}h` : `${d}d`
}

/** Which sentence describes the time left: the view fills `{time}` with `shortDuration`. */
export function slaPhrase(view: SlaView): 'left' | 'breachedAgo' | 'breached' | 'met' {
  if (view.state === 'met') return 'met'
  if (view.leftMs === null) return 'breached'
  return view.leftMs <= 0 ? 'breachedAgo' : 'left'
}
