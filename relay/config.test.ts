import { describe, expect, it } from 'vitest'
import { loadConfig } from './config.ts'

describe('loadConfig: Redis', () => {
  it('keeps everything in the process without PARLEY_REDIS_URL', () => {
    expect(loadConfig({})).toMatchObject({ redisUrl: null, redisPrefix: 'parley' })
  })

  it('reads a redis:// or rediss:// URL and the key prefix', () => {
    expect(
      loadConfig({ PARLEY_REDIS_URL: ' rediss://:pw@cache:6380/1 ', PARLEY_REDIS_PREFIX: 'shop-eu:1' }),
    ).toMatchObject({ redisUrl: 'rediss://:pw@cache:6380/1', redisPrefix: 'shop-eu:1' })
  })

  it('refuses another scheme without repeating the URL (it may hold the password)', () => {
    const load = () => loadConfig({ PARLEY_REDIS_URL: 'http://:hunter2@cache:6379' })
    expect(load).toThrow('PARLEY_REDIS_URL must start with redis:// or rediss://')
    expect(load).not.toThrow(/hunter2/)
  })

  it('refuses a prefix with spaces or wildcards', () => {
    expect(() => loadConfig({ PARLEY_REDIS_PREFIX: 'a b*' })).toThrow(/PARLEY_REDIS_PREFIX/)
  })
})

describe('the metrics token', () => {
  it('turns /metrics on with a long enough PARLEY_METRICS_TOKEN, off without one', () => {
    expect(loadConfig({}).metricsToken).toBeNull()
    expect(loadConfig({ PARLEY_METRICS_TOKEN: ' 0123456789abcdef ' }).metricsToken).toBe('0123456789abcdef')
    expect(() => loadConfig({ PARLEY_METRICS_TOKEN: 'short' })).toThrow(/at least 16 characters/)
  })
})
