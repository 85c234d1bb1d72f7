/**
 * The helpdesk settings' hash routes: `#/settings/agents`, `…/teams`, `…/macros`, `…/sla`,
 * `…/hours`, `…/identity` (widget security), `…/outbox` (the demo's outgoing mail), with `?site=ID` to pick the site. (`#/settings/policy` is the bot policy's own page.)
 */

export const SETTINGS_PAGES = ['agents', 'teams', 'macros', 'sla', 'hours', 'identity', 'outbox'] as const
export type SettingsPage = (typeof SETTINGS_PAGES)[number]

export interface SettingsRoute {
  page: SettingsPage
  site: string | null
}

export function settingsRouteFromHash(hash: string): SettingsRoute | null {
  const [route = '', query = ''] = hash.replace(/^#/, '').split('?')
  const m = /^\/settings(?:\/([a-z]+))?\/?$/.exec(route)
  if (!m) return null
  const page = (m[1] ?? 'agents') as SettingsPage
  if (!SETTINGS_PAGES.includes(page)) return null
  return { page, site: new URLSearchParams(query).get('site') }
}

export function settingsHash(page: SettingsPage, site: string | null): string {
  return `#/settings/${page}${site ? `?site=${encodeURIComponent(site)}` : ''}`
}
