/**
 * Replay: how a proposed policy would have judged every action the bot asked for, from the facts
 * stored with each `action_requested` event (the order as it was, the ownership proof, the time).
 * Reads only; nothing is saved.
 */
import {
  ACTION_TYPES,
  type ActionMode,
  ActionRequestedDataSchema,
  type Policy,
  type ReplayItem,
  type ReplayResult,
} from '../../shared/policy.ts'
import type { AuditEvent } from '../../shared/protocol.ts'
import type { Store } from '../store/types.ts'
import { evaluateFacts } from './evaluate.ts'

export const MAX_REPLAY_CONVERSATIONS = 5000
export const MAX_REPLAY_ITEMS = 500

const zero = (): Record<ActionMode, number> => ({ execute: 0, suggest: 0, never: 0 })

/** Judges each past request again under `proposed` and sums up what changes. Pure. */
export function replayPolicy(
  proposed: Policy,
  events: readonly AuditEvent[],
  truncated = false,
): ReplayResult {
  const items: ReplayItem[] = []
  const before = zero()
  const after = zero()
  const summary = { newlyExecuted: 0, newlySuggested: 0, newlyRefused: 0 }
  for (const event of events) {
    if (event.type !== 'action_requested') continue
    const parsed = ActionRequestedDataSchema.safeParse(event.data)
    if (!parsed.success || !ACTION_TYPES.includes(parsed.data.type)) continue
    const data = parsed.data
    const verdict = evaluateFacts(proposed, data.type, data.facts)
    const changed = verdict.decision !== data.decision
    before[data.decision] += 1
    after[verdict.decision] += 1
    if (changed) {
      if (verdict.decision === 'execute') summary.newlyExecuted += 1
      else if (verdict.decision === 'suggest') summary.newlySuggested += 1
      else summary.newlyRefused += 1
    }
    items.push({
      eventId: event.id,
      conversationId: event.conversationId,
      actionId: data.actionId,
      at: event.at,
      type: data.type,
      input: data.input,
      before: { decision: data.decision, reason: data.reason, code: data.code },
      after: { decision: verdict.decision, reason: verdict.reason, code: verdict.code },
      changed,
    })
  }
  items.sort((a, b) => Number(b.changed) - Number(a.changed) || (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
  const changedCount = items.filter((i) => i.changed).length
  return {
    total: items.length,
    changed: changedCount,
    summary,
    counts: { before, after },
    items: items.slice(0, MAX_REPLAY_ITEMS),
    truncated: truncated || items.length > MAX_REPLAY_ITEMS,
  }
}

/** Every `action_requested` event of a site's most recent conversations. */
export async function siteActionEvents(
  store: Store,
  siteId: string,
  maxConversations = MAX_REPLAY_CONVERSATIONS,
): Promise<{ events: AuditEvent[]; truncated: boolean }> {
  const conversations = await store.listConversations({ siteIds: [siteId], limit: maxConversations + 1 })
  const truncated = conversations.length > maxConversations
  const events: AuditEvent[] = []
  for (const c of conversations.slice(0, maxConversations)) {
    for (const e of await store.listEvents(c.id)) if (e.type === 'action_requested') events.push(e)
  }
  return { events, truncated }
}
