/**
 * Retries of a failed outbound send: transient failures (network errors, timeouts, HTTP 429 and
 * 5xx, SMTP 4xx and dropped connections) are tried again after each delay; a permanent one (any
 * other HTTP 4xx, SMTP 5xx) ends at once. Closing cuts a pending wait short so shutdown never
 * waits out a backoff.
 */

/** The production waits between attempts: four attempts over about 36 s. */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [1000, 5000, 30_000]

export interface RetryOptions {
  /** One wait per retry: `[1000, 5000]` means up to three attempts. */
  delaysMs: readonly number[]
  /** Whether a failure may succeed on a later attempt. */
  isTransient(error: unknown): boolean
  /** Aborted on close: a pending wait ends at once, one last attempt is made, and no more waits follow. */
  signal?: AbortSignal
  /** Told about each failure that will be retried (a log line). */
  onRetry?(error: unknown, attempt: number): void
}

/** A channel's reply: its delays (the defaults unless configured), its transient rule, the close signal and a log line per retry. */
export function replyRetries(input: {
  channel: string
  conversationId: string
  log: { info(data: Record<string, unknown>, message: string): void }
  delaysMs?: readonly number[] | undefined
  isTransient(error: unknown): boolean
  signal: AbortSignal
}): RetryOptions {
  return {
    delaysMs: input.delaysMs ?? DEFAULT_RETRY_DELAYS_MS,
    isTransient: input.isTransient,
    signal: input.signal,
    onRetry: (error, attempt) =>
      input.log.info(
        { conversationId: input.conversationId, attempt, failure: (error as Error).message },
        `${input.channel} reply failed, will retry`,
      ),
  }
}

export type RetryResult<T> =
  | { ok: true; value: T; attempts: number }
  | { ok: false; error: unknown; attempts: number }

/** Runs `attempt` until it succeeds, fails permanently, or the delays (or the relay) run out. */
export async function sendWithRetries<T>(
  attempt: (n: number) => Promise<T>,
  options: RetryOptions,
): Promise<RetryResult<T>> {
  for (let n = 1; ; n++) {
    const closingBefore = options.signal?.aborted ?? false
    try {
      return { ok: true, value: await attempt(n), attempts: n }
    } catch (error) {
      const delay = options.delaysMs[n - 1]
      // An attempt made while closing is the last one: shutdown does not wait for a backoff.
      if (delay === undefined || closingBefore || !options.isTransient(error))
        return { ok: false, error, attempts: n }
      options.onRetry?.(error, n)
      await pause(delay, options.signal)
    }
  }
}

/** Waits `ms`, or less if `signal` aborts first. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.resolve()
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal?.addEventListener('abort', done, { once: true })
  })
}

/** An HTTP answer that is not 2xx; 429 and 5xx are worth another attempt. */
export class HttpSendError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
    this.name = 'HttpSendError'
  }
}

/** HTTP sends: a status says it (429, 5xx); anything else thrown (network error, timeout) is transient. */
export function isTransientHttp(error: unknown): boolean {
  if (error instanceof HttpSendError) return error.status === 429 || error.status >= 500
  return true
}

// nodemailer's codes for a connection that failed or dropped, and Node's for a socket that did.
const CONNECTION_CODES = new Set([
  'ECONNECTION',
  'ESOCKET',
  'ETIMEDOUT',
  'EDNS',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
])

/** SMTP sends: a 4xx reply or a connection error is transient; a 5xx reply (or anything else) is not. */
export function isTransientSmtp(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false
  const { responseCode, code } = error as { responseCode?: unknown; code?: unknown }
  if (typeof responseCode === 'number') return responseCode >= 400 && responseCode < 500
  return typeof code === 'string' && CONNECTION_CODES.has(code)
}

/** "1 attempt", "4 attempts". */
export function attemptsText(attempts: number): string {
  return attempts === 1 ? '1 attempt' : `${attempts} attempts`
}
