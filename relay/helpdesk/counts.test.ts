import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { CountsScheduler } from './counts.ts'

describe('inbox count pushes', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('recounts a site once for a burst of changes, after the delay, and again for later changes', async () => {
    const flushed: string[] = []
    const scheduler = new CountsScheduler(async (site) => void flushed.push(site), { error: () => {} }, 250)
    scheduler.touch('demo')
    scheduler.touch('demo')
    scheduler.touch('other')
    await vi.advanceTimersByTimeAsync(249)
    expect(flushed).toEqual([])
    await vi.advanceTimersByTimeAsync(1)
    expect(flushed.sort()).toEqual(['demo', 'other'])
    scheduler.touch('demo')
    await vi.advanceTimersByTimeAsync(250)
    expect(flushed.filter((s) => s === 'demo')).toHaveLength(2)
  })

  it('logs a failed recount and drops pending ones on close', async () => {
    const errors: unknown[] = []
    const scheduler = new CountsScheduler(
      async () => {
        throw new Error('store gone')
      },
      { error: (obj) => void errors.push(obj) },
      10,
    )
    scheduler.touch('demo')
    await vi.advanceTimersByTimeAsync(10)
    expect(errors).toHaveLength(1)
    const flushed: string[] = []
    const quiet = new CountsScheduler(async (s) => void flushed.push(s), { error: () => {} }, 10)
    quiet.touch('demo')
    quiet.close()
    await vi.advanceTimersByTimeAsync(50)
    expect(flushed).toEqual([])
  })
})
