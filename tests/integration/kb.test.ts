import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type {
  ArticleListItem,
  ArticleView,
  BotAnswerReview,
  ImportReport,
  KnowledgeGap,
} from '../../shared/kb.ts'
import type { ConversationDetail, Message, WidgetConversation } from '../../shared/protocol.ts'
import {
  call,
  clientId,
  connectConsole,
  connectWidget,
  login,
  startRelay,
  type TestRelay,
  waitFor,
} from '../support/relay.ts'

let relay: TestRelay
let cookie: string
let otherCookie: string

beforeAll(async () => {
  relay = await startRelay()
  await relay.addAgent({ email: 'sam@example.com', name: 'Sam Rivera' })
  await relay.addAgent({ email: 'olga@example.com', name: 'Olga', siteIds: ['elsewhere'] })
  cookie = await login(relay.url, 'sam@example.com', 'correct-horse-battery')
  otherCookie = await login(relay.url, 'olga@example.com', 'correct-horse-battery')
})
afterAll(async () => {
  await relay.close()
})

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE'
async function api<T>(method: Method, url: string, body?: unknown, as: string | null = cookie) {
  const res = await relay.app.inject({
    method,
    url,
    ...(body !== undefined && { payload: body as object }),
    headers: { ...(as && { cookie: as }), ...(body !== undefined && { 'content-type': 'application/json' }) },
  })
  return { status: res.statusCode, body: res.json() as { ok: boolean; data: T; error: { code: string } } }
}

/** A new shopper asks one question; resolves with the bot's reply. */
async function ask(text: string): Promise<{ reply: Message; conversationId: string }> {
  const shopper = await connectWidget(relay.url)
  try {
    const reply = waitFor<Message>(shopper.socket, 'message:new', (m) => m.author === 'bot' && m.seq === 3)
    // A handoff is stored just after the bot's message: wait for it so the audit log is complete.
    const queued = waitFor<WidgetConversation>(
      shopper.socket,
      'conversation:updated',
      (c) => c.status === 'queued',
    )
    queued.catch(() => undefined)
    const sent = await call<{ message: Message; conversation: WidgetConversation }>(
      shopper.socket,
      'message:send',
      { clientId: clientId(), text },
    )
    const message = await reply
    if (message.bot?.outcome === 'handoff') await queued
    return { reply: message, conversationId: sent.conversation.id }
  } finally {
    shopper.socket.close()
  }
}

const ENGRAVING = {
  slug: 'mug-engraving',
  title: 'Engraved mugs',
  tags: ['engraving', 'personalised', 'mug'],
  verified: false,
  body: 'We engrave a name or a short message on any ceramic mug for $8. Engraving adds 2 business days.',
}

describe('knowledge base API', () => {
  it('refuses a visitor who is not signed in and hides other sites as not found', async () => {
    expect((await api('GET', '/api/sites/demo/articles', undefined, null)).status).toBe(401)
    expect((await api('POST', '/api/preview', { markdown: 'x' }, null)).status).toBe(401)
    const other = await api('GET', '/api/sites/demo/articles', undefined, otherCookie)
    expect(other.status).toBe(404)
    expect(other.body.error.code).toBe('not_found')
    expect((await api('GET', '/api/sites/demo/articles/returns', undefined, otherCookie)).status).toBe(404)
    expect((await api('DELETE', '/api/sites/demo/articles/returns', undefined, otherCookie)).status).toBe(404)
    expect((await api('GET', '/api/sites/demo/reviews', undefined, otherCookie)).status).toBe(404)
    expect((await api('GET', '/api/sites/demo/knowledge-gaps', undefined, otherCookie)).status).toBe(404)
  })

  it('lists the site articles with their verified, review and vote state', async () => {
    const { status, body } = await api<{ articles: ArticleListItem[] }>('GET', '/api/sites/demo/articles')
    expect(status).toBe(200)
    const draft = body.data.articles.find((a) => a.slug === 'holiday-sale-draft')
    expect(draft).toMatchObject({ verified: false, needsReview: false, helpful: 0, notHelpful: 0 })
    const returns = body.data.articles.find((a) => a.slug === 'returns')
    expect(returns).toMatchObject({ verified: true, title: 'Returns and exchanges' })
    expect(returns?.excerpt).toMatch(/^Unopened coffee/)
    expect(returns?.publicUrl).toMatch(/\/help\/demo\/returns$/)
  })

  it('creates, reads, edits and deletes an article, validating what it is given', async () => {
    const bad = await api('POST', '/api/sites/demo/articles', { slug: 'Not Kebab', title: '', body: 'x' })
    expect(bad.status).toBe(400)
    expect(bad.body.error.code).toBe('invalid_payload')
    const tooBig = await api('POST', '/api/sites/demo/articles', {
      slug: 'too-big',
      title: 'Too big',
      body: 'x'.repeat(50 * 1024 + 1),
    })
    expect(tooBig.status).toBe(400)

    const created = await api<{ article: ArticleView }>('POST', '/api/sites/demo/articles', {
      slug: 'gift-wrap',
      title: 'Gift wrapping',
      tags: ['gift', 'wrap'],
      body: 'We wrap any order for **$3**.',
    })
    expect(created.status).toBe(201)
    expect(created.body.data.article).toMatchObject({ slug: 'gift-wrap', verified: false, examples: [] })
    const again = await api('POST', '/api/sites/demo/articles', { slug: 'gift-wrap', title: 'Again' })
    expect(again.status).toBe(400)

    const edited = await api<{ article: ArticleView }>('PUT', '/api/sites/demo/articles/gift-wrap', {
      title: 'Gift wrapping and cards',
      verified: true,
    })
    expect(edited.body.data.article).toMatchObject({
      title: 'Gift wrapping and cards',
      verified: true,
      tags: ['gift', 'wrap'],
      body: 'We wrap any order for **$3**.',
    })
    const read = await api<{ article: ArticleView }>('GET', '/api/sites/demo/articles/gift-wrap')
    expect(read.body.data.article.title).toBe('Gift wrapping and cards')

    expect((await api('DELETE', '/api/sites/demo/articles/gift-wrap')).status).toBe(200)
    expect((await api('GET', '/api/sites/demo/articles/gift-wrap')).status).toBe(404)
    expect((await api('PUT', '/api/sites/demo/articles/gift-wrap', { title: 'x' })).status).toBe(404)
    expect((await api('DELETE', '/api/sites/demo/articles/gift-wrap')).status).toBe(404)
  })

  it('previews Markdown as HTML with raw HTML escaped', async () => {
    const { body } = await api<{ html: string }>('POST', '/api/preview', {
      markdown: '# Hi\n\n- one\n- **two**\n\n<script>alert(1)</script> [x](javascript:alert(1))',
    })
    expect(body.data.html).toContain('<h1>Hi</h1>')
    expect(body.data.html).toContain('<strong>two</strong>')
    expect(body.data.html).not.toContain('<script>')
    expect(body.data.html).toContain('&lt;script&gt;')
    expect(body.data.html).not.toContain('href="javascript:')
  })

  it('imports pasted Markdown files, naming a bad file and importing nothing then', async () => {
    const good =
      '---\ntitle: Cold brew\ntags: [cold brew]\nverified: true\n---\nSteep coarse coffee for 18 hours.'
    const bad = await api<unknown>('POST', '/api/sites/demo/articles/import', {
      files: [
        { name: 'cold-brew.md', content: good },
        { name: 'broken.md', content: '---\ntags: [x]\n---\nno title' },
      ],
    })
    expect(bad.status).toBe(400)
    expect(JSON.stringify(bad.body.error)).toContain('broken.md')
    expect((await api('GET', '/api/sites/demo/articles/cold-brew')).status).toBe(404)

    const first = await api<{ report: ImportReport }>('POST', '/api/sites/demo/articles/import', {
      files: [{ name: 'cold-brew.md', content: good }],
    })
    expect(first.body.data.report).toMatchObject({ created: 1, updated: 0, unchanged: 0, verified: 1 })
    const second = await api<{ report: ImportReport }>('POST', '/api/sites/demo/articles/import', {
      files: [{ name: 'cold-brew.md', content: good }],
    })
    expect(second.body.data.report).toMatchObject({ created: 0, updated: 0, unchanged: 1 })
    await api('DELETE', '/api/sites/demo/articles/cold-brew')
  })
})

describe('article changes reach the bot without a restart', () => {
  it('a verified draft grounds the next answer, and un-verifying it takes it away again', async () => {
    const question = 'Can you do engraving on a mug?'
    await api('POST', '/api/sites/demo/articles', ENGRAVING)
    const before = await ask(question)
    expect(before.reply.sources).toEqual([])

    await api('PUT', `/api/sites/demo/articles/${ENGRAVING.slug}`, { verified: true })
    const during = await ask(question)
    expect(during.reply.sources.map((s) => s.slug)).toEqual([ENGRAVING.slug])
    expect(during.reply.text).toMatch(/engrave/i)

    await api('PUT', `/api/sites/demo/articles/${ENGRAVING.slug}`, { verified: false })
    const after = await ask(question)
    expect(after.reply.sources).toEqual([])
    await api('DELETE', `/api/sites/demo/articles/${ENGRAVING.slug}`)
  })
})

describe('QA of bot answers', () => {
  it('lists unreviewed answers first, lowest confidence first, and a wrong verdict flags the cited article', async () => {
    const precise = await ask('How long does shipping take?')
    const vaguer = await ask('my parcel, how long until it gets here with express?')
    expect(precise.reply.bot?.outcome).toBe('answer')
    expect(vaguer.reply.bot?.outcome).toBe('answer')

    const listed = await api<{ reviews: BotAnswerReview[] }>('GET', '/api/sites/demo/reviews')
    const reviews = listed.body.data.reviews
    const ids = reviews.map((r) => r.messageId)
    expect(ids).toContain(precise.reply.id)
    expect(ids).toContain(vaguer.reply.id)
    const entry = reviews.find((r) => r.messageId === precise.reply.id)
    expect(entry).toMatchObject({
      question: 'How long does shipping take?',
      conversationId: precise.conversationId,
      sources: [expect.objectContaining({ slug: 'shipping-times' })],
      review: null,
    })
    expect(typeof entry?.confidence).toBe('number')

    const wrong = await api<{ flagged: string[] }>('POST', '/api/sites/demo/reviews', {
      conversationId: precise.conversationId,
      messageId: precise.reply.id,
      verdict: 'wrong',
      note: 'Roasting moved to Tuesdays',
    })
    expect(wrong.status).toBe(201)
    expect(wrong.body.data.flagged).toEqual(['shipping-times'])
    const article = await api<{ article: ArticleView }>('GET', '/api/sites/demo/articles/shipping-times')
    expect(article.body.data.article.needsReview).toBe(true)

    // The verdict is an audit event of the conversation; nothing else about it changed.
    const agent = await connectConsole(relay.url, cookie)
    const detail = await call<ConversationDetail>(agent, 'conversation:open', {
      conversationId: precise.conversationId,
    })
    agent.close()
    const event = detail.events.find((e) => e.type === 'bot_reviewed')
    expect(event).toMatchObject({
      actor: { kind: 'agent' },
      data: { messageId: precise.reply.id, verdict: 'wrong', note: 'Roasting moved to Tuesdays' },
    })

    const after = await api<{ reviews: BotAnswerReview[] }>('GET', '/api/sites/demo/reviews')
    const order = after.body.data.reviews.map((r) => r.messageId)
    // Reviewed answers sink below every unreviewed one.
    expect(order.indexOf(precise.reply.id)).toBeGreaterThan(order.indexOf(vaguer.reply.id))
    expect(after.body.data.reviews.find((r) => r.messageId === precise.reply.id)?.review).toMatchObject({
      verdict: 'wrong',
      agentName: 'Sam Rivera',
    })
    const unreviewed = await api<{ reviews: BotAnswerReview[] }>(
      'GET',
      '/api/sites/demo/reviews?status=unreviewed',
    )
    expect(unreviewed.body.data.reviews.map((r) => r.messageId)).not.toContain(precise.reply.id)

    const correct = await api<{ flagged: string[] }>('POST', '/api/sites/demo/reviews', {
      conversationId: vaguer.conversationId,
      messageId: vaguer.reply.id,
      verdict: 'correct',
    })
    expect(correct.body.data.flagged).toEqual([])
    await api('PUT', '/api/sites/demo/articles/shipping-times', { needsReview: false })
  })

  it('refuses a review of a message that is not a bot message of that site', async () => {
    const asked = await ask('How long does shipping take?')
    const notFound = await api('POST', '/api/sites/demo/reviews', {
      conversationId: asked.conversationId,
      messageId: 'msg_nope',
      verdict: 'correct',
    })
    expect(notFound.status).toBe(404)
    const badVerdict = await api('POST', '/api/sites/demo/reviews', {
      conversationId: asked.conversationId,
      messageId: asked.reply.id,
      verdict: 'maybe',
    })
    expect(badVerdict.status).toBe(400)
  })
})

describe('knowledge gaps and learning from agents', () => {
  it('groups handed-off questions by similarity and forgets a group once its questions are linked to an article', async () => {
    const questions = [
      'Do you sell decaf beans?',
      'is there a decaf option for beans',
      'Can I buy gift boxes for a corporate event?',
    ]
    for (const q of questions) {
      const { reply } = await ask(q)
      expect(reply.sources).toEqual([])
    }
    const { body } = await api<{ gaps: KnowledgeGap[] }>('GET', '/api/sites/demo/knowledge-gaps')
    const decaf = body.data.gaps.find((g) => g.examples.some((e) => /decaf/i.test(e)))
    expect(decaf?.count).toBe(2)
    expect(decaf?.terms).toContain('decaf')
    expect(decaf?.examples).toEqual(['is there a decaf option for beans', 'Do you sell decaf beans?'])
    const gifts = body.data.gaps.find((g) => g.examples.some((e) => /gift boxes/i.test(e)))
    expect(gifts?.count).toBe(1)
    expect(gifts?.id).not.toBe(decaf?.id)

    await api('POST', '/api/sites/demo/articles', {
      slug: 'decaf',
      title: 'Decaffeinated coffee',
      body: 'Our Swiss Water decaf comes as beans or ground.',
      verified: true,
    })
    const linked = await api<{ added: number; article: ArticleView }>(
      'POST',
      '/api/sites/demo/articles/decaf/examples',
      { questions: decaf?.questions },
    )
    expect(linked.body.data.added).toBe(2)
    expect(linked.body.data.article.examples).toEqual(decaf?.questions)
    const later = await api<{ gaps: KnowledgeGap[] }>('GET', '/api/sites/demo/knowledge-gaps')
    expect(later.body.data.gaps.some((g) => g.examples.some((e) => /decaf/i.test(e)))).toBe(false)
    expect(later.body.data.gaps.some((g) => g.examples.some((e) => /gift boxes/i.test(e)))).toBe(true)
    await api('DELETE', '/api/sites/demo/articles/decaf')
  })

  it('an agent resolving a handed-off conversation with an article link teaches the bot that wording', async () => {
    const wording = 'my beans went stale after a week, is that normal?'
    await api('POST', '/api/sites/demo/articles', {
      slug: 'storing-coffee',
      title: 'Keeping coffee fresh',
      tags: ['storage', 'freshness'],
      body: 'Keep beans in an airtight container away from light and heat. Use them within a month of roasting.',
      verified: true,
    })
    const first = await ask(wording)
    expect(first.reply.bot?.outcome).toBe('handoff')

    const agent = await connectConsole(relay.url, cookie)
    await call(agent, 'conversation:claim', { conversationId: first.conversationId })
    await call(agent, 'message:send', {
      conversationId: first.conversationId,
      clientId: clientId(),
      text: `That's normal after a while: see ${relay.url}/help/demo/storing-coffee`,
    })
    await call(agent, 'conversation:resolve', { conversationId: first.conversationId })
    agent.close()

    const article = await api<{ article: ArticleView }>('GET', '/api/sites/demo/articles/storing-coffee')
    expect(article.body.data.article.examples).toEqual([wording])
    const next = await ask('My beans went stale after a week. Is that normal?')
    expect(next.reply.sources.map((s) => s.slug)).toEqual(['storing-coffee'])
    await api('DELETE', '/api/sites/demo/articles/storing-coffee')
  })
})
