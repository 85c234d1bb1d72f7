/**
 * Debounced inbox-count pushes: many changes in one site within `delayMs` cause one recount of that
 * site's agents. The recount itself (`flush`) is injected: it reads the store and emits.
 */
import type { Logger } from '../conversations/service.ts'

export const COUNTS_DELAY_MS = 250

export class CountsScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>()

  constructor(
    private readonly flush: (siteId: string) => Promise<void>,
    private readonly log: Pick<Logger, 'error'>,
    private readonly delayMs = COUNTS_DELAY_MS,
  ) {}

  /** Counts of `siteId` may have changed: recount once, `delayMs` after the first change. */
  touch(siteId: string): void {
    if (this.timers.has(siteId)) return
    const timer = setTimeout(() => {
      this.timers.delete(siteId)
      this.flush(siteId).catch((error: unknown) =>
        this.log.error({ err: error, siteId }, 'pushing inbox counts failed'),
      )
    }, this.delayMs)
    // A pending recount must not keep a stopping process alive.
    timer.unref()
    this.timers.set(siteId, timer)
  }

  /** Drops pending recounts. */
  close(): void {
    for (const timer of this.timers.values()) clearTimeout(timer)
    this.timers.clear()
  }
}
