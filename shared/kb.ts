/**
 * The knowledge-base part of the console's HTTP API (`/api/sites/:site/articles`, `/api/preview`,
 * knowledge gaps, bot-answer reviews): request schemas and the response shapes. The console
 * imports the types only; the relay validates with the schemas.
 */
import { z } from 'zod'
import { IdSchema } from './protocol.ts'

/** Kebab-case: lower-case words of letters and digits joined by single dashes. */
export const ARTICLE_SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/
export const MAX_ARTICLE_BODY_BYTES = 50 * 1024
/** Learnt example questions kept per article (the oldest go first). */
export const MAX_ARTICLE_EXAMPLES = 20
export const MAX_EXAMPLE_LENGTH = 500

export const ArticleSlugSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(ARTICLE_SLUG_PATTERN, 'slug must be kebab-case: lower-case letters and digits joined by dashes')

const TagsSchema = z.array(z.string().trim().min(1).max(60)).max(30)
const BodySchema = z.string().refine((s) => new TextEncoder().encode(s).length <= MAX_ARTICLE_BODY_BYTES, {
  message: `body must be at most ${MAX_ARTICLE_BODY_BYTES / 1024} KB`,
})
const ExamplesSchema = z.array(z.string().trim().min(1).max(MAX_EXAMPLE_LENGTH)).max(MAX_ARTICLE_EXAMPLES)

/** `POST /api/sites/:site/articles`. */
export const ArticleCreateSchema = z.object({
  slug: ArticleSlugSchema,
  title: z.string().trim().min(1, 'title is required').max(200),
  tags: TagsSchema.default([]),
  verified: z.boolean().default(false),
  body: BodySchema.default(''),
  /** Where the article lives on the store's own site; null: the relay's help page. */
  url: z
    .url({ protocol: /^https?$/ })
    .nullable()
    .default(null),
  examples: ExamplesSchema.optional(),
})
export type ArticleCreate = z.infer<typeof ArticleCreateSchema>

/** `PUT /api/sites/:site/articles/:slug`: the editable fields; omitted ones keep their value. */
export const ArticleUpdateSchema = z.object({
  title: z.string().trim().min(1, 'title is required').max(200).optional(),
  tags: TagsSchema.optional(),
  verified: z.boolean().optional(),
  body: BodySchema.optional(),
  url: z
    .url({ protocol: /^https?$/ })
    .nullable()
    .optional(),
  examples: ExamplesSchema.optional(),
  /** false clears the flag a wrong bot answer set. */
  needsReview: z.boolean().optional(),
})
export type ArticleUpdate = z.infer<typeof ArticleUpdateSchema>

/** `POST /api/preview`. */
export const PreviewSchema = z.object({ markdown: BodySchema })

/** `POST /api/sites/:site/articles/import`: Markdown files with front matter; the name gives the slug. */
export const ArticleImportSchema = z.object({
  files: z
    .array(
      z.object({
        name: z.string().trim().min(1).max(120),
        content: z.string().max(MAX_ARTICLE_BODY_BYTES + 4096),
      }),
    )
    .min(1)
    .max(200),
})
export type ArticleImport = z.infer<typeof ArticleImportSchema>

/** `POST /api/sites/:site/articles/:slug/examples`: "Link to article" from the knowledge-gap view. */
export const ArticleExamplesSchema = z.object({
  questions: z.array(z.string().trim().min(1).max(MAX_EXAMPLE_LENGTH)).min(1).max(50),
})

export const ReviewVerdictSchema = z.enum(['correct', 'wrong'])
export type ReviewVerdict = z.infer<typeof ReviewVerdictSchema>

/** `POST /api/sites/:site/reviews`. */
export const ReviewCreateSchema = z.object({
  conversationId: IdSchema,
  messageId: IdSchema,
  verdict: ReviewVerdictSchema,
  note: z.string().trim().max(1000).optional(),
})
export type ReviewCreate = z.infer<typeof ReviewCreateSchema>

/** An article as the console sees it. */
export interface ArticleView {
  slug: string
  title: string
  tags: string[]
  verified: boolean
  body: string
  url: string | null
  /** Where shoppers read it: `url`, or the relay's `/help/SITE/SLUG`. */
  publicUrl: string
  examples: string[]
  needsReview: boolean
  helpful: number
  notHelpful: number
  updatedAt: string
}

/** A list row: the article without its body. */
export type ArticleListItem = Omit<ArticleView, 'body'> & { excerpt: string }

export interface ImportReport {
  created: number
  updated: number
  unchanged: number
  verified: number
  drafts: number
  slugs: string[]
}

/** Questions the bot handed off for lack of an article, grouped by similarity. */
export interface KnowledgeGap {
  /** Stable for the same key terms. */
  id: string
  /** The group's key terms (stems), most shared first. */
  terms: string[]
  /** The most typical question: a title suggestion. */
  title: string
  count: number
  /** Distinct questions, newest first (at most 5). */
  examples: string[]
  /** Every distinct question (at most 50), for "Link to article". */
  questions: string[]
  conversationIds: string[]
  newestAt: string
  reasons: Record<string, number>
  /** The verified article retrieval finds closest today, if any. */
  closestArticle: { slug: string; title: string; confidence: number } | null
}

export interface BotAnswerReviewState {
  verdict: ReviewVerdict
  note: string | null
  agentId: string | null
  agentName: string | null
  at: string
}

/** One bot answer to review. */
export interface BotAnswerReview {
  conversationId: string
  messageId: string
  seq: number
  question: string | null
  answer: string
  sources: { slug: string; title: string; url: string | null }[]
  confidence: number | null
  outcome: string
  createdAt: string
  review: BotAnswerReviewState | null
}
