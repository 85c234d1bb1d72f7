/**
 * The console's knowledge-base API: articles (list, create, read, edit, delete, import, learnt
 * examples), a Markdown preview, the knowledge-gap report and QA of bot answers. Agents of a site
 * may do all of it; every change to articles invalidates the bot's cache, so it takes effect on
 * the next question.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import MarkdownIt from 'markdown-it'
import {
  ArticleCreateSchema,
  ArticleExamplesSchema,
  ArticleImportSchema,
  ArticleUpdateSchema,
  type KnowledgeGap,
  PreviewSchema,
  ReviewCreateSchema,
} from '../../shared/kb.ts'
import { createRetriever } from '../bot/retrieval.ts'
import { AppError } from '../errors.ts'
import {
  changeArticle,
  findArticle,
  questionKey,
  serializeSite,
  toArticleListItem,
  toArticleView,
} from '../kb/articles.ts'
import { groupQuestions } from '../kb/gaps.ts'
import { ImportError, importArticles, parseImportFiles } from '../kb/import.ts'
import { addExamples } from '../kb/learn.ts'
import { collectGapQuestions, listBotAnswers, recordReview } from '../kb/reviews.ts'
import type { Article } from '../store/types.ts'
import { requireAgent, requireSiteAgent } from './auth-guard.ts'
import { parse } from './validate.ts'

// Same rendering as the public help pages: raw HTML escaped, links checked by validateLink.
const markdown = new MarkdownIt({ html: false, linkify: true })

type SiteParams = { Params: { site: string } }
type ArticleParams = { Params: { site: string; slug: string } }

/** The slug in the URL; imported slugs may be looser than kebab-case (parse.ts), so that is the rule. */
function slugOf(request: FastifyRequest<ArticleParams>): string {
  if (!/^[a-z0-9][a-z0-9-]{0,99}$/.test(request.params.slug))
    throw new AppError('not_found', 'no such article')
  return request.params.slug
}

export async function kbRoutes(app: FastifyInstance): Promise<void> {
  const { store, bot, now } = app.parley
  const publicUrlOf = (a: Article): string =>
    a.url ?? `${app.parley.publicUrl()}/help/${encodeURIComponent(a.siteId)}/${a.slug}`
  const view = (a: Article) => toArticleView(a, publicUrlOf(a))

  /** The signed-in agent's sites, for the console's site picker. */
  app.get('/api/kb/sites', async (request) => {
    const agent = await requireAgent(request)
    const sites = await Promise.all(agent.siteIds.map((id) => store.getSite(id)))
    return {
      ok: true,
      data: { sites: sites.flatMap((s) => (s ? [{ id: s.id, name: s.name }] : [])) },
    }
  })

  app.post('/api/preview', async (request) => {
    await requireAgent(request)
    const { markdown: source } = parse(PreviewSchema, request.body)
    return { ok: true, data: { html: markdown.render(source) } }
  })

  app.get<SiteParams>('/api/sites/:site/articles', async (request) => {
    const { site } = request.params
    await requireSiteAgent(request, site)
    const articles = await store.listArticles(site)
    return { ok: true, data: { articles: articles.map((a) => toArticleListItem(a, publicUrlOf(a))) } }
  })

  app.post<SiteParams>('/api/sites/:site/articles', async (request, reply) => {
    const { site } = request.params
    await requireSiteAgent(request, site)
    const input = parse(ArticleCreateSchema, request.body)
    const article = await serializeSite(store, site, async () => {
      if (await findArticle(store, site, input.slug)) {
        throw new AppError('invalid_payload', `an article with the slug "${input.slug}" exists`, {
          field: 'slug',
        })
      }
      const created: Article = {
        siteId: site,
        slug: input.slug,
        title: input.title,
        tags: input.tags,
        verified: input.verified,
        body: input.body,
        url: input.url,
        ...(input.examples && { examples: input.examples }),
        updatedAt: now().toISOString(),
      }
      await store.putArticle(created)
      return created
    })
    bot.invalidate(site)
    reply.status(201)
    return { ok: true, data: { article: view(article) } }
  })

  app.post<SiteParams>(
    '/api/sites/:site/articles/import',
    { bodyLimit: 4 * 1024 * 1024 },
    async (request) => {
      const { site } = request.params
      await requireSiteAgent(request, site)
      const input = parse(ArticleImportSchema, request.body)
      let articles: Article[]
      try {
        articles = parseImportFiles(input.files, site, now().toISOString())
      } catch (error) {
        if (!(error instanceof ImportError)) throw error
        throw new AppError('invalid_payload', error.message, { files: error.errors })
      }
      const report = await importArticles(store, site, articles)
      bot.invalidate(site)
      return { ok: true, data: { report } }
    },
  )

  app.get<ArticleParams>('/api/sites/:site/articles/:slug', async (request) => {
    const { site } = request.params
    await requireSiteAgent(request, site)
    const article = await findArticle(store, site, slugOf(request))
    if (!article) throw new AppError('not_found', 'no such article')
    return { ok: true, data: { article: view(article) } }
  })

  app.put<ArticleParams>('/api/sites/:site/articles/:slug', async (request) => {
    const { site } = request.params
    await requireSiteAgent(request, site)
    const slug = slugOf(request)
    const input = parse(ArticleUpdateSchema, request.body)
    const changed = await changeArticle(store, site, slug, (current) => {
      const next: Article = { ...current, updatedAt: now().toISOString() }
      if (input.title !== undefined) next.title = input.title
      if (input.tags !== undefined) next.tags = input.tags
      if (input.verified !== undefined) next.verified = input.verified
      if (input.body !== undefined) next.body = input.body
      if (input.url !== undefined) next.url = input.url
      if (input.examples !== undefined) next.examples = input.examples
      if (input.needsReview !== undefined) next.needsReview = input.needsReview
      return next
    })
    if (!changed) throw new AppError('not_found', 'no such article')
    bot.invalidate(site)
    return { ok: true, data: { article: view(changed.after) } }
  })

  app.delete<ArticleParams>('/api/sites/:site/articles/:slug', async (request) => {
    const { site } = request.params
    await requireSiteAgent(request, site)
    const slug = slugOf(request)
    const deleted = await serializeSite(store, site, async () => {
      if (!(await findArticle(store, site, slug))) return false
      await store.deleteArticle(site, slug)
      return true
    })
    if (!deleted) throw new AppError('not_found', 'no such article')
    bot.invalidate(site)
    return { ok: true, data: { slug } }
  })

  /** "Link to article": a gap group's questions become the article's example questions. */
  app.post<ArticleParams>('/api/sites/:site/articles/:slug/examples', async (request) => {
    const { site } = request.params
    await requireSiteAgent(request, site)
    const { questions } = parse(ArticleExamplesSchema, request.body)
    const result = await addExamples(store, site, slugOf(request), questions, {
      invalidate: (s) => bot.invalidate(s),
      now,
    })
    if (!result) throw new AppError('not_found', 'no such article')
    return { ok: true, data: { article: view(result.article), added: result.added } }
  })

  app.get<SiteParams>('/api/sites/:site/knowledge-gaps', async (request) => {
    const { site } = request.params
    await requireSiteAgent(request, site)
    const [questions, articles] = await Promise.all([
      collectGapQuestions(store, site),
      store.listArticles(site),
    ])
    // A question already learnt as an example of an article is no longer a gap.
    const learnt = new Set(articles.flatMap((a) => (a.examples ?? []).map(questionKey)))
    const open = questions.filter((q) => !learnt.has(questionKey(q.question)))
    const retriever = createRetriever(articles)
    const gaps: KnowledgeGap[] = groupQuestions(open).map((gap) => {
      const hit = retriever.search(gap.title, 1)[0]
      return {
        ...gap,
        closestArticle: hit
          ? { slug: hit.article.slug, title: hit.article.title, confidence: hit.confidence }
          : null,
      }
    })
    return { ok: true, data: { gaps } }
  })

  app.get<SiteParams & { Querystring: { status?: string; limit?: string } }>(
    '/api/sites/:site/reviews',
    async (request) => {
      const { site } = request.params
      await requireSiteAgent(request, site)
      const status = request.query.status ?? 'all'
      if (status !== 'all' && status !== 'unreviewed' && status !== 'reviewed')
        throw new AppError('invalid_payload', 'status must be all, unreviewed or reviewed')
      const limit = Math.min(500, Math.max(1, Number(request.query.limit ?? 200) || 200))
      const reviews = await listBotAnswers(store, site, { status, limit })
      return { ok: true, data: { reviews } }
    },
  )

  app.post<SiteParams>('/api/sites/:site/reviews', async (request, reply) => {
    const { site } = request.params
    const agent = await requireSiteAgent(request, site)
    const input = parse(ReviewCreateSchema, request.body)
    const outcome = await recordReview(store, agent, site, input, now())
    if (outcome.flagged.length > 0) bot.invalidate(site)
    reply.status(201)
    return { ok: true, data: { event: outcome.event, flagged: outcome.flagged } }
  })
}
