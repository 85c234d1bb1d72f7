import type { ConsoleState } from '../store.ts'
import { useI18n } from './context.ts'

/** Says so while the live connection is down; an empty live region otherwise. */
export function ConnectionBanner({ connection }: { connection: ConsoleState['connection'] }) {
  const { t } = useI18n()
  const down = connection.status === 'disconnected'
  return (
    <div class={down ? 'banner banner--offline' : 'banner'} role="status" aria-live="polite">
      {down && (
        <>
          <span class="banner-dot" aria-hidden="true" />
          {t('connection.lost')}
        </>
      )}
    </div>
  )
}
