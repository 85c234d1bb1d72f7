/**
 * Settings (admins only): agents, teams, macros, SLA targets with assignment, business hours, widget
 * security (identity verification), and the demo's outbox. The
 * container loads the agent's sites and shows the page of the route with its own side navigation.
 */
import { useEffect, useMemo, useState } from 'preact/hooks'
import type { AgentProfile } from '../../../../shared/protocol.ts'
import { OutboxPage } from '../email/outbox-page.tsx'
import type { MessageKey } from '../i18n.ts'
import { useI18n } from '../views/context.ts'
import { AgentsPage } from './agents-page.tsx'
import { createSettingsApi, type SettingsApi, type SiteRef } from './api.ts'
import { HoursPage } from './hours-page.tsx'
import { IdentityPage } from './identity-page.tsx'
import { MacrosPage } from './macros-page.tsx'
import { SETTINGS_PAGES, type SettingsRoute, settingsHash } from './route.ts'
import { SlaPage } from './sla-page.tsx'
import { TeamsPage } from './teams-page.tsx'
import './settings.css'
import { SitePicker, siteOf } from '../sites.tsx'

interface Props {
  route: SettingsRoute
  agent: AgentProfile
  api?: SettingsApi
}

export function SettingsPages({ route, agent, api: given }: Props) {
  const { t, error: describe } = useI18n()
  const api = useMemo(() => given ?? createSettingsApi(), [given])
  const [sites, setSites] = useState<SiteRef[] | null>(null)
  const [failure, setFailure] = useState<string | null>(null)
  const admin = agent.role === 'admin'

  useEffect(() => {
    if (!admin) return
    void api.sites().then((reply) => {
      if (reply.ok) setSites(reply.data)
      else setFailure(describe(reply.error))
    })
  }, [api, describe, admin])

  if (!admin)
    return (
      <main class="settings" id="conversation">
        <p class="settings-empty" role="alert">
          {t('settings.adminsOnly')}
        </p>
      </main>
    )
  if (failure)
    return (
      <main class="settings" id="conversation">
        <p role="alert" class="settings-empty">
          {failure}
        </p>
      </main>
    )
  if (!sites) return <main class="settings muted">{t('kb.loading')}</main>
  const siteId = siteOf(sites, route.site)

  return (
    <div class="settings">
      <nav class="settings-nav" aria-label={t('settings.title')}>
        <h2>{t('settings.title')}</h2>
        <SitePicker
          sites={sites}
          siteId={siteId}
          onPick={(site) => (location.hash = settingsHash(route.page, site))}
        />
        <ul>
          {SETTINGS_PAGES.map((p) => (
            <li key={p}>
              <a
                href={settingsHash(p, route.site)}
                class="settings-link"
                aria-current={p === route.page ? 'page' : undefined}
              >
                {t(`settings.nav.${p}` as MessageKey)}
              </a>
            </li>
          ))}
          <li>
            <a href="#/settings/policy" class="settings-link">
              {t('nav.policy')}
            </a>
          </li>
        </ul>
      </nav>
      <main class="settings-main" id="conversation">
        {siteId === '' ? (
          <p class="settings-empty">{t('kb.noSites')}</p>
        ) : route.page === 'agents' ? (
          <AgentsPage key={siteId} api={api} siteId={siteId} self={agent} />
        ) : route.page === 'teams' ? (
          <TeamsPage key={siteId} api={api} siteId={siteId} />
        ) : route.page === 'macros' ? (
          <MacrosPage key={siteId} api={api} siteId={siteId} agentName={agent.name} />
        ) : route.page === 'identity' ? (
          <IdentityPage key={siteId} siteId={siteId} />
        ) : route.page === 'outbox' ? (
          <OutboxPage />
        ) : route.page === 'sla' ? (
          <SlaPage key={siteId} api={api} siteId={siteId} />
        ) : (
          <HoursPage key={siteId} api={api} siteId={siteId} />
        )}
      </main>
    </div>
  )
}
