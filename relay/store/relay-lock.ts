/**
 * `relay.lock` in the data directory: the running relay's pid and URL. The lowdb store keeps
 * state in memory and is single-process, so tools that write the data directory directly (the
 * `kb:import` CLI) refuse while a live relay holds the lock.
 */
import { readFileSync, unlinkSync } from 'node:fs'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'

export const LOCK_FILE = 'relay.lock'

export interface RelayLock {
  pid: number
  url: string
  startedAt: string
}

function lockPath(dataDir: string): string {
  return path.join(dataDir, LOCK_FILE)
}

function parseLock(text: string): RelayLock | null {
  try {
    const data = JSON.parse(text) as Partial<RelayLock>
    if (typeof data.pid !== 'number' || !Number.isInteger(data.pid) || data.pid <= 0) return null
    return { pid: data.pid, url: String(data.url ?? ''), startedAt: String(data.startedAt ?? '') }
  } catch {
    return null
  }
}

/** Whether a process with this pid exists (EPERM: it exists but belongs to someone else). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** The lock as written, or null when there is none (or it is unreadable). */
export async function readRelayLock(dataDir: string): Promise<RelayLock | null> {
  try {
    return parseLock(await readFile(lockPath(dataDir), 'utf8'))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
}

/** The lock of a relay that is still running; a lock left by a crashed relay is null. */
export async function liveRelayLock(dataDir: string): Promise<RelayLock | null> {
  const lock = await readRelayLock(dataDir)
  return lock && lock.pid !== process.pid && pidAlive(lock.pid) ? lock : null
}

/**
 * Writes this process's lock (atomically). Returns the live lock of another relay it replaced,
 * if any, so the caller can warn: two relays on one data directory will lose writes.
 */
export async function acquireRelayLock(dataDir: string, url: string): Promise<RelayLock | null> {
  const other = await liveRelayLock(dataDir)
  await mkdir(dataDir, { recursive: true })
  const lock: RelayLock = { pid: process.pid, url, startedAt: new Date().toISOString() }
  const temp = `${lockPath(dataDir)}.${process.pid}.tmp`
  await writeFile(temp, `${JSON.stringify(lock)}\n`)
  await rename(temp, lockPath(dataDir))
  return other
}

/** Removes the lock if this process holds it. Synchronous, so it also works in an `exit` handler. */
export function releaseRelayLock(dataDir: string): void {
  try {
    const lock = parseLock(readFileSync(lockPath(dataDir), 'utf8'))
    if (lock?.pid === process.pid) unlinkSync(lockPath(dataDir))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
}
