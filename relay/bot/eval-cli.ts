/**
 * Runs labelled shopper messages through the bot and prints how it did.
 *   npx tsx relay/bot/eval-cli.ts --kb DIR --cases FILE [--json] [--provider local|anthropic]
 * Each case is the first shopper message of a fresh conversation. With --json: one JSON line per
 * case, then `{"summary":{…}}` (with `"usage":{…}` beside it for anthropic); without: the summary
 * as text. `--provider anthropic` needs ANTHROPIC_API_KEY (ANTHROPIC_BASE_URL and PARLEY_MODEL are
 * honoured) and prints the token and prompt-cache counters.
 */
import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { loadBotConfig } from '../config.ts'
import { loadArticlesFromDir } from '../kb/parse.ts'
import { type AnthropicProvider, createAnthropicProvider } from './anthropic-provider.ts'
import { BotEngine } from './engine.ts'
import {
  type CaseResult,
  type EvalCase,
  EvalCaseSchema,
  formatSummary,
  summarize,
  toCaseResult,
} from './eval-metrics.ts'
import { createLocalProvider } from './local-provider.ts'
import type { BotProvider } from './types.ts'

const USAGE = 'usage: eval-cli --kb DIR --cases FILE [--json] [--provider local|anthropic]'
const SITE = 'eval'

class UsageError extends Error {}

type ProviderName = 'local' | 'anthropic'

function parse(argv: string[]): { kb: string; cases: string; json: boolean; provider: ProviderName } {
  let values: { kb?: string; cases?: string; json?: boolean; provider?: string }
  try {
    ;({ values } = parseArgs({
      args: argv,
      options: {
        kb: { type: 'string' },
        cases: { type: 'string' },
        json: { type: 'boolean', default: false },
        provider: { type: 'string', default: 'local' },
      },
      strict: true,
      allowPositionals: false,
    }))
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error))
  }
  if (!values.kb) throw new UsageError('missing --kb DIR')
  if (!values.cases) throw new UsageError('missing --cases FILE')
  if (values.provider !== 'local' && values.provider !== 'anthropic')
    throw new UsageError(`unknown --provider "${values.provider}" (local or anthropic)`)
  return { kb: values.kb, cases: values.cases, json: values.json ?? false, provider: values.provider }
}

/** The provider asked for; anthropic reads its key, base URL and model as the relay does. */
function createProvider(name: ProviderName): { provider: BotProvider; anthropic: AnthropicProvider | null } {
  if (name === 'local') return { provider: createLocalProvider(), anthropic: null }
  let bot: ReturnType<typeof loadBotConfig>
  try {
    bot = loadBotConfig({ ...process.env, PARLEY_BOT_PROVIDER: 'anthropic' })
  } catch (error) {
    throw new UsageError(
      error instanceof Error && /ANTHROPIC_API_KEY/.test(error.message)
        ? '--provider anthropic needs ANTHROPIC_API_KEY in the environment'
        : String(error instanceof Error ? error.message : error),
    )
  }
  if (bot.provider !== 'anthropic') throw new UsageError('--provider anthropic needs ANTHROPIC_API_KEY')
  const anthropic = createAnthropicProvider({
    apiKey: bot.apiKey,
    model: bot.model,
    ...(bot.baseURL ? { baseURL: bot.baseURL } : {}),
  })
  return { provider: anthropic, anthropic }
}

function formatUsage(provider: AnthropicProvider): string {
  const s = provider.stats()
  const prompt = s.inputTokens + s.cacheCreationInputTokens + s.cacheReadInputTokens
  const hit = prompt === 0 ? 0 : Math.round((s.cacheReadInputTokens / prompt) * 1000) / 10
  return [
    `anthropic (${provider.model}): ${s.calls} calls, ${s.errors} failed`,
    `  input ${s.inputTokens}, output ${s.outputTokens} tokens`,
    `  prompt cache: ${s.cacheCreationInputTokens} written, ${s.cacheReadInputTokens} read (${hit} % of prompt tokens)`,
  ].join('\n')
}

/** Reads a file or directory named by an option; a missing one is a usage error, not a crash. */
async function readOption<T>(
  option: string,
  target: string,
  read: (target: string) => Promise<T>,
): Promise<T> {
  try {
    return await read(target)
  } catch (error) {
    if (error instanceof Error && 'code' in error && (error.code === 'ENOENT' || error.code === 'ENOTDIR'))
      throw new UsageError(`${option} ${target}: no such file or directory`)
    throw error
  }
}

function parseLine(line: string, where: string): unknown {
  try {
    return JSON.parse(line)
  } catch {
    throw new UsageError(`${where}: not JSON`)
  }
}

async function readCases(file: string): Promise<EvalCase[]> {
  const lines = (await readOption('--cases', file, (f) => readFile(f, 'utf8'))).split('\n')
  const cases: EvalCase[] = []
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue
    const parsed = EvalCaseSchema.safeParse(parseLine(line, `${file}:${i + 1}`))
    if (!parsed.success)
      throw new UsageError(`${file}:${i + 1}: not an eval case (${parsed.error.issues[0]?.message})`)
    cases.push(parsed.data)
  }
  return cases
}

async function main(argv: string[]): Promise<void> {
  const options = parse(argv)
  const articles = await readOption('--kb', options.kb, (dir) => loadArticlesFromDir(dir, SITE))
  const cases = await readCases(options.cases)
  const { provider, anthropic } = createProvider(options.provider)
  const engine = new BotEngine({
    provider,
    loadArticles: async () => articles,
    articleUrl: (article) => article.url ?? `/help/${article.slug}`,
  })
  const results: CaseResult[] = []
  for (const c of cases) {
    const decision = await engine.respond(
      { siteId: SITE, conversationId: `eval-${c.id}`, text: c.message, history: [], locale: 'en' },
      () => {},
    )
    const result = toCaseResult(c.id, decision)
    results.push(result)
    if (options.json) process.stdout.write(`${JSON.stringify(result)}\n`)
  }
  const summary = summarize(cases, results)
  if (options.json) {
    const usage = anthropic
      ? { provider: 'anthropic', model: anthropic.model, ...anthropic.stats() }
      : undefined
    process.stdout.write(`${JSON.stringify(usage ? { summary, usage } : { summary })}\n`)
  } else {
    process.stdout.write(`${formatSummary(summary)}\n`)
    if (anthropic) process.stdout.write(`${formatUsage(anthropic)}\n`)
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(`eval-cli: ${error.message}\n${USAGE}\n`)
    process.exitCode = 2
    return
  }
  process.stderr.write(`eval-cli: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
})
