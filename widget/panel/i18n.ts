/**
 * The panel's strings: English is bundled and is the fallback for every key; other locales are
 * `widget/locales/<tag>.json` files (same shape), imported only when asked for.
 */
import { panel as en } from '../locales/en.json'

export type Strings = typeof en
type LocaleFile = { panel?: Partial<Strings> }

const locales = import.meta.glob<LocaleFile>(['../locales/*.json', '!../locales/en.json'], {
  import: 'default',
})

export const english: Strings = en

/** `pt-BR` → [`pt-BR`, `pt`]: the most specific locale file that exists wins. */
function candidates(tag: string): string[] {
  const parts = tag.replace('_', '-').split('-')
  return parts.map((_, i) => parts.slice(0, parts.length - i).join('-'))
}

/** The strings for `tag`, each key falling back to English; English when nothing matches or loads. */
export async function loadStrings(tag: string | undefined): Promise<Strings> {
  for (const name of tag ? candidates(tag) : []) {
    const load = Object.entries(locales).find(([path]) =>
      path.toLowerCase().endsWith(`/${name.toLowerCase()}.json`),
    )
    if (!load) continue
    try {
      const file = await load[1]()
      return { ...en, ...file.panel }
    } catch (error) {
      console.error(`parley: locale ${name} failed to load, using English`, error)
      return en
    }
  }
  return en
}

/** Fills `{name}` placeholders. */
export function format(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole))
}
