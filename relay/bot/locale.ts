/**
 * The bot's fixed texts, one JSON file per locale under `locales/`, English as the fallback for
 * a missing locale or a missing key. Files are read once and validated.
 */
import { readFileSync } from 'node:fs'
import { z } from 'zod'

const StringsSchema = z.object({
  greeting: z.string().min(1),
  handoff: z.string().min(1),
  providerError: z.string().min(1),
  botIdentity: z.string().min(1),
  greetingReply: z.string().min(1),
  thanksReply: z.string().min(1),
  decline: z.string().min(1),
  clarify: z.string().min(1),
})

export type BotStrings = z.infer<typeof StringsSchema>

const LOCALE_NAME = /^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$/
const cache = new Map<string, Partial<BotStrings> | null>()

function readLocale(name: string): Partial<BotStrings> | null {
  if (cache.has(name)) return cache.get(name) ?? null
  let strings: Partial<BotStrings> | null = null
  try {
    const raw: unknown = JSON.parse(readFileSync(new URL(`./locales/${name}.json`, import.meta.url), 'utf8'))
    strings = (name === 'en' ? StringsSchema : StringsSchema.partial()).parse(raw)
  } catch (error) {
    // A locale we don't ship is normal (English is used); a broken English file is a bug.
    if (name === 'en') throw error
    if (!(error instanceof Error && 'code' in error && error.code === 'ENOENT')) throw error
  }
  cache.set(name, strings)
  return strings
}

/** Strings for a locale such as `fr-CA`: `fr-ca`, then `fr`, then English, key by key. */
export function botStrings(locale = 'en'): BotStrings {
  const english = readLocale('en') as BotStrings
  const name = locale.toLowerCase().replace(/_/g, '-')
  if (!LOCALE_NAME.test(name)) return english
  const language = name.split('-')[0] ?? 'en'
  const chain = [...new Set([name, language])].filter((n) => n !== 'en')
  return Object.assign({}, english, ...chain.reverse().map((n) => readLocale(n) ?? {}))
}

/** Fills `{name}` placeholders. */
export function format(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (match, key: string) => values[key] ?? match)
}
