/**
 * The agent's sites, as every site-scoped page (knowledge base, policy, settings, reports) needs
 * them: one request, one hook, one rule for which site the route means.
 */
import { useEffect, useState } from 'preact/hooks'
import { sendJson } from './http.ts'
import type { Reply } from './transport.ts'
import { useI18n } from './views/context.ts'

export interface SiteRef {
  id: string
  name: string
}

/** `GET /api/kb/sites`: the sites the signed-in agent works on. */
export function fetchSites(
  fetchImpl: typeof fetch = (...args) => fetch(...args),
): Promise<Reply<{ sites: SiteRef[] }>> {
  return sendJson<{ sites: SiteRef[] }>(fetchImpl, 'GET', '/api/kb/sites')
}

/** Loads the sites once per `load`; `failure` is the error as the agent reads it. */
export function useSites(load: () => Promise<Reply<{ sites: SiteRef[] }>>): {
  sites: SiteRef[] | null
  failure: string | null
} {
  const { error: describe } = useI18n()
  const [sites, setSites] = useState<SiteRef[] | null>(null)
  const [failure, setFailure] = useState<string | null>(null)
  useEffect(() => {
    let live = true
    void load().then((reply) => {
      if (!live) return
      if (reply.ok) setSites(reply.data.sites)
      else setFailure(describe(reply.error))
    })
    return () => {
      live = false
    }
  }, [load, describe])
  return { sites, failure }
}

/** The route's site when the agent has it, else their first ('' without any). */
export function siteOf(sites: readonly SiteRef[], wanted: string | null): string {
  return sites.some((s) => s.id === wanted) ? (wanted as string) : (sites[0]?.id ?? '')
}

/** The site `<select>` of a site-scoped page; nothing for an agent of one site. */
export function SitePicker({
  sites,
  siteId,
  onPick,
  class: className = 'site-picker',
}: {
  sites: readonly SiteRef[]
  siteId: string
  onPick(siteId: string): void
  class?: string
}) {
  const { t } = useI18n()
  if (sites.length < 2) return null
  return (
    <label class={className}>
      <span>{t('kb.site')}</span>
      <select value={siteId} onChange={(e) => onPick(e.currentTarget.value)}>
        {sites.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
    </label>
  )
}
