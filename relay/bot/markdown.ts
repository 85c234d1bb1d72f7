/**
 * Article bodies as plain text (markdown-it's token stream, no HTML), split into the units an
 * excerpt is built from: sentences, and lists kept whole with the sentence that introduces them.
 */
import MarkdownIt from 'markdown-it'

const md = new MarkdownIt({ html: false, linkify: false })

type Token = ReturnType<typeof md.parse>[number]

function inlineText(token: Token): string {
  const parts: string[] = []
  for (const child of token.children ?? []) {
    if (child.type === 'text' || child.type === 'code_inline') parts.push(child.content)
    else if (child.type === 'softbreak' || child.type === 'hardbreak') parts.push(' ')
  }
  return parts.join('').replace(/\s+/g, ' ').trim()
}

type Block = { kind: 'paragraph'; text: string } | { kind: 'list'; items: string[] }

function blocks(markdown: string): Block[] {
  const out: Block[] = []
  let list: string[] | null = null
  let listDepth = 0
  for (const token of md.parse(markdown, {})) {
    if (token.type === 'bullet_list_open' || token.type === 'ordered_list_open') {
      if (listDepth === 0) list = []
      listDepth++
    } else if (token.type === 'bullet_list_close' || token.type === 'ordered_list_close') {
      listDepth--
      if (listDepth === 0 && list) {
        out.push({ kind: 'list', items: list })
        list = null
      }
    } else if (token.type === 'inline') {
      const text = inlineText(token)
      if (text.length === 0) continue
      if (list) list.push(text)
      else out.push({ kind: 'paragraph', text })
    }
  }
  return out
}

/** Plain text of a markdown body, one block a line. */
export function markdownToText(markdown: string): string {
  return blocks(markdown)
    .map((b) => (b.kind === 'paragraph' ? b.text : b.items.map((i) => `- ${i}`).join('\n')))
    .join('\n')
}

/** Sentences of a paragraph (splits after . ! ? followed by a capital or a digit). */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+(?=["“(]?[A-Z0-9])/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
}

/** Excerpt units in document order; a list stays with the sentence ending in ':' before it. */
export function excerptUnits(markdown: string): string[] {
  const units: string[] = []
  for (const block of blocks(markdown)) {
    if (block.kind === 'paragraph') {
      units.push(...sentences(block.text))
      continue
    }
    const list = block.items.map((i) => `- ${i}`).join('\n')
    const last = units[units.length - 1]
    if (last?.endsWith(':')) units[units.length - 1] = `${last}\n${list}`
    else units.push(list)
  }
  return units
}
