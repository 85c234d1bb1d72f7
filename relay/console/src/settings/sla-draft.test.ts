import { describe, expect, it } from 'vitest'
import { cellKey, configOf, defaultOf, draftOf } from './sla-draft.ts'

describe('the SLA draft', () => {
  it('shows configured targets as durations and leaves the others empty for their defaults', () => {
    const draft = draftOf({
      businessHours: false,
      channels: { web: { businessHours: true, targets: { urgent: { firstResponseMs: 30_000 } } } },
      nearBreachRatio: 0.25,
    })
    expect(draft.targets[cellKey('web', 'urgent', 'firstResponseMs')]).toBe('30s')
    expect(draft.targets[cellKey('web', 'urgent', 'resolutionMs')]).toBe('')
    expect(draft.businessHours).toMatchObject({ web: true, email: false })
    expect(draft.nearBreach).toBe('25')
  })

  it('sends only what was set, per channel, with each channel’s business-hours switch', () => {
    const draft = draftOf({})
    draft.targets[cellKey('email', 'high', 'resolutionMs')] = '1d 12h'
    draft.businessHours.whatsapp = false
    const { config, invalid } = configOf(draft)
    expect(invalid).toEqual([])
    expect(config?.channels?.email).toEqual({
      businessHours: true,
      targets: { high: { resolutionMs: 129_600_000 } },
    })
    expect(config?.channels?.whatsapp).toEqual({ businessHours: false })
    expect(config?.nearBreachRatio).toBeUndefined()
  })

  it('names the cells it cannot read instead of sending them', () => {
    const draft = draftOf({})
    draft.targets[cellKey('web', 'low', 'firstResponseMs')] = 'soonish'
    draft.nearBreach = '150'
    expect(configOf(draft)).toEqual({ config: null, invalid: ['web.low.firstResponseMs', 'nearBreach'] })
  })

  it('shows the complete policy’s value as the default', () => {
    const policy = {
      nearBreachRatio: 0.2,
      channels: {
        web: {
          businessHours: true,
          targets: { normal: { firstResponseMs: 120_000, resolutionMs: 3_600_000 } },
        },
      },
    } as never
    expect(defaultOf(policy, 'web', 'normal', 'firstResponseMs')).toBe('2m')
    expect(defaultOf(undefined, 'web', 'normal', 'firstResponseMs')).toBe('')
  })
})
