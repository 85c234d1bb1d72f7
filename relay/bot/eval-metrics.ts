/**
 * Scoring of bot decisions against labelled cases (the `eval/*.jsonl` format): one result a
 * case, then the figures the bot is held to.
 */
import { z } from 'zod'
import type { Priority } from '../../shared/protocol.ts'
import type { BotDecision } from './types.ts'

const OutcomeSchema = z.enum(['answer', 'handoff', 'clarify', 'tool', 'decline'])

export const EvalCaseSchema = z.object({
  id: z.string(),
  message: z.string().min(1),
  group: z.enum(['answer', 'either', 'handoff', 'out-of-scope']),
  intent: z.string().optional(),
  accept: z.array(
    z.object({ outcome: OutcomeSchema, article: z.string().optional(), tool: z.string().optional() }),
  ),
  priority_at_least: z.enum(['urgent', 'high', 'normal', 'low']).optional(),
})
export type EvalCase = z.infer<typeof EvalCaseSchema>

export interface CaseResult {
  id: string
  outcome: BotDecision['outcome']
  sources: string[]
  tool?: string
  priority?: Priority
}

export function toCaseResult(id: string, decision: BotDecision): CaseResult {
  const result: CaseResult = { id, outcome: decision.outcome, sources: [] }
  if (decision.outcome === 'answer' || decision.outcome === 'tool')
    result.sources = decision.sources.map((s) => s.slug)
  if (decision.outcome === 'tool') result.tool = decision.tool
  if (decision.outcome === 'handoff') result.priority = decision.priority
  return result
}

const RANK: Record<Priority, number> = { low: 0, normal: 1, high: 2, urgent: 3 }

/** Whether a result is one of the case's accepted outcomes. */
export function isAccepted(c: EvalCase, r: CaseResult): boolean {
  return c.accept.some((a) => {
    if (a.outcome !== r.outcome) return false
    if (a.outcome === 'answer') return a.article !== undefined && r.sources.includes(a.article)
    if (a.outcome === 'tool') return a.tool === undefined || a.tool === r.tool
    return true
  })
}

function pct(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10
}

export interface EvalSummary {
  cases: number
  accepted: { count: number; pct: number }
  answerGroup: { cases: number; answeredWithAcceptableArticle: number; pct: number }
  answers: { count: number; wrongArticle: number; wrongPct: number }
  outOfScope: { cases: number; answered: number }
  handoffGroup: { cases: number; handedOff: number; pct: number }
  priority: { required: number; handedOff: number; meeting: number }
  outcomes: Record<string, number>
}

/** The figures: answer coverage, wrong answers, off-topic answers, handoffs and their priority. */
export function summarize(cases: EvalCase[], results: CaseResult[]): EvalSummary {
  const byId = new Map(results.map((r) => [r.id, r]))
  const pairs = cases.flatMap((c) => {
    const r = byId.get(c.id)
    return r ? [{ c, r }] : []
  })
  const answerGroup = pairs.filter((p) => p.c.group === 'answer')
  const answeredWell = answerGroup.filter((p) => p.r.outcome === 'answer' && isAccepted(p.c, p.r)).length
  const answers = pairs.filter((p) => p.r.outcome === 'answer')
  const wrong = answers.filter((p) => !isAccepted(p.c, p.r)).length
  const oos = pairs.filter((p) => p.c.group === 'out-of-scope')
  const handoffGroup = pairs.filter((p) => p.c.group === 'handoff')
  const handedOff = handoffGroup.filter((p) => p.r.outcome === 'handoff').length
  const required = pairs.filter((p) => p.c.priority_at_least !== undefined)
  const requiredHandedOff = required.filter((p) => p.r.outcome === 'handoff')
  const meeting = requiredHandedOff.filter(
    (p) => p.c.priority_at_least && p.r.priority && RANK[p.r.priority] >= RANK[p.c.priority_at_least],
  ).length
  const accepted = pairs.filter((p) => isAccepted(p.c, p.r)).length
  const outcomes: Record<string, number> = {}
  for (const p of pairs) outcomes[p.r.outcome] = (outcomes[p.r.outcome] ?? 0) + 1
  return {
    cases: pairs.length,
    accepted: { count: accepted, pct: pct(accepted, pairs.length) },
    answerGroup: {
      cases: answerGroup.length,
      answeredWithAcceptableArticle: answeredWell,
      pct: pct(answeredWell, answerGroup.length),
    },
    answers: { count: answers.length, wrongArticle: wrong, wrongPct: pct(wrong, answers.length) },
    outOfScope: { cases: oos.length, answered: oos.filter((p) => p.r.outcome === 'answer').length },
    handoffGroup: { cases: handoffGroup.length, handedOff, pct: pct(handedOff, handoffGroup.length) },
    priority: { required: required.length, handedOff: requiredHandedOff.length, meeting },
    outcomes,
  }
}

/** The summary as a few readable lines. */
export function formatSummary(s: EvalSummary): string {
  return [
    `cases: ${s.cases} (accepted outcome: ${s.accepted.count}, ${s.accepted.pct}%)`,
    `answer group answered with an acceptable article: ${s.answerGroup.answeredWithAcceptableArticle}/${s.answerGroup.cases} (${s.answerGroup.pct}%)`,
    `answers citing a wrong article: ${s.answers.wrongArticle}/${s.answers.count} (${s.answers.wrongPct}%)`,
    `out-of-scope answered: ${s.outOfScope.answered}/${s.outOfScope.cases}`,
    `handoff group handed off: ${s.handoffGroup.handedOff}/${s.handoffGroup.cases} (${s.handoffGroup.pct}%)`,
    `handoffs meeting priority_at_least: ${s.priority.meeting}/${s.priority.handedOff} handed off (${s.priority.required} cases with a requirement)`,
    `outcomes: ${Object.entries(s.outcomes)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  ].join('\n')
}
