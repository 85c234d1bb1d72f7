/** The relay's signing secret: `PARLEY_SECRET` when set, else a random key kept in the data directory. */
import { randomBytes } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'

/** Loads the secret, creating `secret.key` (mode 0600) on first start. */
export async function loadSecret(dataDir: string, fromEnv: string | undefined): Promise<Buffer> {
  if (fromEnv) return Buffer.from(fromEnv, 'utf8')
  const file = path.join(dataDir, 'secret.key')
  try {
    return Buffer.from((await readFile(file, 'utf8')).trim(), 'base64')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  await mkdir(dataDir, { recursive: true })
  const key = randomBytes(32)
  // 'wx' fails if another process created it meanwhile; then read theirs.
  try {
    await writeFile(file, key.toString('base64'), { mode: 0o600, flag: 'wx' })
    return key
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    return Buffer.from((await readFile(file, 'utf8')).trim(), 'base64')
  }
}
