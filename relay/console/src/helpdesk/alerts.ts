/**
 * Desktop notifications and sound, pure: the agent's setting as stored, what a relay notification
 * or a new shopper message says, and a gate so one event never rings twice (the relay's
 * `notification` and the console's own detection of the same message).
 */
import type { AgentNotification } from '../../../../shared/helpdesk.ts'
import type { ConversationSummary } from '../../../../shared/protocol.ts'

/** localStorage key of the setting. */
export const ALERTS_STORAGE_KEY = 'parley.console.alerts'

/** Stored as "on" / "off"; anything else (nothing stored yet) means on. */
export function readAlertsSetting(raw: string | null | undefined): boolean {
  return raw !== 'off'
}

export function writeAlertsSetting(on: boolean): string {
  return on ? 'on' : 'off'
}

export type AlertKind = AgentNotification['kind']

export interface Alert {
  kind: AlertKind
  conversationId: string
  /** The notification's body text (the relay's words, or the shopper's preview). */
  text: string
}

export function alertFromNotification(n: AgentNotification): Alert {
  return { kind: n.kind, conversationId: n.conversationId, text: n.text }
}

/**
 * A summary push that means the shopper wrote again in a conversation the agent owns: the
 * sequence moved on and the preview (the shopper's latest message) changed.
 */
export function shopperMessageAlert(
  held: ConversationSummary | undefined,
  next: ConversationSummary,
  selfId: string | null,
): Alert | null {
  if (!held || selfId === null) return null
  if (next.status !== 'assigned' || next.assignee?.id !== selfId) return null
  if (next.lastSeq <= held.lastSeq || next.preview === held.preview) return null
  return { kind: 'message', conversationId: next.id, text: next.preview }
}

/** When each (conversation, kind) last rang. */
export type AlertLog = Readonly<Record<string, number>>

/** Within this window the same kind of alert for the same conversation rings once. */
export const ALERT_DEDUPE_MS = 5000

/** Whether to ring now, and the log to keep; off means never. */
export function gateAlert(
  log: AlertLog,
  alert: Alert,
  now: number,
  enabled: boolean,
  windowMs = ALERT_DEDUPE_MS,
): { ring: boolean; log: AlertLog } {
  if (!enabled) return { ring: false, log }
  const key = `${alert.conversationId}|${alert.kind}`
  const last = log[key]
  if (last !== undefined && now - last < windowMs) return { ring: false, log }
  const next: Record<string, number> = {}
  for (const [k, at] of Object.entries(log)) if (now - at < windowMs) next[k] = at
  next[key] = now
  return { ring: true, log: next }
}
