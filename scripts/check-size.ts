/**
 * CI's size gate for the widget: gzip -9 of the built loader and panel against their budgets.
 * Run after `vite build --mode loader && vite build --mode panel`: `npx tsx scripts/check-size.ts`.
 */
import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'

const BUDGETS = [
  { file: 'dist/widget/widget.js', what: 'loader', limit: 4096 },
  { file: 'dist/widget/panel.js', what: 'panel', limit: 35_840 },
]

let failed = false
for (const { file, what, limit } of BUDGETS) {
  let bytes: Buffer
  try {
    bytes = readFileSync(file)
  } catch {
    console.error(`✗ ${file} is missing: build it first (npx vite build --mode ${what})`)
    failed = true
    continue
  }
  const size = gzipSync(bytes, { level: 9 }).length
  const share = `${size} of ${limit} bytes gzip (${Math.round((size / limit) * 100)}%)`
  if (size > limit) {
    console.error(`✗ ${what} ${file}: ${share}, ${size - limit} bytes over budget`)
    failed = true
  } else {
    console.log(`✓ ${what} ${file}: ${share}`)
  }
}
if (failed) process.exit(1)
