import type { AgentProfile } from '../../../../shared/protocol.ts'
import { initials } from '../format.ts'
import { KbNav } from '../kb/nav.tsx'
import { useI18n } from './context.ts'

interface Props {
  agent: AgentProfile
  onSignOut(): void
}

/** The header: product name, the signed-in agent, sign out. */
export function TopBar({ agent, onSignOut }: Props) {
  const { t } = useI18n()
  return (
    <header class="topbar">
      <div class="brand">
        <span class="brand-mark" aria-hidden="true">
          P
        </span>
        <span class="brand-name">{t('app.name')}</span>
      </div>
      <KbNav />
      <div class="topbar-agent">
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
