/**
 * Shopper sentiment from the AFINN word list (`sentiment` package), normalised to -1..1.
 * Support vocabulary that AFINN scores as negative ("charged", "penalty", "lost") names a topic,
 * not a feeling, so it is neutralised; expletives count only a little.
 */
import Sentiment from 'sentiment'

const analyzer = new Sentiment()

const NEUTRAL = [
  'charge',
  'charges',
  'charged',
  'penalty',
  'penalties',
  'fee',
  'fees',
  'fine',
  'lost',
  'leave',
  'pay',
  'withdrawal',
  'cancel',
  'cancelled',
  'cancellation',
  'complaint',
  'claim',
  'wrong',
  'block',
  'blocked',
  'denied',
  'declined',
  'error',
  'problem',
  'problems',
  'issue',
  'issues',
  'help',
  'like',
  'want',
  'please',
  'refund',
  'return',
  'stop',
  'no',
  'demand',
]
const EXPLETIVES = ['fuck', 'fucking', 'damn', 'goddamn', 'shit', 'hell', 'crap', 'bloody']

const EXTRAS: Record<string, number> = {
  ...Object.fromEntries(NEUTRAL.map((w) => [w, 0])),
  ...Object.fromEntries(EXPLETIVES.map((w) => [w, -1])),
}

/** AFINN points that make one "unit" of the normalised scale: -5 is about -0.76. */
const SCALE = 5

/** At or below this the engine hands off for `negative_sentiment`. */
export const STRONG_NEGATIVE = -0.6

/** Sentiment of a message in -1 (very negative) .. 1 (very positive); 0 for neutral text. */
export function scoreSentiment(text: string): number {
  const { score } = analyzer.analyze(text, { extras: EXTRAS })
  return Math.round(Math.tanh(score / SCALE) * 1000) / 1000
}
