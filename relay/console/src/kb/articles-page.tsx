/** The article list: verified / draft / needs-review badges, votes, a filter, New and Import. */
import { useEffect, useState } from 'preact/hooks'
import type { ArticleListItem } from '../../../../shared/kb.ts'
import { relativeTime } from '../format.ts'
import { useI18n, useNow } from '../views/context.ts'
import type { KbApi } from './api.ts'
import { ImportPanel } from './import-panel.tsx'
import { kbHash } from './route.ts'

export function matchesFilter(a: ArticleListItem, filter: string): boolean {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean)
  const text = `${a.title} ${a.slug} ${a.tags.join(' ')}`.toLowerCase()
  return words.every((w) => text.includes(w))
}

export function ArticlesPage({ api, siteId }: { api: KbApi; siteId: string }) {
  const { t, locale, error: describe } = useI18n()
  const now = useNow()
  const [articles, setArticles] = useState<ArticleListItem[] | null>(null)
  const [failure, setFailure] = useState<string | null>(null)
  const [filter, setFilter] = useState('')
  const [importing, setImporting] = useState(false)

  const load = (): void => {
    void api.list(siteId).then((reply) => {
      if (reply.ok) setArticles(reply.data.articles)
      else setFailure(describe(reply.error))
    })
  }
  useEffect(load, [api, siteId])

  const shown = (articles ?? []).filter((a) => matchesFilter(a, filter))
  return (
    <section class="kb-section" aria-labelledby="kb-title">
      <header class="kb-head">
        <div>
          <h2 id="kb-title">{t('kb.title')}</h2>
          <p class="muted">{t('kb.intro')}</p>
        </div>
        <div class="kb-actions">
          <button
            type="button"
            class="btn"
            aria-expanded={importing}
            onClick={() => setImporting(!importing)}
          >
            {t('kb.import')}
          </button>
          <a class="btn btn--primary" href={kbHash('new', siteId)}>
            {t('kb.new')}
          </a>
        </div>
      </header>
      {importing && <ImportPanel api={api} siteId={siteId} onImported={load} />}
      <input
        class="kb-filter"
        type="search"
        aria-label={t('kb.filter')}
        placeholder={t('kb.filterPlaceholder')}
        value={filter}
        onInput={(e) => setFilter(e.currentTarget.value)}
      />
      {failure && (
        <p role="alert" class="kb-error">
          {failure}
        </p>
      )}
      {!articles && !failure && <p class="muted">{t('kb.loading')}</p>}
      {articles && articles.length === 0 && <p class="muted">{t('kb.empty')}</p>}
      {articles && articles.length > 0 && shown.length === 0 && <p class="muted">{t('kb.noMatch')}</p>}
      {shown.length > 0 && (
        <ul class="article-list" aria-label={t('kb.count', { count: shown.length })}>
          {shown.map((a) => (
            <li key={a.slug} class="article-row" data-slug={a.slug}>
              <div class="article-row-main">
                <a href={kbHash('edit', siteId, { slug: a.slug })} class="article-title">
                  {a.title}
                </a>
                <span class="muted article-slug">{a.slug}</span>
                <p class="article-excerpt muted">{a.excerpt}</p>
              </div>
              <div class="article-row-meta">
                <span class={a.verified ? 'kb-badge kb-badge--verified' : 'kb-badge kb-badge--draft'}>
                  {a.verified ? t('kb.verified') : t('kb.draft')}
                </span>
                {a.needsReview && <span class="kb-badge kb-badge--review">{t('kb.needsReview')}</span>}
                <span class="muted">{t('kb.votes', { up: a.helpful, down: a.notHelpful })}</span>
                {a.examples.length > 0 && (
                  <span class="muted">{t('kb.examples', { n: a.examples.length })}</span>
                )}
                <time class="muted" dateTime={a.updatedAt}>
                  {relativeTime(t, locale, a.updatedAt, now)}
                </time>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
