/**
 * Runs the model's tool calls through the relay's tools (`input.tools`, policy-checked) and keeps
 * what this reply may cite: the passages search_knowledge returned and the sources of tool
 * results. The model's input is validated here; it never reaches a tool unchecked.
 */
import { z } from 'zod'
import type { Source } from '../../../shared/protocol.ts'
import { markdownToText } from '../markdown.ts'
import type { HandoffReason, ProviderInput, ToolResult } from '../types.ts'

/** Passages per search, and the most text of an article the model is given. */
const SEARCH_LIMIT = 3
const PASSAGE_CHARS = 1800

const SearchInput = z.object({ query: z.string().trim().min(1).max(500) })
const OrderInput = z.object({
  order_number: z.string().trim().min(1).max(64),
  email: z.string().trim().max(254).optional(),
})
const ActionInputSchema = OrderInput.extend({
  type: z.enum(['refund', 'replacement', 'cancel', 'address_change']),
  amount: z.number().nonnegative().optional(),
  reason: z.string().trim().min(1).max(1000),
  details: z.record(z.string(), z.unknown()).optional(),
})
const HandoffInput = z.object({
  reason: z
    .enum(['requested_human', 'no_answer', 'low_confidence', 'sensitive_topic'])
    .catch('low_confidence'),
  summary: z.string().trim().max(1000).catch(''),
})

/** Something this reply may cite, and where it came from. */
export interface Citable {
  source: Source
  /** Articles: the retrieval confidence. */
  confidence?: number
  /** Tool results: the action it came from ('order_lookup', 'refund'…), for the `tool` outcome. */
  tool?: string
}

export type ToolOutcome =
  | { kind: 'result'; content: string; isError: boolean; output: unknown }
  | { kind: 'handoff'; reason: HandoffReason; summary: string }

function invalid(error: z.ZodError): ToolOutcome {
  const issue = error.issues[0]
  const message = `invalid input: ${issue?.path.join('.') || 'input'} ${issue?.message ?? ''}`.trim()
  const output = { ok: false, code: 'invalid', error: message }
  return { kind: 'result', content: JSON.stringify(output), isError: true, output }
}

/** The tool result as the model sees it: data and citable slugs, or the error. */
function fromToolResult(result: ToolResult & { action?: { status: string; reason: string } }): ToolOutcome {
  if (!result.ok) {
    const output = { ok: false, code: result.code, error: result.error }
    return { kind: 'result', content: JSON.stringify(output), isError: true, output }
  }
  const output = {
    ok: true,
    data: result.data,
    ...(result.action ? { action: { status: result.action.status, reason: result.action.reason } } : {}),
    sources: result.sources.map((s) => ({ slug: s.slug, title: s.title })),
  }
  return { kind: 'result', content: JSON.stringify(output), isError: false, output }
}

/** One reply's tool executor. `citable` grows as tools return things the answer may cite. */
export function createToolRunner(input: ProviderInput) {
  const citable = new Map<string, Citable>()

  const remember = (sources: Source[], tool: string) => {
    for (const source of sources) if (!citable.has(source.slug)) citable.set(source.slug, { source, tool })
  }

  const search = (raw: unknown): ToolOutcome => {
    const parsed = SearchInput.safeParse(raw)
    if (!parsed.success) return invalid(parsed.error)
    // Belt and braces: the retriever only indexes verified articles, and only those are ever passed on.
    const hits = input.tools
      .searchKnowledge(parsed.data.query, SEARCH_LIMIT)
      .filter((h) => h.article.verified && h.article.siteId === input.siteId)
    const passages = hits.map((hit) => {
      const { article } = hit
      const previous = citable.get(article.slug)?.confidence ?? 0
      citable.set(article.slug, {
        source: { slug: article.slug, title: article.title, url: input.articleUrl(article) },
        confidence: Math.max(previous, hit.confidence),
      })
      const text = markdownToText(article.body)
      return {
        slug: article.slug,
        title: article.title,
        relevance: Math.round(hit.confidence * 100) / 100,
        text: text.length > PASSAGE_CHARS ? `${text.slice(0, PASSAGE_CHARS)}…` : text,
      }
    })
    const output =
      passages.length > 0
        ? { passages }
        : { passages, note: 'No verified article matches. Do not answer from memory: hand off.' }
    return { kind: 'result', content: JSON.stringify(output), isError: false, output }
  }

  return {
    citable,
    async run(name: string, raw: unknown): Promise<ToolOutcome> {
      switch (name) {
        case 'search_knowledge':
          return search(raw)
        case 'lookup_order': {
          const parsed = OrderInput.safeParse(raw)
          if (!parsed.success) return invalid(parsed.error)
          const result = await input.tools.lookupOrder({
            orderNumber: parsed.data.order_number,
            ...(parsed.data.email ? { email: parsed.data.email } : {}),
          })
          if (result.ok) remember(result.sources, 'order_lookup')
          return fromToolResult(result)
        }
        case 'request_action': {
          const parsed = ActionInputSchema.safeParse(raw)
          if (!parsed.success) return invalid(parsed.error)
          const { order_number, email, type, amount, reason, details } = parsed.data
          const result = await input.tools.requestAction({
            type,
            orderNumber: order_number,
            reason,
            ...(email ? { email } : {}),
            ...(amount !== undefined ? { amount } : {}),
            ...(details ? { details } : {}),
          })
          if (result.ok) remember(result.sources, type)
          return fromToolResult(result)
        }
        case 'handoff_to_human': {
          const parsed = HandoffInput.parse(typeof raw === 'object' && raw !== null ? raw : {})
          return { kind: 'handoff', reason: parsed.reason, summary: parsed.summary }
        }
        default: {
          const output = { ok: false, code: 'invalid', error: `no tool named ${name}` }
          return { kind: 'result', content: JSON.stringify(output), isError: true, output }
        }
      }
    },
  }
}
