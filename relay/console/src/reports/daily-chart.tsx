/**
 * The daily series as an inline SVG bar chart: one series at a time, with its values in a table
 * below (the chart is an image to a screen reader; the table is the data). No chart library: the
 * canvas-based ones are unreadable without such a table anyway, and this is a few hundred bytes.
 */
import type { DailyFigures } from '../../../../shared/reports.ts'

export interface Series {
  label: string
  value(day: DailyFigures): number | null
  format(value: number | null): string
}

const WIDTH = 640
const HEIGHT = 160
const PAD = 18

export function DailyChart({
  days,
  series,
  title,
}: {
  days: readonly DailyFigures[]
  series: Series
  title: string
}) {
  const values = days.map((d) => series.value(d))
  const max = Math.max(0, ...values.map((v) => v ?? 0))
  const slot = days.length > 0 ? (WIDTH - 2 * PAD) / days.length : 0
  const bar = Math.max(1, slot * 0.7)
  const height = (v: number | null) => (v === null || max === 0 ? 0 : (v / max) * (HEIGHT - 2 * PAD))
  const first = days[0]?.date ?? ''
  const last = days[days.length - 1]?.date ?? ''
  return (
    <figure class="daily-chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={`${title}: ${series.label}, ${first} – ${last}, ${series.format(max)} at most`}
      >
        <line x1={PAD} x2={WIDTH - PAD} y1={HEIGHT - PAD} y2={HEIGHT - PAD} class="axis" />
        {days.map((d, i) => {
          const h = height(values[i] ?? null)
          return (
            <rect
              key={d.date}
              x={PAD + i * slot + (slot - bar) / 2}
              y={HEIGHT - PAD - h}
              width={bar}
              height={h}
              class="bar"
            >
              <title>{`${d.date}: ${series.format(values[i] ?? null)}`}</title>
            </rect>
          )
        })}
        <text x={PAD} y={HEIGHT - 4} class="tick">
          {first}
        </text>
        <text x={WIDTH - PAD} y={HEIGHT - 4} class="tick" text-anchor="end">
          {last}
        </text>
        <text x={PAD} y={PAD - 6} class="tick">
          {series.format(max)}
        </text>
      </svg>
      <figcaption>
        <details>
          <summary>{series.label}</summary>
          <table class="daily-table">
            <tbody>
              {days.map((d, i) => (
                <tr key={d.date}>
                  <th scope="row">{d.date}</th>
                  <td>{series.format(values[i] ?? null)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </figcaption>
    </figure>
  )
}
