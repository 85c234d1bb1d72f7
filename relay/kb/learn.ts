/**
 * Learning from agents: when an agent resolves a handed-off conversation and one of their
 * messages links a help article of the site, the shopper's first question becomes an example
 * question of that article. Retrieval indexes examples, so the bot finds the article for that
 * wording next time (once the article is verified).
 */
import type { Article, Store } from '../store/types.ts'
import { changeArticle, withExamples } from './articles.ts'

export interface LearnDeps {
  /** The bot's `invalidate(siteId)`: the next turn re-reads the articles. */
  invalidate?(siteId: string): void
  now?: () => Date
}

export interface LearnResult {
  question: string | null
  /** Slugs of the articles that gained the question as an example. */
  learnt: string[]
}

const HELP_PATH = /\/help\/([^/\s?#"'<>]+)\/([a-z0-9][a-z0-9-]*)/g

/** Slugs of the site's articles an agent's text links: `/help/SITE/SLUG` on any host, or the article's own url. */
export function linkedArticles(text: string, siteId: string, articles: readonly Article[]): string[] {
  const slugs = new Set<string>()
  const known = new Set(articles.map((a) => a.slug))
  for (const match of text.matchAll(HELP_PATH)) {
    let site: string
    try {
      site = decodeURIComponent(match[1] ?? '')
    } catch {
      continue
    }
    const slug = match[2] ?? ''
    if (site === siteId && known.has(slug)) slugs.add(slug)
  }
  for (const article of articles) {
    if (article.url && text.includes(article.url)) slugs.add(article.slug)
  }
  return [...slugs]
}

/** Adds questions to an article's examples (deduplicated, capped) and invalidates; null when no such article. */
export async function addExamples(
  store: Store,
  siteId: string,
  slug: string,
  questions: readonly string[],
  deps: LearnDeps = {},
): Promise<{ article: Article; added: number } | null> {
  const now = (deps.now ?? (() => new Date()))().toISOString()
  let added = 0
  const result = await changeArticle(store, siteId, slug, (current) => {
    const next = withExamples(current, questions)
    added = next.added
    return next.added === 0 ? null : { ...current, examples: next.examples, updatedAt: now }
  })
  if (!result) return null
  if (added > 0) deps.invalidate?.(siteId)
  return { article: result.after, added }
}

/** Called when an agent resolves a conversation; does nothing unless the bot had handed it off. */
export async function learnFromResolution(
  store: Store,
  conversationId: string,
  deps: LearnDeps = {},
): Promise<LearnResult> {
  const conversation = await store.getConversation(conversationId)
  if (!conversation) return { question: null, learnt: [] }
  const events = await store.listEvents(conversationId)
  if (!events.some((e) => e.type === 'handoff')) return { question: null, learnt: [] }
  const messages = await store.listMessages(conversationId)
  const question = messages.find((m) => m.author === 'contact')?.text.trim() ?? null
  if (!question) return { question: null, learnt: [] }
  const articles = await store.listArticles(conversation.siteId)
  const linked = new Set<string>()
  for (const m of messages) {
    if (m.author !== 'agent') continue
    for (const slug of linkedArticles(m.text, conversation.siteId, articles)) linked.add(slug)
  }
  const learnt: string[] = []
  for (const slug of linked) {
    const result = await addExamples(store, conversation.siteId, slug, [question], {
      ...deps,
      // One invalidation after all of them.
      invalidate: undefined,
    })
    if (result && result.added > 0) learnt.push(slug)
  }
  if (learnt.length > 0) deps.invalidate?.(conversation.siteId)
  return { question, learnt }
}
