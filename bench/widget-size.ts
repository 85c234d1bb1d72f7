/**
 * Widget size, measured: builds the loader and the panel in memory with the project's Vite
 * config, and, as a baseline in the same run, a bare bundle of the panel's dependencies (preact,
 * preact/hooks, the JSX runtime and socket.io-client) with the panel's build settings. Prints raw,
 * gzip -9 and brotli sizes; the panel minus the baseline is the app's own share.
 * Run: `npx tsx bench/widget-size.ts`. Prints figures, asserts nothing.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import { build, type Rolldown } from 'vite'

const root = resolve(import.meta.dirname, '..')

/** The code of the single chunk an in-memory build produced. */
function code(result: Awaited<ReturnType<typeof build>>): string {
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[]
  const chunks = outputs.flatMap((o) => o.output).filter((o): o is Rolldown.OutputChunk => o.type === 'chunk')
  if (chunks.length !== 1)
    throw new Error(`expected one chunk, got ${chunks.map((c) => c.fileName).join(', ')}`)
  return chunks[0]!.code
}

async function projectBuild(mode: 'loader' | 'panel'): Promise<string> {
  return code(await build({ root, mode, logLevel: 'warn', build: { write: false, emptyOutDir: false } }))
}

/** Dependencies only: every API the panel uses, re-exported so tree-shaking keeps them. */
async function baselineBuild(): Promise<string> {
  // Inside the project so that bare imports resolve from its node_modules; `.tmp/` is ignored by git.
  mkdirSync(join(root, '.tmp'), { recursive: true })
  const dir = mkdtempSync(join(root, '.tmp', 'size-baseline-'))
  try {
    const entry = join(dir, 'deps.ts')
    writeFileSync(
      entry,
      [
        "export { render, createContext } from 'preact'",
        "export { jsx, jsxs, Fragment } from 'preact/jsx-runtime'",
        "export { useEffect, useLayoutEffect, useReducer, useRef, useState } from 'preact/hooks'",
        "export { io } from 'socket.io-client'",
      ].join('\n'),
    )
    return code(
      await build({
        root: dir,
        configFile: false,
        logLevel: 'warn',
        publicDir: false,
        build: {
          write: false,
          target: 'es2020',
          lib: { entry, formats: ['es'], fileName: () => 'deps.js' },
          rolldownOptions: { output: { codeSplitting: false } },
        },
      }),
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

interface Sizes {
  raw: number
  gzip: number
  brotli: number
}

function sizes(text: string): Sizes {
  const bytes = Buffer.from(text)
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  }
}

const kb = (n: number): string => `${(n / 1024).toFixed(2)} KB`.padStart(10)

const [loader, panel, deps] = await Promise.all([
  projectBuild('loader'),
  projectBuild('panel'),
  baselineBuild(),
])
const rows: [string, Sizes][] = [
  ['loader  widget.js', sizes(loader)],
  ['panel   panel.js', sizes(panel)],
  ['baseline deps only', sizes(deps)],
]
console.log(`${'bundle'.padEnd(20)}${'raw'.padStart(10)}${'gzip -9'.padStart(10)}${'brotli'.padStart(10)}`)
for (const [name, s] of rows) console.log(`${name.padEnd(20)}${kb(s.raw)}${kb(s.gzip)}${kb(s.brotli)}`)
const p = rows[1]![1]
const d = rows[2]![1]
console.log(
  `${'panel − baseline'.padEnd(20)}${kb(p.raw - d.raw)}${kb(p.gzip - d.gzip)}${kb(p.brotli - d.brotli)}` +
    `   (the app's own share; ${Math.round(((p.gzip - d.gzip) / p.gzip) * 100)}% of the panel, gzip)`,
)
console.log('budgets (gzip): loader 4 KB, panel 35 KB; CI checks them with scripts/check-size.ts')
