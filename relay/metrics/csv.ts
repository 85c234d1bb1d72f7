/**
 * A report as CSV: a header row, one row for the whole period (`date` = `total`), then one per day.
 * csv-stringify quotes what needs quoting; a text cell starting with = + - @ is prefixed with '
 * so a spreadsheet never runs it as a formula (numbers stay numbers).
 */
import { stringify } from 'csv-stringify/sync'
import type { ReportFigures } from '../../shared/reports.ts'

const COLUMNS: [string, (f: ReportFigures) => number | null][] = [
  ['conversations', (f) => f.conversations],
  ['resolutions', (f) => f.resolutions],
  ['self_service_resolutions', (f) => f.selfService.selfService],
  ['self_service_rate', (f) => f.selfService.rate],
  ['first_response_median_ms', (f) => f.firstResponse.medianMs],
  ['first_response_p90_ms', (f) => f.firstResponse.p90Ms],
  ['unanswered_cycles', (f) => f.firstResponse.unanswered],
  ['resolution_median_ms', (f) => f.resolutionTime.medianMs],
  ['resolution_p90_ms', (f) => f.resolutionTime.p90Ms],
  ['sla_cycles', (f) => f.sla.overall.cycles],
  ['sla_breached', (f) => f.sla.overall.breached],
  ['sla_compliance', (f) => f.sla.overall.compliance],
  ['csat_responses', (f) => f.csat.responses],
  ['csat_average', (f) => f.csat.average],
  ['csat_satisfied_share', (f) => f.csat.satisfiedShare],
  ['csat_response_rate', (f) => f.csat.responseRate],
  ['sentiment_start', (f) => f.sentiment.averageStart],
  ['sentiment_end', (f) => f.sentiment.averageEnd],
  ['sentiment_shift', (f) => f.sentiment.averageShift],
  ['effort_average', (f) => f.effort.average],
  ['effort_ratings', (f) => f.effort.ratings],
  ['actions_per_resolution', (f) => f.effort.actionsPerResolution],
  ['messages_before_action', (f) => f.contactToAction.averageMessages],
  ['transfers_before_action', (f) => f.contactToAction.averageTransfers],
  ['minutes_before_action', (f) => f.contactToAction.averageMinutes],
]

/** Keeps a spreadsheet from reading a text cell as a formula. */
function safeText(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
}

export function reportCsv(rows: readonly { label: string; figures: ReportFigures }[]): string {
  return stringify(
    [
      ['date', ...COLUMNS.map(([name]) => name)],
      ...rows.map((row) => [safeText(row.label), ...COLUMNS.map(([, read]) => read(row.figures) ?? '')]),
    ],
    { record_delimiter: 'windows' },
  )
}
