/**
 * Importing Markdown articles (the `kb:import` CLI and the console's import): every file is
 * parsed first, and only when all of them are valid is anything written. An article that exists
 * keeps what the site learnt about it (examples, votes, the review flag); only its content changes.
 */
import path from 'node:path'
import type { ImportReport } from '../../shared/kb.ts'
import type { Article, Store } from '../store/types.ts'
import { serializeSite } from './articles.ts'
import { ArticleParseError, parseArticle } from './parse.ts'

export interface ImportFile {
  /** File name or path; the base name without `.md` is the slug. */
  name: string
  content: string
}

export interface ImportFileError {
  file: string
  message: string
}

/** One or more files could not be read as articles; nothing was imported. */
export class ImportError extends Error {
  constructor(readonly errors: ImportFileError[]) {
    super(errors.map((e) => `${e.file}: ${e.message}`).join('\n'))
    this.name = 'ImportError'
  }
}

/** Parses every file; throws an `ImportError` listing each bad one by name. */
export function parseImportFiles(files: readonly ImportFile[], siteId: string, now: string): Article[] {
  const errors: ImportFileError[] = []
  const articles = new Map<string, Article>()
  for (const file of files) {
    const base = path.basename(file.name)
    if (!base.endsWith('.md')) {
      errors.push({ file: file.name, message: 'not a Markdown file (the name must end in .md)' })
      continue
    }
    const slug = base.slice(0, -'.md'.length)
    try {
      const article = parseArticle(file.content, slug, siteId, now)
      if (articles.has(slug)) errors.push({ file: file.name, message: `a second file for slug "${slug}"` })
      else articles.set(slug, article)
    } catch (error) {
      if (!(error instanceof ArticleParseError)) throw error
      errors.push({ file: file.name, message: error.message.replace(/^article "[^"]*": /, '') })
    }
  }
  if (errors.length > 0) throw new ImportError(errors)
  return [...articles.values()]
}

function sameContent(a: Article, b: Article): boolean {
  return (
    a.title === b.title &&
    a.verified === b.verified &&
    a.body === b.body &&
    a.url === b.url &&
    a.tags.length === b.tags.length &&
    a.tags.every((t, i) => t === b.tags[i])
  )
}

/** Creates or updates each article; articles of the site not in `incoming` stay as they are. */
export function importArticles(
  store: Store,
  siteId: string,
  incoming: readonly Article[],
): Promise<ImportReport> {
  return serializeSite(store, siteId, async () => {
    const existing = new Map((await store.listArticles(siteId)).map((a) => [a.slug, a]))
    const report: ImportReport = { created: 0, updated: 0, unchanged: 0, verified: 0, drafts: 0, slugs: [] }
    for (const article of incoming) {
      if (article.siteId !== siteId) throw new Error(`article ${article.slug} belongs to another site`)
      report.slugs.push(article.slug)
      if (article.verified) report.verified++
      else report.drafts++
      const before = existing.get(article.slug)
      if (before && sameContent(before, article)) {
        report.unchanged++
        continue
      }
      const next: Article = before
        ? {
            ...before,
            title: article.title,
            tags: article.tags,
            verified: article.verified,
            body: article.body,
            url: article.url,
            updatedAt: article.updatedAt,
          }
        : article
      await store.putArticle(next)
      if (before) report.updated++
      else report.created++
    }
    return report
  })
}
