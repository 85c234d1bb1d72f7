/** Knowledge gaps: handed-off questions grouped by similarity; write an article, or link one. */
import { useEffect, useState } from 'preact/hooks'
import type { ArticleListItem, KnowledgeGap } from '../../../../shared/kb.ts'
import { reasonLabel, relativeTime } from '../format.ts'
import { useI18n, useNow } from '../views/context.ts'
import type { KbApi } from './api.ts'
import { kbHash } from './route.ts'

/** How many questions travel in the "write an article" link (the hash stays a sane length). */
const PREFILL_QUESTIONS = 10

export function GapsPage({ api, siteId }: { api: KbApi; siteId: string }) {
  const { t, error: describe } = useI18n()
  const [gaps, setGaps] = useState<KnowledgeGap[] | null>(null)
  const [articles, setArticles] = useState<ArticleListItem[]>([])
  const [failure, setFailure] = useState<string | null>(null)
  const [notice, setNotice] = useState<string | null>(null)

  const load = (): void => {
    void api.gaps(siteId).then((reply) => {
      if (reply.ok) setGaps(reply.data.gaps)
      else setFailure(describe(reply.error))
    })
  }
  useEffect(() => {
    load()
    void api.list(siteId).then((reply) => {
      if (reply.ok) setArticles(reply.data.articles)
    })
  }, [api, siteId])

  return (
    <section class="kb-section" aria-labelledby="gaps-title">
      <header class="kb-head">
        <div>
          <h2 id="gaps-title">{t('gaps.title')}</h2>
          <p class="muted">{t('gaps.intro')}</p>
        </div>
      </header>
      {notice && <p role="status">{notice}</p>}
      {failure && (
        <p role="alert" class="kb-error">
          {failure}
        </p>
      )}
      {!gaps && !failure && <p class="muted">{t('kb.loading')}</p>}
      {gaps && gaps.length === 0 && <p class="muted">{t('gaps.empty')}</p>}
      {gaps && gaps.length > 0 && (
        <ul class="gap-list">
          {gaps.map((gap) => (
            <GapItem
              key={gap.id}
              gap={gap}
              siteId={siteId}
              api={api}
              articles={articles}
              onLinked={(title, n) => {
                setNotice(t('gaps.linked', { n, title }))
                load()
              }}
            />
          ))}
        </ul>
      )}
    </section>
  )
}

interface ItemProps {
  gap: KnowledgeGap
  siteId: string
  api: KbApi
  articles: ArticleListItem[]
  onLinked(title: string, added: number): void
}

function GapItem({ gap, siteId, api, articles, onLinked }: ItemProps) {
  const { t, locale, error: describe } = useI18n()
  const now = useNow()
  const [linking, setLinking] = useState(false)
  const [target, setTarget] = useState(gap.closestArticle?.slug ?? articles[0]?.slug ?? '')
  const [busy, setBusy] = useState(false)
  const [failure, setFailure] = useState<string | null>(null)
  const titleId = `gap-${gap.id}`

  async function link(): Promise<void> {
    const slug = target || articles[0]?.slug
    if (!slug) return
    setBusy(true)
    const reply = await api.addExamples(siteId, slug, gap.questions)
    setBusy(false)
    if (!reply.ok) setFailure(describe(reply.error))
    else onLinked(reply.data.article.title, reply.data.added)
  }

  const writeHref = kbHash('new', siteId, {
    title: gap.title.replace(/[?!.]+$/, ''),
    questions: gap.questions.slice(0, PREFILL_QUESTIONS),
  })
  return (
    <li class="gap" aria-labelledby={titleId}>
      <div class="gap-head">
        <h3 id={titleId}>{gap.title}</h3>
        <span class="gap-count">{t('gaps.count', { count: gap.count })}</span>
      </div>
      <p class="muted gap-meta">
        {t('gaps.latest', { time: relativeTime(t, locale, gap.newestAt, now) })}
        {Object.keys(gap.reasons).map((r) => ` · ${reasonLabel(t, r)}`)}
        {gap.closestArticle && ` · ${t('gaps.closest', { title: gap.closestArticle.title })}`}
      </p>
      <ul class="gap-examples">
        {gap.examples.map((q) => (
          <li key={q}>{q}</li>
        ))}
      </ul>
      <div class="gap-actions">
        <a class="btn btn--primary btn--small" href={writeHref}>
          {t('gaps.write')}
        </a>
        {articles.length > 0 && (
          <button
            type="button"
            class="btn btn--small"
            aria-expanded={linking}
            onClick={() => setLinking(!linking)}
          >
            {t('gaps.link')}
          </button>
        )}
      </div>
      {linking && (
        <div class="gap-link">
          <label class="field">
            <span>{t('gaps.linkChoose')}</span>
            <select value={target} onChange={(e) => setTarget(e.currentTarget.value)}>
              {articles.map((a) => (
                <option key={a.slug} value={a.slug}>
                  {a.title}
                  {a.verified ? '' : ` (${t('kb.draft')})`}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            class="btn btn--small btn--primary"
            disabled={busy}
            onClick={() => void link()}
          >
            {t('gaps.linkConfirm')}
          </button>
        </div>
      )}
      {failure && (
        <p role="alert" class="kb-error">
          {failure}
        </p>
      )}
    </li>
  )
}
