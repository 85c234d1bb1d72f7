/**
 * Knowledge-base articles from Markdown files with YAML front matter (`title`, `tags`, `verified`).
 * The file name is the slug. A file that can't be read as an article is an error naming the slug,
 * never a silently skipped or half-filled article.
 */
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import matter from 'gray-matter'
import { z } from 'zod'
import type { Article } from '../store/types.ts'

const FrontMatterSchema = z.object({
  title: z.string().trim().min(1, 'title must not be empty'),
  tags: z.array(z.string().trim().min(1)).default([]),
  verified: z.boolean().default(false),
  url: z.url().optional(),
})

const SLUG = /^[a-z0-9][a-z0-9-]*$/

export class ArticleParseError extends Error {
  constructor(
    readonly slug: string,
    detail: string,
  ) {
    super(`article "${slug}": ${detail}`)
    this.name = 'ArticleParseError'
  }
}

/** Parses one article; throws an `ArticleParseError` naming the slug on bad front matter. */
export function parseArticle(markdown: string, slug: string, siteId: string, now: string): Article {
  if (!SLUG.test(slug))
    throw new ArticleParseError(slug, 'slug must be lower-case letters, digits and dashes')
  let parsed: matter.GrayMatterFile<string>
  try {
    // An empty options object bypasses gray-matter's global cache of parsed strings.
    parsed = matter(markdown, {})
  } catch (error) {
    throw new ArticleParseError(
      slug,
      `invalid front matter (${error instanceof Error ? error.message : String(error)})`,
    )
  }
  if (parsed.matter.trim() === '') throw new ArticleParseError(slug, 'missing front matter with a title')
  const result = FrontMatterSchema.safeParse(parsed.data)
  if (!result.success) {
    const detail = result.error.issues
      .map((i) => `${i.path.join('.') || 'front matter'}: ${i.message}`)
      .join('; ')
    throw new ArticleParseError(slug, `invalid front matter (${detail})`)
  }
  const { title, tags, verified, url } = result.data
  return {
    siteId,
    slug,
    title,
    tags,
    verified,
    body: parsed.content.trim(),
    url: url ?? null,
    updatedAt: now,
  }
}

/** Loads every `*.md` file of a directory as an article, sorted by slug. */
export async function loadArticlesFromDir(dir: string, siteId: string): Promise<Article[]> {
  const entries = await readdir(dir, { withFileTypes: true })
  const files = entries
    .filter((e) => e.isFile() && e.name.endsWith('.md'))
    .map((e) => e.name)
    .sort()
  const now = new Date().toISOString()
  const articles = await Promise.all(
    files.map(async (file) => {
      const markdown = await readFile(path.join(dir, file), 'utf8')
      return parseArticle(markdown, file.slice(0, -'.md'.length), siteId, now)
    }),
  )
  return articles.sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0))
}
