/**
 * Macros in the composer, pure: when the `/` palette is open and for what query, which macros
 * match it (best first), what fills a macro's placeholders, and which actions to apply after Send.
 */
import type { Macro } from '../../../../shared/helpdesk.ts'
import type { MacroContext } from '../../../../shared/macros.ts'
import type { ActionRequest } from '../../../../shared/policy.ts'
import type { ConversationSummary, Priority } from '../../../../shared/protocol.ts'

export type MacroActions = Macro['actions']

/** The palette's query while the composer holds only `/` and a word (`/ref`), else null. */
export function slashQuery(text: string): string | null {
  const m = /^\/([^\s/]*)$/.exec(text)
  return m ? (m[1] ?? '') : null
}

function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
}

/**
 * The macros matching a query, best first: name starts with it, a word of the name starts with
 * it, the name contains it, the body contains it. Every word of the query must match somewhere.
 */
export function filterMacros(macros: readonly Macro[], query: string): Macro[] {
  const words = fold(query)
    .split(/[\s-]+/)
    .filter(Boolean)
  if (words.length === 0) return [...macros].sort((a, b) => a.name.localeCompare(b.name))
  const scored: { macro: Macro; score: number }[] = []
  for (const macro of macros) {
    const name = fold(macro.name)
    const body = fold(macro.body)
    const nameWords = name.split(/[\s\-_/]+/)
    let score = 0
    let all = true
    for (const w of words) {
      if (name.startsWith(w)) score += 8
      else if (nameWords.some((n) => n.startsWith(w))) score += 4
      else if (name.includes(w)) score += 2
      else if (body.includes(w)) score += 1
      else all = false
    }
    if (all) scored.push({ macro, score })
  }
  return scored
    .sort((a, b) => b.score - a.score || a.macro.name.localeCompare(b.macro.name))
    .map((s) => s.macro)
}

/** Arrow keys in the palette: moves the active option, wrapping at both ends. */
export function movePalette(active: number, delta: number, length: number): number {
  if (length <= 0) return -1
  if (active < 0) return delta > 0 ? 0 : length - 1
  return (((active + delta) % length) + length) % length
}

const ORDER_PATTERNS = [
  /\border\s*(?:number|no\.?|#)?\s*[:#]?\s*([A-Z]{1,5}-?\d{3,})\b/i,
  /\border\s*(?:number|no\.?)?\s*[:#]?\s*#?(\d{3,})\b/i,
  /#([A-Z]{0,5}-?\d{3,})\b/i,
  /\b([A-Z]{2,5}-\d{3,})\b/,
]

/** An order number mentioned in the bot's handoff summary ("order TW-1001", "#4521"), if any. */
export function orderNumberIn(text: string | null | undefined): string | null {
  if (!text) return null
  for (const pattern of ORDER_PATTERNS) {
    const m = pattern.exec(text)
    if (m?.[1]) return m[1].toUpperCase()
  }
  return null
}

/** What fills the placeholders: the contact, the order the bot looked at (or the summary names), the agent. */
export function macroContext(
  conversation: Pick<ConversationSummary, 'contact' | 'handoffSummary'>,
  actions: readonly ActionRequest[],
  agentName: string,
): MacroContext {
  const fromAction = actions.find((a) => a.facts?.order?.number)?.facts?.order?.number ?? null
  const fromInput = actions
    .map((a) => a.input.orderNumber)
    .find((n): n is string => typeof n === 'string' && n.trim() !== '')
  return {
    contactName: conversation.contact.name,
    orderNumber: fromAction ?? fromInput ?? orderNumberIn(conversation.handoffSummary),
    agentName,
  }
}

/** Several macros inserted into one reply: tags add up, the last priority wins, any resolve resolves. */
export function mergeActions(held: MacroActions | null, added: MacroActions): MacroActions {
  const tags = [...new Set([...(held?.tags ?? []), ...(added.tags ?? [])])]
  const priority = added.priority ?? held?.priority
  const resolve = Boolean(held?.resolve || added.resolve)
  return {
    ...(tags.length > 0 && { tags }),
    ...(priority && { priority }),
    ...(resolve && { resolve: true }),
  }
}

/** Whether a macro's actions do anything at all. */
export function hasActions(actions: MacroActions | null | undefined): boolean {
  return Boolean(actions && ((actions.tags?.length ?? 0) > 0 || actions.priority || actions.resolve))
}

/** The `conversation:update` a macro's actions mean for this conversation, or null when nothing changes. */
export function updateFor(
  actions: MacroActions,
  conversation: Pick<ConversationSummary, 'priority' | 'tags'>,
): { priority?: Priority; tags?: string[] } | null {
  const held = conversation.tags ?? []
  const tags = [...new Set([...held, ...(actions.tags ?? []).map((t) => t.trim().toLowerCase())])]
  const update: { priority?: Priority; tags?: string[] } = {}
  if (tags.length !== held.length) update.tags = tags
  if (actions.priority && actions.priority !== conversation.priority) update.priority = actions.priority
  return Object.keys(update).length > 0 ? update : null
}
