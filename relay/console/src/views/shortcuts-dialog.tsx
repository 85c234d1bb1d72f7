import { SHORTCUTS } from '../helpdesk/shortcuts.ts'
import { useI18n } from './context.ts'
import { Dialog } from './dialog.tsx'

/** The list of keyboard shortcuts (`?`, or "Keyboard shortcuts" in the top bar). */
export function ShortcutsDialog({ onClose }: { onClose(): void }) {
  const { t } = useI18n()
  return (
    <Dialog title={t('shortcuts.title')} onClose={onClose} class="dialog--shortcuts">
      <p class="muted dialog-intro">{t('shortcuts.intro')}</p>
      <table class="shortcuts">
        <thead class="visually-hidden">
          <tr>
            <th scope="col">{t('shortcuts.key')}</th>
            <th scope="col">{t('shortcuts.action')}</th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.command}>
              <td>
                {s.keys.map((k, i) => (
                  <span key={k}>
                    {i > 0 && <span class="muted"> {t('shortcuts.or')} </span>}
                    <kbd>{k}</kbd>
                  </span>
                ))}
              </td>
              <td>{t(s.label)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Dialog>
  )
}
