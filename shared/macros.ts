/**
 * Macro placeholders, kept free of zod so the console can bundle them without the schema library.
 * `shared/helpdesk.ts` re-exports these; the relay and the console share one implementation.
 */

export interface MacroContext {
  contactName: string | null
  orderNumber: string | null
  agentName: string
}

/** The placeholders a macro body may use, in the order the console's cheat sheet lists them. */
export const MACRO_PLACEHOLDERS = ['{{contact.name}}', '{{order.number}}', '{{agent.name}}'] as const

const PLACEHOLDER = /\{\{\s*(contact\.name|order\.number|agent\.name)\s*\}\}/g

/** Fills a macro's placeholders; a value we do not know becomes a neutral word, never `{{…}}`. */
export function renderMacro(body: string, context: MacroContext): string {
  return body.replace(PLACEHOLDER, (_match, key: string) => {
    if (key === 'contact.name') return context.contactName?.trim() || 'there'
    if (key === 'order.number') return context.orderNumber?.trim() || 'your order'
    return context.agentName
  })
}
