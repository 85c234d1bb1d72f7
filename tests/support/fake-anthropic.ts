/**
 * Test support: a loopback HTTP server that speaks the Anthropic Messages API (`POST /v1/messages`,
 * streamed as server-sent events, or one JSON body when `stream` is false), scripted per test.
 * The real SDK is pointed at it (`baseURL: fake.url`, or `ANTHROPIC_BASE_URL=<url>` for a relay).
 *
 * In-process:
 *   const fake = await startFakeAnthropic()
 *   fake.enqueue(textReply(['Returns are ', 'free. '], { chunkDelayMs: 50 }), errorReply(529))
 *   …the code under test calls the API…
 *   fake.requests[0].body.system; apiKeyOf(fake.requests[0])  (SDK 1.x sends `authorization: Bearer`)
 *   await fake.close()
 *
 * From another process (e.g. a browser test that starts the relay as a child process):
 *   npx tsx tests/support/fake-anthropic.ts [--port N] [--host 127.0.0.1] [--script FILE.json]
 *   prints `fake-anthropic listening on http://127.0.0.1:N` on stdout once it listens.
 *   FILE.json is `{ "responses": [Scripted, …], "fallback"?: Scripted }` or just `[Scripted, …]`.
 *   Control endpoints (also served in-process):
 *     POST /__script    body as FILE.json (or one Scripted): appended to the queue
 *     GET  /__requests  every recorded request, as JSON
 *     POST /__reset     empties the queue, the fallback and the recorded requests
 *
 * Scripted responses (JSON-friendly, so a script file can hold them): `message` (text chunks with
 * optional `chunkDelayMs`, `tool_use` blocks streamed as `input_json_delta`, `stopReason`, `usage`,
 * and `breakAfterDeltas` / `stallAfterDeltas` / `errorAfterDeltas` to break, stall or fail mid-way),
 * `error` (an HTTP status with an Anthropic error body: 429 rate_limit_error, 500 api_error, 529
 * overloaded_error…) and `hang` (no response at all). Helpers: textReply, toolReply, errorReply.
 *
 * Each request takes the next scripted response; when the queue is empty the fallback answers,
 * and without one the request gets a 500 `api_error` saying nothing was scripted. Prompt caching
 * is simulated unless a reply scripts its usage: the prefix up to the last `cache_control`
 * breakpoint (tools, then system, then messages) is written on first sight and read afterwards,
 * at about 4 characters a token and with no minimum length.
 */
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

export type ScriptedBlock =
  /** An array streams one `text_delta` per element. */
  | { type: 'text'; text: string | string[] }
  /** The input is streamed as `input_json_delta` pieces (`chunks` of them, default 3). */
  | { type: 'tool_use'; id?: string; name: string; input: Record<string, unknown>; chunks?: number }

export interface ScriptedUsage {
  input_tokens?: number
  output_tokens?: number
  cache_creation_input_tokens?: number
  cache_read_input_tokens?: number
}

export interface ScriptedMessage {
  type: 'message'
  content: ScriptedBlock[]
  /** Defaults to `tool_use` when the content has a tool call, else `end_turn`. */
  stopReason?: 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'pause_turn' | 'refusal'
  /** Replaces the simulated usage. */
  usage?: ScriptedUsage
  /** Wait this long before each delta after the first, so a test can watch the text grow. */
  chunkDelayMs?: number
  /** Destroy the socket after this many deltas: a stream that breaks mid-way. */
  breakAfterDeltas?: number
  /** Send nothing more (socket left open) after this many deltas: a stream that stalls. */
  stallAfterDeltas?: number
  /** Send an SSE `error` event after this many deltas (e.g. `overloaded_error` mid-stream). */
  errorAfterDeltas?: { after: number; errorType: string; message?: string }
}

export interface ScriptedError {
  type: 'error'
  /** 429, 500, 529… */
  status: number
  /** Defaults from the status: rate_limit_error, api_error, overloaded_error… */
  errorType?: string
  message?: string
  /** Sent as `retry-after` (seconds). */
  retryAfter?: number
}

/** Headers never come: a request that hangs until the client gives up. */
export interface ScriptedHang {
  type: 'hang'
}

export type Scripted = ScriptedMessage | ScriptedError | ScriptedHang

export interface RecordedRequest {
  method: string
  path: string
  /** Lower-cased header names. */
  headers: Record<string, string>
  /** The parsed JSON body (`model`, `system`, `tools`, `messages`, `stream`…). */
  body: MessagesRequestBody
  /** Which scripted response answered it ('fallback' or 'unscripted' when the queue was empty). */
  answeredBy: Scripted['type'] | 'fallback' | 'unscripted'
}

/** The parts of a Messages API request tests look at; the rest is kept as sent. */
export interface MessagesRequestBody {
  model: string
  max_tokens: number
  stream?: boolean
  system?: string | Array<{ type: 'text'; text: string; cache_control?: { type: string } }>
  tools?: Array<{
    name: string
    description?: string
    input_schema: unknown
    cache_control?: { type: string }
  }>
  messages: Array<{ role: 'user' | 'assistant'; content: string | Array<Record<string, unknown>> }>
  [key: string]: unknown
}

export interface FakeAnthropic {
  /** Base URL for the SDK (`http://127.0.0.1:PORT`). */
  url: string
  /** Every request received, in order. */
  readonly requests: RecordedRequest[]
  /** Appends scripted responses; each answers one request. */
  enqueue(...responses: Scripted[]): void
  /** Answers requests once the queue is empty (null: a 500 saying nothing was scripted). */
  setFallback(response: Scripted | null): void
  /** How many scripted responses are still waiting. */
  pending(): number
  close(): Promise<void>
}

export interface FakeAnthropicOptions {
  port?: number
  host?: string
  responses?: Scripted[]
  fallback?: Scripted
}

/** A reply that streams text; an array gives one delta per element. */
export function textReply(
  text: string | string[],
  options: Omit<ScriptedMessage, 'type' | 'content'> = {},
): ScriptedMessage {
  return { type: 'message', content: [{ type: 'text', text }], ...options }
}

/** A reply that calls tools (optionally after some text). */
export function toolReply(
  calls: Array<{ name: string; input: Record<string, unknown>; id?: string }>,
  options: Omit<ScriptedMessage, 'type' | 'content'> & { text?: string } = {},
): ScriptedMessage {
  const { text, ...rest } = options
  const content: ScriptedBlock[] = text ? [{ type: 'text', text }] : []
  for (const call of calls) content.push({ type: 'tool_use', ...call })
  return { type: 'message', content, ...rest }
}

/** An HTTP error with an Anthropic error body. */
export function errorReply(status: number, errorType?: string, message?: string): ScriptedError {
  return { type: 'error', status, ...(errorType ? { errorType } : {}), ...(message ? { message } : {}) }
}

/** The API key a request carried (`x-api-key`, or `authorization: Bearer …` as SDK 1.x sends it). */
export function apiKeyOf(request: RecordedRequest): string | null {
  const bearer = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1]
  return request.headers['x-api-key'] || bearer || null
}

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const tokens = (text: string) => Math.max(1, Math.ceil(text.length / 4))

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers })
  res.end(JSON.stringify(body))
}

function apiError(res: ServerResponse, status: number, type: string, message: string, extra = {}) {
  sendJson(res, status, { type: 'error', error: { type, message } }, { 'request-id': 'req_fake', ...extra })
}

/** The request as cacheable pieces in API order, and where its `cache_control` breakpoints fall. */
function cachePieces(body: MessagesRequestBody): { pieces: string[]; breakpoints: number[] } {
  const pieces: string[] = []
  const breakpoints: number[] = []
  const add = (block: unknown) => {
    pieces.push(JSON.stringify(block))
    if (typeof block === 'object' && block !== null && 'cache_control' in block && block.cache_control)
      breakpoints.push(pieces.length)
  }
  for (const tool of body.tools ?? []) add(tool)
  if (typeof body.system === 'string') add({ type: 'text', text: body.system })
  else for (const block of body.system ?? []) add(block)
  for (const message of body.messages ?? []) {
    if (typeof message.content === 'string') add({ role: message.role, text: message.content })
    else for (const block of message.content) add({ role: message.role, ...block })
  }
  return { pieces, breakpoints }
}

/** Builds the fake API; `listen()` is done by `startFakeAnthropic`. */
function createFake(options: FakeAnthropicOptions) {
  const queue: Scripted[] = [...(options.responses ?? [])]
  let fallback: Scripted | null = options.fallback ?? null
  const requests: RecordedRequest[] = []
  const cached = new Set<string>()
  let counter = 0

  const simulatedUsage = (body: MessagesRequestBody): Required<ScriptedUsage> => {
    const { pieces, breakpoints } = cachePieces(body)
    const total = tokens(pieces.join(''))
    let read = 0
    let written = 0
    const hashes = breakpoints.map((end) => ({
      end,
      hash: createHash('sha256').update(body.model).update(pieces.slice(0, end).join('\u0000')).digest('hex'),
    }))
    const hit = [...hashes].reverse().find((h) => cached.has(h.hash))
    if (hit) read = tokens(pieces.slice(0, hit.end).join(''))
    const last = hashes.at(-1)
    if (last && last !== hit) written = tokens(pieces.slice(0, last.end).join('')) - read
    for (const h of hashes) cached.add(h.hash)
    return {
      input_tokens: Math.max(1, total - read - written),
      output_tokens: 0,
      cache_creation_input_tokens: written,
      cache_read_input_tokens: read,
    }
  }

  const messageFor = (script: ScriptedMessage, body: MessagesRequestBody) => {
    counter += 1
    const usage = { ...simulatedUsage(body), ...script.usage }
    const hasTool = script.content.some((b) => b.type === 'tool_use')
    const stopReason = script.stopReason ?? (hasTool ? 'tool_use' : 'end_turn')
    const blocks = script.content.map((block, i) =>
      block.type === 'text'
        ? { type: 'text' as const, chunks: Array.isArray(block.text) ? block.text : [block.text] }
        : {
            type: 'tool_use' as const,
            id: block.id ?? `toolu_fake_${counter}_${i}`,
            name: block.name,
            input: block.input,
            chunks: block.chunks ?? 3,
          },
    )
    const outputTokens =
      script.usage?.output_tokens ??
      tokens(blocks.map((b) => (b.type === 'text' ? b.chunks.join('') : JSON.stringify(b.input))).join(''))
    return { id: `msg_fake_${counter}`, model: body.model, usage, stopReason, blocks, outputTokens }
  }

  const streamMessage = async (res: ServerResponse, script: ScriptedMessage, body: MessagesRequestBody) => {
    const m = messageFor(script, body)
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      'request-id': `req_${m.id}`,
    })
    const send = (event: string, data: unknown) => {
      if (!res.destroyed) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)
    }
    send('message_start', {
      type: 'message_start',
      message: {
        id: m.id,
        type: 'message',
        role: 'assistant',
        model: m.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...m.usage, output_tokens: 1 },
      },
    })
    let deltas = 0
    /** False once the script stops the stream here (broken, stalled or errored). */
    const delta = async (index: number, payload: Record<string, unknown>): Promise<boolean> => {
      if (deltas > 0 && script.chunkDelayMs) await sleep(script.chunkDelayMs)
      if (res.destroyed) return false
      send('content_block_delta', { type: 'content_block_delta', index, delta: payload })
      deltas += 1
      if (script.breakAfterDeltas !== undefined && deltas >= script.breakAfterDeltas) {
        // Let what was written reach the client first, so the break comes mid-stream.
        await new Promise<void>((resolve) => res.write(': flush\n\n', () => resolve()))
        res.socket?.destroy()
        return false
      }
      if (script.stallAfterDeltas !== undefined && deltas >= script.stallAfterDeltas) return false
      if (script.errorAfterDeltas && deltas >= script.errorAfterDeltas.after) {
        const { errorType, message } = script.errorAfterDeltas
        send('error', { type: 'error', error: { type: errorType, message: message ?? errorType } })
        res.end()
        return false
      }
      return true
    }
    for (const [index, block] of m.blocks.entries()) {
      if (block.type === 'text') {
        send('content_block_start', {
          type: 'content_block_start',
          index,
          content_block: { type: 'text', text: '' },
        })
        for (const chunk of block.chunks)
          if (!(await delta(index, { type: 'text_delta', text: chunk }))) return
      } else {
        send('content_block_start', {
          type: 'content_block_start',
          index,
          content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} },
        })
        const json = JSON.stringify(block.input)
        const size = Math.ceil(json.length / Math.max(1, block.chunks))
        for (let at = 0; at < json.length; at += size)
          if (!(await delta(index, { type: 'input_json_delta', partial_json: json.slice(at, at + size) })))
            return
      }
      send('content_block_stop', { type: 'content_block_stop', index })
    }
    send('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: m.stopReason, stop_sequence: null },
      usage: { output_tokens: m.outputTokens },
    })
    send('message_stop', { type: 'message_stop' })
    res.end()
  }

  const jsonMessage = (res: ServerResponse, script: ScriptedMessage, body: MessagesRequestBody) => {
    const m = messageFor(script, body)
    sendJson(res, 200, {
      id: m.id,
      type: 'message',
      role: 'assistant',
      model: m.model,
      content: m.blocks.map((b) =>
        b.type === 'text'
          ? { type: 'text', text: b.chunks.join('') }
          : { type: 'tool_use', id: b.id, name: b.name, input: b.input },
      ),
      stop_reason: m.stopReason,
      stop_sequence: null,
      usage: { ...m.usage, output_tokens: m.outputTokens },
    })
  }

  const answer = async (res: ServerResponse, script: Scripted, body: MessagesRequestBody) => {
    if (script.type === 'hang') return
    if (script.type === 'error') {
      const type = script.errorType ?? ERROR_TYPES[script.status] ?? 'api_error'
      const extra: Record<string, string> =
        script.retryAfter !== undefined ? { 'retry-after': String(script.retryAfter) } : {}
      apiError(res, script.status, type, script.message ?? `fake ${type}`, extra)
      return
    }
    if (body.stream) await streamMessage(res, script, body)
    else jsonMessage(res, script, body)
  }

  const enqueueFrom = (payload: unknown): number => {
    const { responses, fallback: next } = normalizeScript(payload)
    queue.push(...responses)
    if (next !== undefined) fallback = next
    return responses.length
  }

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake')
    const raw = await readBody(req)
    if (url.pathname === '/__script' && req.method === 'POST') {
      try {
        const added = enqueueFrom(JSON.parse(raw))
        return sendJson(res, 200, { ok: true, added, pending: queue.length })
      } catch (error) {
        return sendJson(res, 400, {
          ok: false,
          error: error instanceof Error ? error.message : String(error),
        })
      }
    }
    if (url.pathname === '/__requests' && req.method === 'GET') return sendJson(res, 200, requests)
    if (url.pathname === '/__reset' && req.method === 'POST') {
      queue.length = 0
      requests.length = 0
      fallback = null
      cached.clear()
      return sendJson(res, 200, { ok: true })
    }
    if (url.pathname !== '/v1/messages' || req.method !== 'POST')
      return apiError(res, 404, 'not_found_error', `fake-anthropic: no route ${req.method} ${url.pathname}`)

    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(req.headers))
      headers[name] = Array.isArray(value) ? value.join(', ') : (value ?? '')
    let body: MessagesRequestBody
    try {
      body = JSON.parse(raw) as MessagesRequestBody
    } catch {
      return apiError(res, 400, 'invalid_request_error', 'body is not JSON')
    }
    const next = queue.shift()
    const script = next ?? fallback
    requests.push({
      method: req.method,
      path: url.pathname,
      headers,
      body,
      answeredBy: next ? next.type : script ? 'fallback' : 'unscripted',
    })
    if (!headers['x-api-key'] && !headers.authorization)
      return apiError(res, 401, 'authentication_error', 'x-api-key header is required')
    if (!script) return apiError(res, 500, 'api_error', 'fake-anthropic: no scripted response left')
    await answer(res, script, body)
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) apiError(res, 500, 'api_error', String(error))
      else res.destroy()
    })
  })

  return {
    server,
    requests,
    queue,
    enqueue: (...responses: Scripted[]) => void queue.push(...responses),
    setFallback: (response: Scripted | null) => {
      fallback = response
    },
  }
}

/** Accepts `[Scripted…]`, one Scripted, or `{ responses, fallback }`. */
function normalizeScript(payload: unknown): { responses: Scripted[]; fallback?: Scripted | null } {
  const isScripted = (v: unknown): v is Scripted =>
    typeof v === 'object' &&
    v !== null &&
    'type' in v &&
    ['message', 'error', 'hang'].includes(String(v.type))
  if (Array.isArray(payload)) {
    if (!payload.every(isScripted)) throw new Error('every scripted response needs type message|error|hang')
    return { responses: payload }
  }
  if (isScripted(payload)) return { responses: [payload] }
  if (typeof payload === 'object' && payload !== null) {
    const { responses = [], fallback } = payload as { responses?: unknown; fallback?: unknown }
    if (!Array.isArray(responses) || !responses.every(isScripted))
      throw new Error('"responses" must be an array of scripted responses')
    if (fallback !== undefined && fallback !== null && !isScripted(fallback))
      throw new Error('"fallback" must be a scripted response')
    return { responses, ...(fallback !== undefined ? { fallback: fallback as Scripted | null } : {}) }
  }
  throw new Error('a script is an array, a scripted response or { responses, fallback }')
}

/** Starts the fake API on loopback (port 0 unless given). */
export async function startFakeAnthropic(options: FakeAnthropicOptions = {}): Promise<FakeAnthropic> {
  const fake = createFake(options)
  const host = options.host ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => {
    fake.server.once('error', reject)
    fake.server.listen(options.port ?? 0, host, () => resolve())
  })
  const { port } = fake.server.address() as AddressInfo
  return {
    url: `http://${host}:${port}`,
    requests: fake.requests,
    enqueue: fake.enqueue,
    setFallback: fake.setFallback,
    pending: () => fake.queue.length,
    close: () =>
      new Promise<void>((resolve, reject) => {
        fake.server.close((error) => (error ? reject(error) : resolve()))
        // Hanging and stalled responses are cut, so close never waits on them.
        fake.server.closeAllConnections()
      }),
  }
}

async function cli(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { port: { type: 'string', default: '0' }, host: { type: 'string' }, script: { type: 'string' } },
    strict: true,
  })
  const script = values.script ? normalizeScript(JSON.parse(await readFile(values.script, 'utf8'))) : null
  const fake = await startFakeAnthropic({
    port: Number(values.port),
    ...(values.host ? { host: values.host } : {}),
    responses: script?.responses ?? [],
    ...(script?.fallback ? { fallback: script.fallback } : {}),
  })
  process.stdout.write(`fake-anthropic listening on ${fake.url}\n`)
  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    process.once(signal, () => void fake.close().then(() => process.exit(0)))
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  cli(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`fake-anthropic: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exitCode = 1
  })
}
