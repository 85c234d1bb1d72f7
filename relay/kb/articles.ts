/**
 * Changes to a site's articles and how the console sees them. Every read-modify-write of an
 * article goes through `changeArticle`, one at a time per site and store, so two votes or an edit
 * racing a learnt example never lose each other's change.
 */
import type { ArticleListItem, ArticleView } from '../../shared/kb.ts'
import { MAX_ARTICLE_EXAMPLES } from '../../shared/kb.ts'
import { markdownToText } from '../bot/markdown.ts'
import type { Article, Store } from '../store/types.ts'
import { KeyedQueue } from '../util/keyed-queue.ts'

const queues = new WeakMap<Store, KeyedQueue>()

/** Runs `task` while no other article change of that site (in this process) runs. */
export function serializeSite<T>(store: Store, siteId: string, task: () => Promise<T>): Promise<T> {
  let queue = queues.get(store)
  if (!queue) {
    queue = new KeyedQueue()
    queues.set(store, queue)
  }
  return queue.run(siteId, task)
}

export async function findArticle(store: Store, siteId: string, slug: string): Promise<Article | null> {
  return (await store.listArticles(siteId)).find((a) => a.slug === slug) ?? null
}

/**
 * Atomic (per process) update of one article: `change` sees the current article and returns the
 * next one, or null to leave it as it is. Null when there is no such article.
 */
export function changeArticle(
  store: Store,
  siteId: string,
  slug: string,
  change: (current: Article) => Article | null,
): Promise<{ before: Article; after: Article } | null> {
  return serializeSite(store, siteId, async () => {
    const before = await findArticle(store, siteId, slug)
    if (!before) return null
    const after = change(structuredClone(before))
    if (after === null) return { before, after: before }
    await store.putArticle(after)
    return { before, after }
  })
}

/** How two questions are compared for duplicates: case, spacing and end punctuation ignored. */
export function questionKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[\s?!.]+$/, '')
    .trim()
}

/**
 * The article's examples with `questions` added: duplicates dropped, the newest kept when over
 * the cap. `added` counts the questions that were new.
 */
export function withExamples(
  article: Article,
  questions: readonly string[],
): { examples: string[]; added: number } {
  const examples = [...(article.examples ?? [])]
  const seen = new Set(examples.map(questionKey))
  let added = 0
  for (const raw of questions) {
    const question = raw.replace(/\s+/g, ' ').trim()
    const key = questionKey(question)
    if (key === '' || seen.has(key)) continue
    seen.add(key)
    examples.push(question)
    added++
  }
  return { examples: examples.slice(-MAX_ARTICLE_EXAMPLES), added }
}

/** The first words of an article's body as plain text. */
export function bodyExcerpt(body: string, max = 180): string {
  const text = markdownToText(body).replace(/^- /gm, '').replace(/\s+/g, ' ').trim()
  if (text.length <= max) return text
  return `${text.slice(0, max - 1).replace(/\s+\S*$/, '')}…`
}

export function toArticleView(article: Article, publicUrl: string): ArticleView {
  return {
    slug: article.slug,
    title: article.title,
    tags: article.tags,
    verified: article.verified,
    body: article.body,
    url: article.url,
    publicUrl,
    examples: article.examples ?? [],
    needsReview: article.needsReview ?? false,
    helpful: article.helpful ?? 0,
    notHelpful: article.notHelpful ?? 0,
    updatedAt: article.updatedAt,
  }
}

export function toArticleListItem(article: Article, publicUrl: string): ArticleListItem {
  const { body, ...rest } = toArticleView(article, publicUrl)
  return { ...rest, excerpt: bodyExcerpt(body) }
}
