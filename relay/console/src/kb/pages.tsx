/**
 * The knowledge-base pages' container: the agent's sites, the site picker, and the page of the
 * route. Data is fetched per page (these are editing screens, not live views: nothing pushes).
 */
import { useMemo } from 'preact/hooks'
import type { AgentProfile } from '../../../../shared/protocol.ts'
import { useI18n } from '../views/context.ts'
import { createKbApi, type KbApi } from './api.ts'
import { ArticlesPage } from './articles-page.tsx'
import { ArticleEditor } from './editor.tsx'
import { GapsPage } from './gaps-page.tsx'
import { ReviewPage } from './review-page.tsx'
import { type KbPage, kbHash, kbPageFromHash } from './route.ts'
import './kb.css'
import { SitePicker, siteOf, useSites } from '../sites.tsx'

export { kbPageFromHash }

interface Props {
  page: KbPage
  agent: AgentProfile
  api?: KbApi
}

export function KbPages({ page, agent, api: given }: Props) {
  const { t } = useI18n()
  const api = useMemo(() => given ?? createKbApi(), [given])
  const { sites, failure } = useSites(api.sites)

  if (failure)
    return (
      <p role="alert" class="kb-page kb-error">
        {failure}
      </p>
    )
  if (!sites) return <p class="kb-page muted">{t('kb.loading')}</p>
  if (sites.length === 0) return <p class="kb-page muted">{t('kb.noSites')}</p>
  const siteId = siteOf(sites, page.site)

  return (
    <main class="kb-page" id="conversation">
      <SitePicker
        sites={sites}
        siteId={siteId}
        onPick={(site) => {
          location.hash = kbHash(page.name === 'edit' || page.name === 'new' ? 'articles' : page.name, site)
        }}
      />
      {page.name === 'articles' && <ArticlesPage key={siteId} api={api} siteId={siteId} />}
      {page.name === 'new' && (
        <ArticleEditor
          key={`new-${siteId}`}
          api={api}
          siteId={siteId}
          slug={null}
          prefill={{ title: page.title ?? '', questions: page.questions ?? [] }}
        />
      )}
      {page.name === 'edit' && (
        <ArticleEditor
          key={`${siteId}/${page.slug}`}
          api={api}
          siteId={siteId}
          slug={page.slug}
          prefill={null}
        />
      )}
      {page.name === 'gaps' && <GapsPage key={siteId} api={api} siteId={siteId} />}
      {page.name === 'review' && <ReviewPage key={siteId} api={api} siteId={siteId} agent={agent} />}
    </main>
  )
}
