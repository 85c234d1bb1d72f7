import type { AgentProfile } from '../../../../shared/protocol.ts'
import { initials } from '../format.ts'
import type { OwnStatus } from '../helpdesk/state.ts'
import { KbNav } from '../kb/nav.tsx'
import { useI18n } from './context.ts'

interface Props {
  agent: AgentProfile
  onSignOut(): void
  /** The helpdesk controls; absent on pages rendered without them. */
  status?: OwnStatus
  onStatus?(status: OwnStatus): void
  alerts?: boolean
  onAlerts?(): void
  onShortcuts?(): void
}

/** The header: product name, sections, the agent's status and alerts, shortcuts, sign out. */
export function TopBar({ agent, onSignOut, ...helpdesk }: Props) {
  const { t } = useI18n()
  return (
    <header class="topbar">
      <div class="brand">
        <span class="brand-mark" aria-hidden="true">
          P
        </span>
        <span class="brand-name">{t('app.name')}</span>
      </div>
      <KbNav admin={agent.role === 'admin'} />
      <div class="topbar-agent">
        {helpdesk.onShortcuts && (
          <button
            type="button"
            class="btn btn--ghost btn--icon"
            aria-label={t('shortcuts.title')}
            title={t('shortcuts.title')}
            onClick={helpdesk.onShortcuts}
          >
            <span aria-hidden="true">⌨</span>
          </button>
        )}
        {helpdesk.onAlerts && (
          <button
            type="button"
            class={helpdesk.alerts ? 'btn btn--ghost btn--icon' : 'btn btn--ghost btn--icon btn--off'}
            aria-pressed={helpdesk.alerts}
            aria-label={t('alerts.label')}
            title={helpdesk.alerts ? t('alerts.on') : t('alerts.off')}
            onClick={helpdesk.onAlerts}
          >
            <span class={helpdesk.alerts ? 'bell' : 'bell bell--off'} aria-hidden="true" />
          </button>
        )}
        {helpdesk.onStatus && (
          <fieldset class="status-switch">
            <legend class="visually-hidden">{t('presence.yours')}</legend>
            {(['online', 'away'] as const).map((s) => (
              <button
                key={s}
                type="button"
                class={`status-option status-option--${s}`}
                aria-pressed={helpdesk.status === s}
                onClick={() => helpdesk.onStatus?.(s)}
              >
                <span class={`presence-dot presence-dot--${s}`} aria-hidden="true" />
                {t(`presence.${s}`)}
              </button>
            ))}
          </fieldset>
        )}
        <span class="avatar avatar--small" aria-hidden="true">
          {initials(agent.name)}
        </span>
        <span class="agent-name" title={t('header.agent', { name: agent.name })}>
          {agent.name}
        </span>
        <button class="btn btn--ghost" type="button" onClick={onSignOut}>
          {t('header.signOut')}
        </button>
      </div>
    </header>
  )
}
