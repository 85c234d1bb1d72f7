import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { KbArticle, KbSearchResult } from '../../shared/protocol.ts'
import { call, connectWidget, request, startRelay, type TestRelay } from '../support/relay.ts'

let relay: TestRelay
beforeAll(async () => {
  relay = await startRelay()
})
afterAll(async () => {
  await relay.close()
})

async function search(socket: Parameters<typeof call>[0], query: string): Promise<KbSearchResult[]> {
  return (await call<{ results: KbSearchResult[] }>(socket, 'kb:search', { query })).results
}

async function article(slug: string) {
  return (await relay.app.parley.store.listArticles('demo')).find((a) => a.slug === slug)
}

describe('self-service from the widget', () => {
  it('searches verified articles only, best first, with an excerpt and the help page link', async () => {
    const { socket } = await connectWidget(relay.url)
    const results = await search(socket, 'how do I return a bag of coffee')
    expect(results[0]).toMatchObject({
      slug: 'returns',
      title: 'Returns and exchanges',
      url: '/help/demo/returns',
    })
    expect(results[0]?.excerpt).toMatch(/returned within 30 days/)
    expect(results.length).toBeLessThanOrEqual(5)

    // Only the draft talks about a holiday sale: it must stay invisible.
    expect((await search(socket, 'holiday sale 40% off')).map((r) => r.slug)).not.toContain(
      'holiday-sale-draft',
    )
    const draft = await request(socket, 'kb:article', { slug: 'holiday-sale-draft' })
    expect(draft).toMatchObject({ ok: false, error: { code: 'not_found' } })
    const empty = await request(socket, 'kb:search', { query: '   ' })
    expect(empty).toMatchObject({ ok: false, error: { code: 'invalid_payload' } })
    socket.close()
  })

  it('opens a verified article with its Markdown body', async () => {
    const { socket } = await connectWidget(relay.url)
    const { article: read } = await call<{ article: KbArticle }>(socket, 'kb:article', { slug: 'refunds' })
    expect(read.title).toBe('Refunds')
    expect(read.body).toMatch(/^Once your return reaches us/)
    socket.close()
  })

  it('counts one helpful or not-helpful vote per shopper and article, and none for drafts', async () => {
    const first = await connectWidget(relay.url)
    const second = await connectWidget(relay.url)
    expect(await call(first.socket, 'kb:feedback', { slug: 'refunds', helpful: true })).toEqual({
      counted: true,
    })
    expect(await call(first.socket, 'kb:feedback', { slug: 'refunds', helpful: true })).toEqual({
      counted: false,
    })
    expect(await call(second.socket, 'kb:feedback', { slug: 'refunds', helpful: false })).toEqual({
      counted: true,
    })
    expect(await article('refunds')).toMatchObject({ helpful: 1, notHelpful: 1 })
    const draft = await request(first.socket, 'kb:feedback', { slug: 'holiday-sale-draft', helpful: true })
    expect(draft).toMatchObject({ ok: false, error: { code: 'not_found' } })
    expect((await article('holiday-sale-draft'))?.helpful).toBeUndefined()
    first.socket.close()
    second.socket.close()
  })

  it('finds an article as soon as it is verified, and loses it when un-verified', async () => {
    const { socket } = await connectWidget(relay.url)
    const draft = await article('holiday-sale-draft')
    if (!draft) throw new Error('demo draft missing')
    await relay.app.parley.store.putArticle({ ...draft, verified: true, updatedAt: new Date().toISOString() })
    expect((await search(socket, 'holiday sale')).map((r) => r.slug)).toContain('holiday-sale-draft')
    await relay.app.parley.store.putArticle({ ...draft, updatedAt: new Date(Date.now() + 1).toISOString() })
    expect((await search(socket, 'holiday sale')).map((r) => r.slug)).not.toContain('holiday-sale-draft')
    socket.close()
  })
})
