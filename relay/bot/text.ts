/**
 * Text normalisation shared by the index and the query side: the same compounds, stop words and
 * stems on both, so a query term and a document term meet in one form.
 */
import { stemmer } from 'stemmer'

/** English function words plus the filler of support requests ("I need help to see…"). */
const STOP_WORDS = new Set(
  `a about above after again against all am an and any are as at be because been before being below
  between both but by could did do does doing down during each few for from further had has have having
  he her here hers herself him himself his i if in into is it its itself just me more most my myself
  no nor not now of off on once only or other our ours ourselves out over own same she should so some
  such than that the their theirs them themselves then there these they this those through to too under
  until up very was we were what when where which while who whom why will with would you your yours
  yourself yourselves can cant cannot couldnt dont doesnt didnt isnt im ive id ill youre us ur u ya yo
  may might must shall also really please pls plz thanks thank hi hello hey ok okay would
  wanna gonna gotta got get getting gets let lets like know tell told say show help helping helped
  assist assistance assisting support inform informing notify notifying report reporting online need needs needed want wants
  wanted wish try trying tried tries check checking see seeing look
  looking find finding information info question questions something someone anything thing things
  way able possible could can do doing make making made give use using used uses going go went one
  two several few bit lot lots kind sort type ones whether else even still already yet maybe perhaps
  today now right sure also much many via regarding concerning how available availability ask asking
  asked request requesting dollars dollar euros euro usd eur bucks company corporate business firm
  list listing send sending section page ago yesterday recently lately earlier different ways sell sells
  selling offer offers copy`.split(/\s+/),
)

/** Stop words long enough to be a typo's target ("hepl" → "help"), so a misspelt filler drops out. */
export const STOP_CORRECTIONS: readonly string[] = [...STOP_WORDS].filter((w) => w.length >= 4)

/** Expletives carry emphasis, not topic. */
const PROFANITY = new Set(
  'fuck fucking fuckin fucked damn damned goddamn goddamned bloody shit shitty crap crappy hell freaking frigging'.split(
    ' ',
  ),
)

/** Multi-word forms folded into one token on both sides (`sign up` = `signup`). */
const COMPOUNDS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bsign(?:ing|ed)?[\s-]*ups?\b/g, ' signup '],
  [/\b(?:sign|log)[\s-]*(?:in|on)\b/g, ' login '],
  [/\be[\s-]mails?\b/g, ' email '],
  [/\bcheck[\s-]*out\b/g, ' checkout '],
  [/\bpick[\s-]*up\b/g, ' pickup '],
  [/\bgift[\s-]*(?:cards?|certificates?|vouchers?)\b/g, ' giftcard '],
  [/\bpass[\s-]+words?\b/g, ' password '],
  [/\bpay[\s-]*pal\b/g, ' paypal '],
  [/\bcash[\s-]+on[\s-]+delivery\b/g, ' cod '],
]

/** Lower case, no diacritics, apostrophes dropped (`can't` → `cant`), compounds folded. */
export function normalize(text: string): string {
  let out = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’`´]/g, '')
  for (const [pattern, replacement] of COMPOUNDS) out = out.replace(pattern, replacement)
  return out
}

/** Splits normalised text into word tokens (letters and digits). */
export function tokenize(text: string): string[] {
  return text.split(/[^\p{L}\p{N}]+/u).filter((t) => t.length > 0)
}

export function isStopWord(token: string): boolean {
  return STOP_WORDS.has(token) || PROFANITY.has(token)
}

export function isProfanity(token: string): boolean {
  return PROFANITY.has(token)
}

/** A token that carries meaning for search: not a stop word, not a bare number or one letter. */
export function isContentToken(token: string): boolean {
  return token.length > 1 && !/^\d+$/.test(token) && !/\d{3,}/.test(token) && !isStopWord(token)
}

/** Porter over-stems a few common words ("added" → "ad"); mapped back so they meet "add". */
const STEM_FIXES: Record<string, string> = { ad: 'add' }

/** The index form of a token: stemmed. */
export function stem(token: string): string {
  const s = stemmer(token)
  return STEM_FIXES[s] ?? s
}

/** MiniSearch `processTerm` for documents: drop noise, stem the rest. */
export function processIndexTerm(term: string): string | null {
  const token = term.toLowerCase()
  return isContentToken(token) ? stem(token) : null
}
