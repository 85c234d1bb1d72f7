/** The translator reaches every view through context; views stay presentational otherwise. */
import { createContext } from 'preact'
import { useContext, useEffect, useState } from 'preact/hooks'
import type { Translator } from '../i18n.ts'

export const I18n = createContext<Translator | null>(null)

export function useI18n(): Translator {
  const translator = useContext(I18n)
  if (!translator) throw new Error('useI18n outside <I18n.Provider>')
  return translator
}

/** The current time, refreshed every `intervalMs`, so relative times stay right. */
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs)
    return () => clearInterval(timer)
  }, [intervalMs])
  return now
}
