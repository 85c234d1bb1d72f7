import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { type CaseResult, type EvalCase, type EvalSummary, isAccepted, summarize } from './eval-metrics.ts'

const run = promisify(execFile)
const ROOT = path.resolve(import.meta.dirname, '../..')
const CLI = path.join(ROOT, 'relay/bot/eval-cli.ts')
const TSX = path.join(ROOT, 'node_modules/.bin/tsx')

const cases: EvalCase[] = [
  { id: 'a1', message: 'returns?', group: 'answer', accept: [{ outcome: 'answer', article: 'returns' }] },
  {
    id: 'a2',
    message: 'refund?',
    group: 'answer',
    accept: [{ outcome: 'answer', article: 'refund-policy' }],
  },
  {
    id: 'h1',
    message: 'human',
    group: 'handoff',
    accept: [{ outcome: 'handoff' }],
    priority_at_least: 'high',
  },
  {
    id: 'o1',
    message: 'atm',
    group: 'out-of-scope',
    accept: [{ outcome: 'handoff' }, { outcome: 'decline' }],
  },
]

describe('summarize', () => {
  it('counts good answers, wrong articles, off-topic answers and handoff priorities', () => {
    const results: CaseResult[] = [
      { id: 'a1', outcome: 'answer', sources: ['returns'] },
      { id: 'a2', outcome: 'answer', sources: ['refund-status'] },
      { id: 'h1', outcome: 'handoff', sources: [], priority: 'normal' },
      { id: 'o1', outcome: 'decline', sources: [] },
    ]
    const s = summarize(cases, results)
    expect(s.answerGroup).toEqual({ cases: 2, answeredWithAcceptableArticle: 1, pct: 50 })
    expect(s.answers).toEqual({ count: 2, wrongArticle: 1, wrongPct: 50 })
    expect(s.outOfScope).toEqual({ cases: 1, answered: 0 })
    expect(s.handoffGroup).toEqual({ cases: 1, handedOff: 1, pct: 100 })
    expect(s.priority).toEqual({ required: 1, handedOff: 1, meeting: 0 })
  })

  it('accepts an answer only with an accepted article', () => {
    const c = cases[0] as EvalCase
    expect(isAccepted(c, { id: 'a1', outcome: 'answer', sources: ['returns'] })).toBe(true)
    expect(isAccepted(c, { id: 'a1', outcome: 'answer', sources: ['sizing'] })).toBe(false)
    expect(isAccepted(c, { id: 'a1', outcome: 'clarify', sources: [] })).toBe(false)
  })
})

describe('eval-cli', () => {
  it('exits non-zero with a clear message on bad arguments', async () => {
    const failure = await run(TSX, [CLI, '--kb'], { cwd: ROOT }).catch(
      (e: { code: number; stderr: string }) => e,
    )
    expect(failure).toMatchObject({ code: 2 })
    expect((failure as { stderr: string }).stderr).toMatch(/eval-cli: .*--kb/)
    const unknown = await run(TSX, [CLI, '--kb', 'x', '--cases', 'y', '--provider', 'gpt'], {
      cwd: ROOT,
    }).catch((e: { code: number; stderr: string }) => e)
    expect((unknown as { stderr: string }).stderr).toMatch(/unknown --provider "gpt"/)
    const missing = await run(TSX, [CLI, '--kb', 'no-such-dir', '--cases', 'no-such.jsonl'], {
      cwd: ROOT,
    }).catch((e: { code: number; stderr: string }) => e)
    expect(missing).toMatchObject({ code: 2 })
    expect((missing as { stderr: string }).stderr).toMatch(/--kb no-such-dir: no such file or directory/)
  })

  it('prints one JSON line per case and a summary meeting the quality targets on the dev set', async () => {
    const data = path.resolve(ROOT, '../shared/data')
    const { stdout } = await run(
      TSX,
      [CLI, '--kb', `${data}/kb`, '--cases', `${data}/eval/dev.jsonl`, '--json'],
      {
        cwd: ROOT,
      },
    )
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
    const { summary } = lines.pop() as { summary: EvalSummary }
    expect(lines).toHaveLength(330)
    expect(lines[0]).toEqual({
      id: expect.any(String),
      outcome: expect.any(String),
      sources: expect.any(Array),
    })
    expect(summary.answerGroup.pct).toBeGreaterThanOrEqual(75)
    expect(summary.answers.wrongPct).toBeLessThanOrEqual(3)
    expect(summary.outOfScope.answered).toBe(0)
    expect(summary.handoffGroup.handedOff).toBe(summary.handoffGroup.cases)
    expect(summary.priority.meeting).toBe(summary.priority.handedOff)
  })
})
