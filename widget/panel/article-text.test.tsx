import { describe, expect, it } from 'vitest'
import { blocks, inline } from './article-text.tsx'

describe('blocks', () => {
  it('reads headings, paragraphs and lists of a help article', () => {
    expect(
      blocks(
        '# Returns\n\nYou can return items\nwithin 30 days.\n\n- unopened\n- with the label\n\n1. Open orders\n2. Press Return',
      ),
    ).toEqual([
      { kind: 'heading', text: 'Returns' },
      { kind: 'paragraph', text: 'You can return items within 30 days.' },
      { kind: 'list', ordered: false, items: ['unopened', 'with the label'] },
      { kind: 'list', ordered: true, items: ['Open orders', 'Press Return'] },
    ])
  })
})

describe('inline', () => {
  it('keeps markup as text and makes only http(s) links', () => {
    const parts = inline(
      '<img src=x onerror=alert(1)> **bold** [ok](https://x.example/a) [bad](javascript:alert(1))',
      'https://relay.example/',
    )
    expect(parts[0]).toBe('<img src=x onerror=alert(1)> ')
    const elements = parts.filter((p) => typeof p === 'object') as {
      type: string
      props: Record<string, unknown>
    }[]
    expect(elements.map((e) => e.type)).toEqual(['strong', 'a'])
    expect(elements[1]?.props.href).toBe('https://x.example/a')
    expect(parts).toContain('bad')
  })
})
