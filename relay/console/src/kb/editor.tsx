/**
 * The article editor: title, slug, tags, verified, Markdown body with a live preview (rendered by
 * the relay exactly as the public help page renders it), learnt example questions; Save, Verify /
 * Un-verify, Delete with a confirmation.
 */
import { useEffect, useState } from 'preact/hooks'
import type { ArticleView } from '../../../../shared/kb.ts'
import { safeHref } from '../format.ts'
import { useI18n } from '../views/context.ts'
import type { ArticleFields, KbApi } from './api.ts'
import { kbHash } from './route.ts'

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/
const PREVIEW_DELAY_MS = 300

/** "Can I return a gift?" → "can-i-return-a-gift". */
export function slugify(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '')
}

interface Draft {
  title: string
  slug: string
  tags: string
  verified: boolean
  needsReview: boolean
  body: string
  examples: string
}

function draftOf(a: ArticleView): Draft {
  return {
    title: a.title,
    slug: a.slug,
    tags: a.tags.join(', '),
    verified: a.verified,
    needsReview: a.needsReview,
    body: a.body,
    examples: a.examples.join('\n'),
  }
}

function fieldsOf(d: Draft): ArticleFields {
  return {
    title: d.title.trim(),
    tags: d.tags
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    verified: d.verified,
    needsReview: d.needsReview,
    body: d.body,
    examples: [
      ...new Set(
        d.examples
          .split('\n')
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    ].slice(-20),
  }
}

interface Props {
  api: KbApi
  siteId: string
  /** null: a new article. */
  slug: string | null
  prefill: { title: string; questions: string[] } | null
}

export function ArticleEditor({ api, siteId, slug, prefill }: Props) {
  const { t, error: describe } = useI18n()
  const [article, setArticle] = useState<ArticleView | null>(null)
  const [draft, setDraft] = useState<Draft | null>(
    slug === null
      ? {
          title: prefill?.title ?? '',
          slug: slugify(prefill?.title ?? ''),
          tags: '',
          verified: false,
          needsReview: false,
          body: '',
          examples: (prefill?.questions ?? []).join('\n'),
        }
      : null,
  )
  const [slugTouched, setSlugTouched] = useState(false)
  const [html, setHtml] = useState('')
  const [busy, setBusy] = useState(false)
  const [status, setStatus] = useState<string | null>(null)
  const [failure, setFailure] = useState<string | null>(null)
  const [confirming, setConfirming] = useState(false)
  const [showErrors, setShowErrors] = useState(false)

  useEffect(() => {
    if (slug === null) return
    void api.get(siteId, slug).then((reply) => {
      if (reply.ok) {
        setArticle(reply.data.article)
        setDraft(draftOf(reply.data.article))
      } else setFailure(describe(reply.error))
    })
  }, [api, siteId, slug, describe])

  const body = draft?.body ?? ''
  useEffect(() => {
    if (body.trim() === '') {
      setHtml('')
      return
    }
    const timer = setTimeout(() => {
      void api.preview(body).then((reply) => {
        if (reply.ok) setHtml(reply.data.html)
      })
    }, PREVIEW_DELAY_MS)
    return () => clearTimeout(timer)
  }, [api, body])

  if (!draft) {
    return failure ? (
      <p role="alert" class="kb-error">
        {failure}
      </p>
    ) : (
      <p class="muted">{t('kb.loading')}</p>
    )
  }

  const set = (patch: Partial<Draft>): void => {
    setDraft({ ...draft, ...patch })
    setStatus(null)
  }
  const titleError = draft.title.trim() === '' ? t('editor.titleMissing') : null
  const slugError = SLUG.test(draft.slug) ? null : t('editor.slugInvalid')

  async function save(event: Event): Promise<void> {
    event.preventDefault()
    if (!draft) return
    setShowErrors(true)
    if (titleError || slugError) return
    setBusy(true)
    setFailure(null)
    const reply =
      slug === null
        ? await api.create(siteId, draft.slug, fieldsOf(draft))
        : await api.update(siteId, slug, fieldsOf(draft))
    setBusy(false)
    if (!reply.ok) {
      setFailure(`${describe(reply.error)} ${reply.error.message}`)
      return
    }
    setArticle(reply.data.article)
    setDraft(draftOf(reply.data.article))
    setStatus(t('editor.saved'))
    if (slug === null) location.hash = kbHash('edit', siteId, { slug: reply.data.article.slug })
  }

  async function toggleVerified(): Promise<void> {
    if (!article || !draft) return
    setBusy(true)
    setFailure(null)
    const reply = await api.update(siteId, article.slug, { verified: !article.verified })
    setBusy(false)
    if (!reply.ok) {
      setFailure(describe(reply.error))
      return
    }
    setArticle(reply.data.article)
    setDraft({ ...draft, verified: reply.data.article.verified })
    setStatus(t('editor.saved'))
  }

  async function remove(): Promise<void> {
    if (!article) return
    setBusy(true)
    const reply = await api.remove(siteId, article.slug)
    setBusy(false)
    if (!reply.ok) {
      setFailure(describe(reply.error))
      setConfirming(false)
      return
    }
    location.hash = kbHash('articles', siteId)
  }

  const publicHref = article?.verified ? safeHref(article.publicUrl) : null
  return (
    <section class="kb-section editor" aria-labelledby="editor-title">
      <header class="kb-head">
        <div>
          <a class="kb-back" href={kbHash('articles', siteId)}>
            {t('editor.back')}
          </a>
          <h2 id="editor-title">{slug === null ? t('editor.newTitle') : t('editor.editTitle')}</h2>
        </div>
        {article && (
          <div class="kb-actions">
            {publicHref && (
              <a class="btn btn--ghost" href={publicHref} target="_blank" rel="noopener noreferrer">
                {t('editor.view')}
              </a>
            )}
            <button type="button" class="btn" disabled={busy} onClick={() => void toggleVerified()}>
              {article.verified ? t('editor.unverify') : t('editor.verify')}
            </button>
            <button type="button" class="btn btn--danger" disabled={busy} onClick={() => setConfirming(true)}>
              {t('editor.delete')}
            </button>
          </div>
        )}
      </header>
      {confirming && article && (
        <div class="confirm" role="alertdialog" aria-labelledby="confirm-text">
          <p id="confirm-text">{t('editor.confirmDelete', { title: article.title })}</p>
          <button type="button" class="btn btn--danger" disabled={busy} onClick={() => void remove()}>
            {t('editor.confirmYes')}
          </button>
          <button type="button" class="btn btn--ghost" onClick={() => setConfirming(false)}>
            {t('editor.cancel')}
          </button>
        </div>
      )}
      {prefill && prefill.questions.length > 0 && (
        <aside class="gap-questions">
          <h3>{t('editor.questionsFromGap')}</h3>
          <ul>
            {prefill.questions.map((q) => (
              <li key={q}>{q}</li>
            ))}
          </ul>
        </aside>
      )}
      <form class="editor-form" onSubmit={(e) => void save(e)} noValidate>
        <div class="editor-fields">
          <label class="field">
            <span>{t('editor.title')}</span>
            <input
              type="text"
              value={draft.title}
              maxLength={200}
              aria-invalid={showErrors && titleError !== null}
              onInput={(e) => {
                const title = e.currentTarget.value
                set(slug === null && !slugTouched ? { title, slug: slugify(title) } : { title })
              }}
            />
            {showErrors && titleError && <small class="form-error">{titleError}</small>}
          </label>
          <label class="field">
            <span>{t('editor.slug')}</span>
            <input
              type="text"
              value={draft.slug}
              readOnly={slug !== null}
              maxLength={100}
              aria-invalid={showErrors && slugError !== null}
              onInput={(e) => {
                setSlugTouched(true)
                set({ slug: e.currentTarget.value })
              }}
            />
            <small class={showErrors && slugError ? 'form-error' : 'muted'}>
              {showErrors && slugError ? slugError : t('editor.slugHint')}
            </small>
          </label>
          <label class="field">
            <span>{t('editor.tags')}</span>
            <input type="text" value={draft.tags} onInput={(e) => set({ tags: e.currentTarget.value })} />
            <small class="muted">{t('editor.tagsHint')}</small>
          </label>
          <label class="check">
            <input
              type="checkbox"
              checked={draft.verified}
              onChange={(e) => set({ verified: e.currentTarget.checked })}
            />
            <span>{t('editor.verified')}</span>
          </label>
          {(article?.needsReview || draft.needsReview) && (
            <label class="check">
              <input
                type="checkbox"
                checked={draft.needsReview}
                onChange={(e) => set({ needsReview: e.currentTarget.checked })}
              />
              <span>{t('editor.needsReview')}</span>
            </label>
          )}
        </div>
        <div class="editor-split">
          <label class="field">
            <span>{t('editor.body')}</span>
            <textarea rows={16} value={draft.body} onInput={(e) => set({ body: e.currentTarget.value })} />
          </label>
          <section class="preview" aria-label={t('editor.preview')} aria-live="polite">
            <h3>{t('editor.preview')}</h3>
            {html ? (
              <div
                class="preview-body"
                // Safe: the relay's markdown-it with html:false escapes raw HTML and refuses javascript: links; it is the public help page's rendering
                dangerouslySetInnerHTML={{ __html: html }}
              />
            ) : (
              <p class="muted">{t('editor.previewEmpty')}</p>
            )}
          </section>
        </div>
        <label class="field">
          <span>{t('editor.examples')}</span>
          <textarea
            rows={4}
            value={draft.examples}
            onInput={(e) => set({ examples: e.currentTarget.value })}
          />
          <small class="muted">{t('editor.examplesHint')}</small>
        </label>
        <div class="editor-actions">
          <button type="submit" class="btn btn--primary" disabled={busy} aria-busy={busy}>
            {t('editor.save')}
          </button>
          {status && <span role="status">{status}</span>}
        </div>
        {failure && (
          <p role="alert" class="kb-error">
            {failure}
          </p>
        )}
      </form>
    </section>
  )
}
