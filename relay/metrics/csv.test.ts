import { describe, expect, it } from 'vitest'
import { reportCsv } from './csv.ts'
import { conversation } from './fixtures.ts'
import { reportRows } from './report.ts'

const figures = reportRows({
  siteId: 'demo',
  records: [
    conversation('a', '2026-03-02T10:00:00.000Z')
      .message('contact', '2026-03-02T10:01:00.000Z', 'hi')
      .event('resolved', '2026-03-02T10:11:00.000Z', { kind: 'agent', id: 'agt_1' })
      .event('csat', '2026-03-02T10:12:00.000Z', { kind: 'contact', id: 'c' }, { score: 3 })
      .record(),
  ],
  articles: [],
  from: new Date('2026-03-02T00:00:00.000Z'),
  to: new Date('2026-03-03T00:00:00.000Z'),
})

describe('reportCsv', () => {
  it('writes a header, then a row per label, numbers as numbers and nothing measured as empty', () => {
    const lines = reportCsv(figures).split('\r\n')
    const header = lines[0]?.split(',') ?? []
    const total = lines[1]?.split(',') ?? []
    expect(header.slice(0, 3)).toEqual(['date', 'conversations', 'resolutions'])
    expect(total[0]).toBe('total')
    expect(total[header.indexOf('resolution_median_ms')]).toBe('660000')
    expect(total[header.indexOf('csat_average')]).toBe('3')
    expect(total[header.indexOf('first_response_median_ms')]).toBe('')
    expect(lines.slice(1, 3).map((l) => l.split(',')[0])).toEqual(['total', '2026-03-02'])
    expect(lines[3]).toBe('')
  })

  it('quotes commas, quotes and line breaks, and keeps a spreadsheet from running a formula', () => {
    const [row] = figures
    if (!row) throw new Error('no rows')
    const csv = reportCsv([
      { ...row, label: 'a, "b"\nc' },
      { ...row, label: '=HYPERLINK("x")' },
    ])
    const [, first, second] = csv.split(/\r\n(?=[^,]*,)/)
    expect(first?.startsWith('"a, ""b""\nc",')).toBe(true)
    expect(second?.startsWith(`"'=HYPERLINK(""x"")",`)).toBe(true)
  })
})
