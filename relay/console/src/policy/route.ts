/** The policy page's hash route: `#/settings/policy`, with `?site=ID` to pick the site. */
export interface PolicyRoute {
  site: string | null
}

export function policyRouteFromHash(hash: string): PolicyRoute | null {
  const [route = '', query = ''] = hash.replace(/^#/, '').split('?')
  if (route !== '/settings/policy') return null
  return { site: new URLSearchParams(query).get('site') }
}

export function policyHash(site: string | null): string {
  return site ? `#/settings/policy?site=${encodeURIComponent(site)}` : '#/settings/policy'
}
