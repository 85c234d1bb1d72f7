/** The built widget and console, the demo storefront, and public help-article pages. */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance, FastifyReply } from 'fastify'
import MarkdownIt from 'markdown-it'
import { AppError } from '../errors.ts'

// Raw HTML in articles is escaped, links are checked by markdown-it's validateLink.
const markdown = new MarkdownIt({ html: false, linkify: true })

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

export async function staticRoutes(app: FastifyInstance): Promise<void> {
  const { config, store } = app.parley
  const widgetDir = path.join(config.distDir, 'widget')
  const consoleDir = path.join(config.distDir, 'console')

  await app.register(fastifyStatic, {
    root: widgetDir,
    prefix: '/widget/',
    decorateReply: true,
    maxAge: '5m',
    setHeaders: (reply) => {
      reply.header('Access-Control-Allow-Origin', '*')
    },
  })
  // The one URL store owners paste; cached briefly so an upgrade reaches every store soon.
  app.get('/widget.js', (_request, reply) =>
    reply.header('Access-Control-Allow-Origin', '*').sendFile('widget.js', widgetDir, { maxAge: '5m' }),
  )

  await app.register(fastifyStatic, {
    root: consoleDir,
    prefix: '/console/',
    decorateReply: false,
    index: 'index.html',
  })
  app.get('/console', (_request, reply) => reply.redirect('/console/'))

  const demoDir = path.join(config.examplesDir, 'demo')
  const demoPage = (file: string) => async (_request: unknown, reply: FastifyReply) =>
    reply.type('text/html; charset=utf-8').send(await readFile(path.join(demoDir, file), 'utf8'))
  app.get('/demo', demoPage('index.html'))
  app.get('/demo/', demoPage('index.html'))
  app.get('/demo/product', demoPage('product.html'))
  app.get('/demo/styles.css', async (_request, reply) =>
    reply.type('text/css; charset=utf-8').send(await readFile(path.join(demoDir, 'styles.css'), 'utf8')),
  )

  app.get<{ Params: { site: string; slug: string } }>('/help/:site/:slug', async (request, reply) => {
    const { site, slug } = request.params
    const article = (await store.listArticles(site)).find((a) => a.slug === slug && a.verified)
    if (!article) throw new AppError('not_found', 'no such article')
    const body = markdown.render(article.body)
    reply
      .type('text/html; charset=utf-8')
      .header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'")
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(article.title)}</title><style>body{font:16px/1.6 system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1.25rem;color:#1f2933}h1{font-size:1.6rem;line-height:1.25}.tags{color:#52606d;font-size:.85rem}</style></head>
<body><article><h1>${escapeHtml(article.title)}</h1>${body}<p class="tags">${article.tags.map(escapeHtml).join(' · ')}</p></article></body></html>`
  })
}
