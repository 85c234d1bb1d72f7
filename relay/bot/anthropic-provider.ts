/**
 * The `anthropic` provider: Claude through `@anthropic-ai/sdk` (the only module of the relay that
 * imports it), streaming, with the relay's tools and a cached prompt prefix. It only proposes a
 * decision; the engine still runs escalation before it and grounding checks after it.
 *
 * One reply: model → tool calls → tool results → model…, at most `maxToolRounds` rounds. The
 * answer must end with `<sources>slug,…</sources>` naming passages or tool results of this reply;
 * the marker is stripped from what streams and from the final text. Any failure (timeout, 429,
 * 5xx/529, a broken stream, a refusal, an abort) throws, and the engine hands off honestly.
 */
import Anthropic, { APIConnectionTimeoutError, APIError } from '@anthropic-ai/sdk'
import type {
  ContentBlock,
  ContentBlockParam,
  Message,
  MessageCreateParamsBase,
  MessageParam,
  ToolResultBlockParam,
} from '@anthropic-ai/sdk/resources/messages'
import { ASK_MARKER, conversationMessages, systemBlocks, toolDefinitions } from './anthropic/prompt.ts'
import { createMarkerFilter, parseReply } from './anthropic/sources-marker.ts'
import { createToolRunner } from './anthropic/tool-runner.ts'
import type { BotDecision, BotEvent, BotProvider, HandoffReason, ProviderInput, Signals } from './types.ts'

export const DEFAULT_ANTHROPIC_MODEL = 'claude-haiku-4-5'
const DEFAULT_TIMEOUT_MS = 12_000
const DEFAULT_MAX_TOKENS = 1024
const DEFAULT_MAX_TOOL_ROUNDS = 4
const DEFAULT_MAX_RETRIES = 1
/** A clarifying question states no facts, so it may go without sources, but only a short question. */
const MAX_CLARIFY_CHARS = 400

export interface AnthropicProviderOptions {
  apiKey: string
  /** Defaults to what the SDK reads (`ANTHROPIC_BASE_URL`, else the public API). */
  baseURL?: string
  model: string
  maxTokens?: number
  /** Per model call: no response, or no streamed event, for this long → fail (default 12 s). */
  timeoutMs?: number
  maxToolRounds?: number
  /** SDK retries of a failed request (429, 5xx, connection errors); default 1. */
  maxRetries?: number
  /** A site's own notes for the assistant, placed in the cached system prompt. */
  policyText?: (siteId: string) => string | undefined
}

export interface AnthropicUsageStats {
  /** Model calls that returned a message. */
  calls: number
  /** Model calls that failed. */
  errors: number
  inputTokens: number
  outputTokens: number
  cacheCreationInputTokens: number
  cacheReadInputTokens: number
}

export interface AnthropicProvider extends BotProvider {
  readonly name: 'anthropic'
  readonly model: string
  /** Token counters since start-up, cache writes and reads included. */
  stats(): AnthropicUsageStats
}

export type AnthropicFailure =
  | 'timeout'
  | 'rate_limited'
  | 'overloaded'
  | 'server_error'
  | 'api_error'
  | 'connection'
  | 'broken_stream'
  | 'refusal'
  | 'aborted'

/** Why a model call failed; the engine turns any of them into a `provider_error` handoff. */
export class AnthropicProviderError extends Error {
  readonly kind: AnthropicFailure
  constructor(kind: AnthropicFailure, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause })
    this.name = 'AnthropicProviderError'
    this.kind = kind
  }
}

function classify(error: unknown): AnthropicProviderError {
  if (error instanceof AnthropicProviderError) return error
  if (error instanceof APIConnectionTimeoutError)
    return new AnthropicProviderError('timeout', 'the model did not answer in time', error)
  if (error instanceof APIError) {
    const status = error.status
    const type = (error.error as { error?: { type?: string } } | undefined)?.error?.type
    if (status === 429 || type === 'rate_limit_error')
      return new AnthropicProviderError('rate_limited', 'rate limited by the model API', error)
    if (status === 529 || type === 'overloaded_error')
      return new AnthropicProviderError('overloaded', 'the model API is overloaded', error)
    if ((status !== undefined && status >= 500) || type === 'api_error')
      return new AnthropicProviderError('server_error', `the model API failed (${status ?? type})`, error)
    if (status === undefined)
      return new AnthropicProviderError(
        'connection',
        `could not reach the model API: ${error.message}`,
        error,
      )
    return new AnthropicProviderError('api_error', `the model API refused the request (${status})`, error)
  }
  const message = error instanceof Error ? error.message : String(error)
  return new AnthropicProviderError('broken_stream', `the model's stream broke: ${message}`, error)
}

/** The assistant turn as it is sent back with the tool results (empty text blocks are not allowed). */
function assistantContent(content: ContentBlock[]): ContentBlockParam[] {
  const out: ContentBlockParam[] = []
  for (const block of content) {
    if (block.type === 'text' && block.text.trim() !== '') out.push({ type: 'text', text: block.text })
    else if (block.type === 'tool_use')
      out.push({ type: 'tool_use', id: block.id, name: block.name, input: block.input })
  }
  return out
}

function textOf(message: Message): string {
  return message.content.map((block) => (block.type === 'text' ? block.text : '')).join('')
}

/** Creates the provider; the SDK client is created once and reused by every turn. */
export function createAnthropicProvider(options: AnthropicProviderOptions): AnthropicProvider {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const maxToolRounds = options.maxToolRounds ?? DEFAULT_MAX_TOOL_ROUNDS
  const client = new Anthropic({
    apiKey: options.apiKey,
    ...(options.baseURL ? { baseURL: options.baseURL } : {}),
    timeout: timeoutMs,
    maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
  })
  const usage: AnthropicUsageStats = {
    calls: 0,
    errors: 0,
    inputTokens: 0,
    outputTokens: 0,
    cacheCreationInputTokens: 0,
    cacheReadInputTokens: 0,
  }

  /** One streamed model call; fails when nothing arrives for `timeoutMs` or `signal` aborts. */
  async function call(
    params: MessageCreateParamsBase,
    signal: AbortSignal,
    onText: (delta: string) => void,
  ): Promise<Message> {
    signal.throwIfAborted()
    const controller = new AbortController()
    const relayAbort = () => controller.abort(signal.reason)
    signal.addEventListener('abort', relayAbort, { once: true })
    let stalled = false
    let timer: ReturnType<typeof setTimeout> | undefined
    // The SDK's own timeout only covers waiting for headers; this one also covers a stream that stops.
    const arm = () => {
      clearTimeout(timer)
      timer = setTimeout(() => {
        stalled = true
        controller.abort()
      }, timeoutMs)
    }
    arm()
    try {
      const stream = client.messages.stream(params, { signal: controller.signal })
      stream.on('connect', arm)
      stream.on('streamEvent', arm)
      stream.on('text', (delta) => onText(delta))
      const message = await stream.finalMessage()
      usage.calls += 1
      usage.inputTokens += message.usage.input_tokens
      usage.outputTokens += message.usage.output_tokens
      usage.cacheCreationInputTokens += message.usage.cache_creation_input_tokens ?? 0
      usage.cacheReadInputTokens += message.usage.cache_read_input_tokens ?? 0
      return message
    } catch (error) {
      usage.errors += 1
      if (signal.aborted)
        throw new AnthropicProviderError('aborted', 'the reply was cancelled', signal.reason)
      if (stalled)
        throw new AnthropicProviderError('timeout', `no answer from the model for ${timeoutMs} ms`, error)
      throw classify(error)
    } finally {
      clearTimeout(timer)
      signal.removeEventListener('abort', relayAbort)
    }
  }

  async function respond(
    input: ProviderInput,
    emit: (event: BotEvent) => void,
    signal: AbortSignal,
  ): Promise<BotDecision> {
    signal.throwIfAborted()
    const signals: Signals = { intent: input.intent, sentiment: input.sentiment }
    const handoff = (reason: HandoffReason, summary: string): BotDecision => ({
      outcome: 'handoff',
      reason,
      text: '',
      summary,
      priority: 'normal',
      ...signals,
    })
    const runner = createToolRunner(input)
    const messages: MessageParam[] = conversationMessages(input.history, input.text)
    const base = {
      model: options.model,
      max_tokens: options.maxTokens ?? DEFAULT_MAX_TOKENS,
      temperature: 0,
      system: systemBlocks(options.policyText?.(input.siteId)),
      tools: toolDefinitions(),
    }
    /** Exactly what went out as deltas: the final text is this, so the draft and the message agree. */
    let shown = ''
    const failedCalls = new Set<string>()

    for (let round = 0; ; round += 1) {
      const filter = createMarkerFilter()
      let separate = shown.length > 0
      const show = (text: string) => {
        if (text === '') return
        const delta = separate ? `\n\n${text}` : text
        separate = false
        shown += delta
        emit({ type: 'delta', text: delta })
      }
      const message = await call({ ...base, messages }, signal, (delta) => show(filter.push(delta)))
      show(filter.end())

      if (message.stop_reason === 'refusal')
        throw new AnthropicProviderError('refusal', 'the model declined to answer')
      if (message.stop_reason === null || message.stop_reason === 'pause_turn')
        throw new AnthropicProviderError(
          'broken_stream',
          `the model's reply ended early (${message.stop_reason})`,
        )

      const calls = message.content.filter((b) => b.type === 'tool_use')
      if (message.stop_reason !== 'tool_use' || calls.length === 0) return decide(textOf(message), shown)
      if (round >= maxToolRounds)
        return handoff('no_answer', `The assistant was still calling tools after ${maxToolRounds} rounds.`)

      const results: ToolResultBlockParam[] = []
      for (const use of calls) {
        const key = `${use.name}:${JSON.stringify(use.input)}`
        if (failedCalls.has(key))
          return handoff('no_answer', `The assistant repeated a ${use.name} call that had failed.`)
        emit({ type: 'tool_call', name: use.name, input: use.input })
        const outcome = await runner.run(use.name, use.input)
        signal.throwIfAborted()
        if (outcome.kind === 'handoff') return handoff(outcome.reason, outcome.summary)
        emit({ type: 'tool_result', name: use.name, output: outcome.output })
        if (outcome.isError) failedCalls.add(key)
        results.push({
          type: 'tool_result',
          tool_use_id: use.id,
          content: outcome.content,
          ...(outcome.isError ? { is_error: true } : {}),
        })
      }
      messages.push({ role: 'assistant', content: assistantContent(message.content) })
      messages.push({ role: 'user', content: results })
    }

    /** The decision for a final reply: its sources must be things this reply was given. */
    function decide(reply: string, text: string): BotDecision {
      const { slugs } = parseReply(reply)
      const answer = text.trim()
      if (slugs?.length === 1 && slugs[0] === ASK_MARKER) {
        if (answer.endsWith('?') && answer.length <= MAX_CLARIFY_CHARS)
          return { outcome: 'clarify', text: answer, ...signals }
        return { outcome: 'answer', text: answer, sources: [], confidence: 0, ...signals }
      }
      const cited = (slugs ?? []).map((slug) => ({ slug, entry: runner.citable.get(slug) }))
      const unknown = cited.filter((c) => !c.entry).map((c) => c.slug)
      if (unknown.length > 0)
        return handoff('no_answer', `The assistant cited sources it was not given: ${unknown.join(', ')}.`)
      const entries = cited.flatMap((c) => (c.entry ? [c.entry] : []))
      const sources = entries.map((e) => e.source)
      const tool = entries.find((e) => e.tool)?.tool
      if (tool) return { outcome: 'tool', tool, text: answer, sources, ...signals }
      const confidence = Math.max(0, ...entries.map((e) => e.confidence ?? 0))
      return { outcome: 'answer', text: answer, sources, confidence, ...signals }
    }
  }

  return {
    name: 'anthropic',
    model: options.model,
    respond,
    stats: () => ({ ...usage }),
  }
}
