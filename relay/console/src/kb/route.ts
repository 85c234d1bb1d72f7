/**
 * The knowledge-base pages' hash routes: `#/kb`, `#/kb/new`, `#/kb/edit/SLUG`, `#/gaps`,
 * `#/review`. A `?site=ID` suffix picks the site. Anything else is not one of these pages.
 */

export type KbPage =
  | { name: 'articles'; site: string | null }
  | { name: 'new'; site: string | null; title?: string; questions?: string[] }
  | { name: 'edit'; site: string | null; slug: string }
  | { name: 'gaps'; site: string | null }
  | { name: 'review'; site: string | null }

export function kbPageFromHash(hash: string): KbPage | null {
  const [route = '', query = ''] = hash.replace(/^#/, '').split('?')
  const params = new URLSearchParams(query)
  const site = params.get('site')
  if (route === '/kb') return { name: 'articles', site }
  if (route === '/kb/new') {
    const title = params.get('title') ?? undefined
    const questions = params.getAll('q')
    return { name: 'new', site, ...(title && { title }), ...(questions.length > 0 && { questions }) }
  }
  const edit = /^\/kb\/edit\/([a-z0-9][a-z0-9-]{0,99})$/.exec(route)
  if (edit?.[1]) return { name: 'edit', site, slug: edit[1] }
  if (route === '/gaps') return { name: 'gaps', site }
  if (route === '/review') return { name: 'review', site }
  return null
}

/** The hash of a page; `extra` adds query parameters (repeated keys for arrays). */
export function kbHash(
  name: KbPage['name'],
  site: string | null,
  extra: { slug?: string; title?: string; questions?: string[] } = {},
): string {
  const params = new URLSearchParams()
  if (site) params.set('site', site)
  if (extra.title) params.set('title', extra.title)
  for (const q of extra.questions ?? []) params.append('q', q)
  const query = params.toString()
  const path =
    name === 'articles'
      ? '/kb'
      : name === 'new'
        ? '/kb/new'
        : name === 'edit'
          ? `/kb/edit/${extra.slug ?? ''}`
          : name === 'gaps'
            ? '/gaps'
            : '/review'
  return `#${path}${query ? `?${query}` : ''}`
}
