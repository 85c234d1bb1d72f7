/**
 * The knowledge-base HTTP API as the console calls it (same origin, the session cookie). Every
 * call resolves to the ack envelope; network failures become `network_error`. No decisions here.
 */
import type {
  ArticleListItem,
  ArticleView,
  BotAnswerReview,
  ImportReport,
  KnowledgeGap,
  ReviewVerdict,
} from '../../../../shared/kb.ts'
import type { AuditEvent } from '../../../../shared/protocol.ts'
import { sendJson } from '../http.ts'

import { fetchSites, type SiteRef } from '../sites.tsx'

export type { SiteRef }

export interface ArticleFields {
  title: string
  tags: string[]
  verified: boolean
  body: string
  needsReview?: boolean
  examples?: string[]
}

const site = (id: string) => `/api/sites/${encodeURIComponent(id)}`

export function createKbApi(fetchImpl: typeof fetch = (...args) => fetch(...args)) {
  return {
    sites: () => fetchSites(fetchImpl),
    list: (siteId: string) =>
      sendJson<{ articles: ArticleListItem[] }>(fetchImpl, 'GET', `${site(siteId)}/articles`),
    get: (siteId: string, slug: string) =>
      sendJson<{ article: ArticleView }>(fetchImpl, 'GET', `${site(siteId)}/articles/${slug}`),
    create: (siteId: string, slug: string, fields: ArticleFields) =>
      sendJson<{ article: ArticleView }>(fetchImpl, 'POST', `${site(siteId)}/articles`, { slug, ...fields }),
    update: (siteId: string, slug: string, fields: Partial<ArticleFields>) =>
      sendJson<{ article: ArticleView }>(fetchImpl, 'PUT', `${site(siteId)}/articles/${slug}`, fields),
    remove: (siteId: string, slug: string) =>
      sendJson<{ slug: string }>(fetchImpl, 'DELETE', `${site(siteId)}/articles/${slug}`),
    addExamples: (siteId: string, slug: string, questions: string[]) =>
      sendJson<{ article: ArticleView; added: number }>(
        fetchImpl,
        'POST',
        `${site(siteId)}/articles/${slug}/examples`,
        {
          questions,
        },
      ),
    importFiles: (siteId: string, files: { name: string; content: string }[]) =>
      sendJson<{ report: ImportReport }>(fetchImpl, 'POST', `${site(siteId)}/articles/import`, { files }),
    preview: (markdown: string) =>
      sendJson<{ html: string }>(fetchImpl, 'POST', '/api/preview', { markdown }),
    gaps: (siteId: string) =>
      sendJson<{ gaps: KnowledgeGap[] }>(fetchImpl, 'GET', `${site(siteId)}/knowledge-gaps`),
    reviews: (siteId: string, status: 'all' | 'unreviewed' | 'reviewed') =>
      sendJson<{ reviews: BotAnswerReview[] }>(fetchImpl, 'GET', `${site(siteId)}/reviews?status=${status}`),
    review: (
      siteId: string,
      input: { conversationId: string; messageId: string; verdict: ReviewVerdict; note?: string },
    ) =>
      sendJson<{ event: AuditEvent; flagged: string[] }>(fetchImpl, 'POST', `${site(siteId)}/reviews`, input),
  }
}

export type KbApi = ReturnType<typeof createKbApi>

let shared: KbApi | null = null
/** One API object for views that are not handed one (created on first use, not at import). */
export function kbApi(): KbApi {
  shared ??= createKbApi()
  return shared
}
