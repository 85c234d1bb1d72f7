/**
 * The SLA form's draft, pure: the typed text of every target (empty = the default), each channel's
 * "business hours" switch and the near-breach share, to and from the site's `SlaPolicyConfig`.
 */
import type { Channel, Priority } from '../../../../shared/protocol.ts'
import { CHANNELS, PRIORITIES } from '../inbox.ts'
import type { SlaPolicy, SlaPolicyConfig } from './api.ts'
import { formatDuration, parseDuration } from './forms.ts'

export type TargetKey = 'firstResponseMs' | 'resolutionMs'
export const TARGET_KEYS: readonly TargetKey[] = ['firstResponseMs', 'resolutionMs']

export interface SlaDraft {
  /** `${channel}.${priority}.${target}` → what the admin typed. */
  targets: Record<string, string>
  businessHours: Record<Channel, boolean>
  /** Percent, as typed. */
  nearBreach: string
}

export const cellKey = (channel: Channel, priority: Priority, target: TargetKey) =>
  `${channel}.${priority}.${target}`

export function draftOf(config: SlaPolicyConfig): SlaDraft {
  const targets: Record<string, string> = {}
  const businessHours = {} as Record<Channel, boolean>
  for (const ch of CHANNELS) {
    const own = config.channels?.[ch]
    businessHours[ch] = own?.businessHours ?? config.businessHours ?? true
    for (const p of PRIORITIES)
      for (const k of TARGET_KEYS) {
        const ms = own?.targets?.[p]?.[k]
        targets[cellKey(ch, p, k)] = ms ? formatDuration(ms) : ''
      }
  }
  const ratio = config.nearBreachRatio
  return { targets, businessHours, nearBreach: ratio ? String(Math.round(ratio * 100)) : '' }
}

/** The default a cell shows as its placeholder: the complete policy's value. */
export function defaultOf(policy: SlaPolicy | undefined, ch: Channel, p: Priority, k: TargetKey): string {
  const ms = policy?.channels[ch]?.targets[p]?.[k]
  return ms ? formatDuration(ms) : ''
}

export interface DraftResult {
  config: SlaPolicyConfig | null
  /** Cells (or `nearBreach`) that could not be read. */
  invalid: string[]
}

/** Reads the draft back: only what was set is sent, the rest keeps the defaults. */
export function configOf(draft: SlaDraft): DraftResult {
  const invalid: string[] = []
  const channels: NonNullable<SlaPolicyConfig['channels']> = {}
  for (const ch of CHANNELS) {
    const targets: Partial<Record<Priority, { firstResponseMs?: number; resolutionMs?: number }>> = {}
    for (const p of PRIORITIES) {
      const cell: { firstResponseMs?: number; resolutionMs?: number } = {}
      for (const k of TARGET_KEYS) {
        const key = cellKey(ch, p, k)
        const ms = parseDuration(draft.targets[key] ?? '')
        if (ms === undefined || (ms !== null && ms < 1000)) invalid.push(key)
        else if (ms !== null) cell[k] = ms
      }
      if (Object.keys(cell).length > 0) targets[p] = cell
    }
    channels[ch] = {
      businessHours: draft.businessHours[ch],
      ...(Object.keys(targets).length > 0 && { targets }),
    }
  }
  let nearBreachRatio: number | undefined
  if (draft.nearBreach.trim() !== '') {
    const pct = Number(draft.nearBreach)
    if (!Number.isFinite(pct) || pct <= 0 || pct >= 100) invalid.push('nearBreach')
    else nearBreachRatio = pct / 100
  }
  if (invalid.length > 0) return { config: null, invalid }
  return { config: { ...(nearBreachRatio !== undefined && { nearBreachRatio }), channels }, invalid }
}
