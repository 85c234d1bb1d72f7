/** Starts the relay: `npm start` (after building) or `npm run relay`. */
import { buildApp } from './app.ts'
import { loadConfig } from './config.ts'
import { ensureAdmin, ensureDemoSite } from './seed.ts'
import { acquireRelayLock, releaseRelayLock } from './store/relay-lock.ts'

/** A start-up failure (bad configuration, port taken, unreadable data) as one line, not a stack trace. */
function fail(error: unknown): never {
  const code = (error as NodeJS.ErrnoException).code
  const reason =
    code === 'EADDRINUSE'
      ? `port ${process.env.PORT ?? 8787} is in use: stop the other process or set PORT`
      : error instanceof Error
        ? error.message
        : String(error)
  process.stderr.write(`parley: cannot start: ${reason}\n`)
  process.exit(1)
}

const config = (() => {
  try {
    return loadConfig()
  } catch (error) {
    fail(error)
  }
})()
const app = await buildApp({ config }).catch(fail)
const now = new Date()
const admin = await (async () => {
  await ensureDemoSite(app.parley.store, config, now)
  const created = await ensureAdmin(app.parley.store, config, now)
  await app.listen({ port: config.port, host: config.host })
  return created
})().catch(async (error: unknown) => {
  await app.close().catch(() => undefined)
  fail(error)
})

const base = app.parley.publicUrl()
// Tools that write the data directory directly (kb:import) refuse while this lock is held.
const otherRelay = await acquireRelayLock(config.dataDir, base)
if (otherRelay) app.log.warn({ pid: otherRelay.pid }, 'another relay uses this data directory')
process.on('exit', () => releaseRelayLock(config.dataDir))
const lines = [
  '',
  `  Parley relay is running at ${base}`,
  '',
  `  Demo storefront:  ${base}/demo`,
  `  Agent console:    ${base}/console`,
  `  Script tag:       <script src="${base}/widget.js" data-site="demo" async></script>`,
  '',
]
if (admin?.generatedPassword) {
  lines.push(`  Sign in as ${admin.email} with password ${admin.generatedPassword}`)
  lines.push(
    '  (generated now and shown only once; set PARLEY_ADMIN_EMAIL / PARLEY_ADMIN_PASSWORD to choose)',
  )
} else if (admin) {
  lines.push(`  Sign in as ${admin.email} with the password in PARLEY_ADMIN_PASSWORD`)
} else {
  lines.push('  Sign in with an existing agent account')
}
lines.push(`  Data directory:   ${config.dataDir}`, '')
process.stdout.write(`${lines.join('\n')}\n`)

let stopping = false
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return
    stopping = true
    app.log.info({ signal }, 'shutting down')
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'shutdown failed')
        process.exit(1)
      },
    )
  })
}
