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
import type { Reply } from '../transport.ts'

export interface SiteRef {
  id: string
  name: string
}

export interface ArticleFields {
  title: string
  tags: string[]
  verified: boolean
  body: string
  needsReview?: boolean
  examples?: string[]
}

type Fetch = typeof fetch

const STATUS_CODES: Record<
  number,
  'invalid_payload' | 'unauthorized' | 'forbidden' | 'not_found' | 'rate_limited'
> = {
  400: 'invalid_payload',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  429: 'rate_limited',
}

async function send<T>(
  fetchImpl: Fetch,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<Reply<T>> {
  let res: Response
  try {
    res = await fetchImpl(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  } catch {
    return { ok: false, error: { code: 'network_error', message: `${path}: network error` } }
  }
  const parsed = (await res.json().catch(() => null)) as Reply<T> | null
  if (parsed && typeof parsed === 'object' && 'ok' in parsed) return parsed
  return {
    ok: false,
    error: { code: STATUS_CODES[res.status] ?? 'internal_error', message: `${path}: HTTP ${res.status}` },
  }
}

const site = (id: string) => `/api/sites/${encodeURIComponent(id)}`

export function createKbApi(fetchImpl: Fetch = (...args) => fetch(...args)) {
  return {
    sites: () => send<{ sites: SiteRef[] }>(fetchImpl, 'GET', '/api/kb/sites'),
    list: (siteId: string) =>
      send<{ articles: ArticleListItem[] }>(fetchImpl, 'GET', `${site(siteId)}/articles`),
    get: (siteId: string, slug: string) =>
      send<{ article: ArticleView }>(fetchImpl, 'GET', `${site(siteId)}/articles/${slug}`),
    create: (siteId: string, slug: string, fields: ArticleFields) =>
      send<{ article: ArticleView }>(fetchImpl, 'POST', `${site(siteId)}/articles`, { slug, ...fields }),
    update: (siteId: string, slug: string, fields: Partial<ArticleFields>) =>
      send<{ article: ArticleView }>(fetchImpl, 'PUT', `${site(siteId)}/articles/${slug}`, fields),
    remove: (siteId: string, slug: string) =>
      send<{ slug: string }>(fetchImpl, 'DELETE', `${site(siteId)}/articles/${slug}`),
    addExamples: (siteId: string, slug: string, questions: string[]) =>
      send<{ article: ArticleView; added: number }>(
        fetchImpl,
        'POST',
        `${site(siteId)}/articles/${slug}/examples`,
        {
          questions,
        },
      ),
    importFiles: (siteId: string, files: { name: string; content: string }[]) =>
      send<{ report: ImportReport }>(fetchImpl, 'POST', `${site(siteId)}/articles/import`, { files }),
    preview: (markdown: string) => send<{ html: string }>(fetchImpl, 'POST', '/api/preview', { markdown }),
    gaps: (siteId: string) =>
      send<{ gaps: KnowledgeGap[] }>(fetchImpl, 'GET', `${site(siteId)}/knowledge-gaps`),
    reviews: (siteId: string, status: 'all' | 'unreviewed' | 'reviewed') =>
      send<{ reviews: BotAnswerReview[] }>(fetchImpl, 'GET', `${site(siteId)}/reviews?status=${status}`),
    review: (
      siteId: string,
      input: { conversationId: string; messageId: string; verdict: ReviewVerdict; note?: string },
    ) => send<{ event: AuditEvent; flagged: string[] }>(fetchImpl, 'POST', `${site(siteId)}/reviews`, input),
  }
}

export type KbApi = ReturnType<typeof createKbApi>

let shared: KbApi | null = null
/** One API object for views that are not handed one (created on first use, not at import). */
export function kbApi(): KbApi {
  shared ??= createKbApi()
  return shared
}
