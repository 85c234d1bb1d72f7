/** Loads one thing over HTTP for a settings page: the value, the error, and a way to reload or replace it. */
import { useCallback, useEffect, useState } from 'preact/hooks'
import type { UiError } from '../store.ts'
import type { Reply } from '../transport.ts'

export interface Remote<T> {
  data: T | null
  error: UiError | null
  loading: boolean
  reload(): void
  set(data: T): void
}

export function useRemote<T>(load: () => Promise<Reply<T>>, deps: readonly unknown[]): Remote<T> {
  const [data, setData] = useState<T | null>(null)
  const [error, setError] = useState<UiError | null>(null)
  const [loading, setLoading] = useState(true)
  const [round, setRound] = useState(0)
  // The caller names what the load depends on (like useEffect's list).
  const run = useCallback(load, deps)
  useEffect(() => {
    let live = true
    setLoading(true)
    void run().then((reply) => {
      if (!live) return
      setLoading(false)
      if (reply.ok) {
        setData(reply.data)
        setError(null)
      } else setError(reply.error)
    })
    return () => {
      live = false
    }
  }, [run, round])
  return { data, error, loading, reload: () => setRound((r) => r + 1), set: setData }
}
