/** Test support: the relay started as a user starts it (`relay/main.ts`), on a free port. */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '../..')

export interface RelayProcess {
  child: ChildProcessWithoutNullStreams
  /** The base URL it printed (with 127.0.0.1 for the host). */
  url: Promise<string>
  exited: Promise<number | null>
  output(): string
  stop(): Promise<number | null>
}

export function startRelayProcess(env: Record<string, string>): RelayProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'relay/main.ts'], {
    cwd: root,
    // The local bot unless a test says otherwise: a developer's real API key must not leak into tests.
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      PARLEY_LOG_LEVEL: 'warn',
      PARLEY_BOT_PROVIDER: 'local',
      ...env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let output = ''
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const url = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const match = /running at (http:\/\/\S+)/.exec(output)
      if (match?.[1]) resolve(match[1].replace('localhost', '127.0.0.1'))
    })
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    void exited.then((code) => reject(new Error(`relay exited (${code}) before listening: ${output}`)))
  })
  return {
    child,
    url,
    exited,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM')
      return exited
    },
  }
}
