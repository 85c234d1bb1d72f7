/**
 * A help article's Markdown as Preact elements: headings, paragraphs, lists, bold, italics, code
 * and http(s) links. Everything else is text. Never HTML: no `innerHTML`, so an article (or
 * anything an agent pasted into it) cannot inject markup into the store's page.
 */
import type { ComponentChildren } from 'preact'
import { safeUrl } from './messages.tsx'

type Block =
  | { kind: 'heading'; text: string }
  | { kind: 'list'; ordered: boolean; items: string[] }
  | { kind: 'paragraph'; text: string }

const LIST_ITEM = /^\s*(?:([-*+])|(\d+)[.)])\s+(.*)$/

export function blocks(markdown: string): Block[] {
  const out: Block[] = []
  for (const chunk of markdown.replace(/\r\n?/g, '\n').split(/\n\s*\n/)) {
    const lines = chunk.split('\n').filter((l) => l.trim() !== '')
    let paragraph: string[] = []
    const flush = (): void => {
      if (paragraph.length > 0) out.push({ kind: 'paragraph', text: paragraph.join(' ') })
      paragraph = []
    }
    for (const line of lines) {
      const heading = /^\s*#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)
      const item = LIST_ITEM.exec(line)
      const last = out[out.length - 1]
      if (heading) {
        flush()
        out.push({ kind: 'heading', text: heading[1] ?? '' })
      } else if (item) {
        flush()
        const ordered = item[2] !== undefined
        if (last?.kind === 'list' && last.ordered === ordered && paragraph.length === 0)
          last.items.push(item[3] ?? '')
        else out.push({ kind: 'list', ordered, items: [item[3] ?? ''] })
      } else if (last?.kind === 'list' && paragraph.length === 0 && /^\s{2,}\S/.test(line)) {
        // An indented line continues the list item above it.
        last.items[last.items.length - 1] += ` ${line.trim()}`
      } else {
        paragraph.push(line.trim())
      }
    }
    flush()
  }
  return out
}

const INLINE =
  /\*\*([^*]+)\*\*|__([^_]+)__|\*([^*\s][^*]*)\*|_([^_\s][^_]*)_|`([^`]+)`|\[([^\]]+)\]\(([^)\s]+)\)/g

/** Inline Markdown as text nodes and a few safe elements. */
export function inline(text: string, base: string): ComponentChildren[] {
  const out: ComponentChildren[] = []
  let at = 0
  for (const m of text.matchAll(INLINE)) {
    const index = m.index ?? 0
    if (index > at) out.push(text.slice(at, index))
    const [, bold1, bold2, em1, em2, code, label, url] = m
    if (bold1 ?? bold2) out.push(<strong>{bold1 ?? bold2}</strong>)
    else if (em1 ?? em2) out.push(<em>{em1 ?? em2}</em>)
    else if (code) out.push(<code>{code}</code>)
    else {
      const href = safeUrl(url ?? null, base)
      out.push(
        href ? (
          <a href={href} target="_blank" rel="noopener">
            {label}
          </a>
        ) : (
          label
        ),
      )
    }
    at = index + m[0].length
  }
  if (at < text.length) out.push(text.slice(at))
  return out
}

export function ArticleText({ markdown, base }: { markdown: string; base: string }) {
  return (
    <div class="article-body">
      {blocks(markdown).map((b, i) => {
        const key = `${b.kind}${i}`
        if (b.kind === 'heading') return <h4 key={key}>{inline(b.text, base)}</h4>
        if (b.kind === 'paragraph') return <p key={key}>{inline(b.text, base)}</p>
        const items = b.items.map((item, j) => <li key={`${key}-${j}`}>{inline(item, base)}</li>)
        return b.ordered ? <ol key={key}>{items}</ol> : <ul key={key}>{items}</ul>
      })}
    </div>
  )
}
