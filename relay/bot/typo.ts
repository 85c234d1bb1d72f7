/**
 * Typo distance: insertions, deletions and swaps of neighbours cost 1, a substituted letter costs
 * 1 only when the two keys are neighbours on a QWERTY keyboard (or both are vowels). "passport" is then not a typo of
 * "password" (t and d are far apart), while "accoynt" is one of "account".
 */
const ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm']

const NEIGHBOURS = new Map<string, Set<string>>()
for (const [r, row] of ROWS.entries()) {
  for (const [c, key] of [...row].entries()) {
    const near = new Set<string>()
    for (const dr of [-1, 0, 1]) {
      const other = ROWS[r + dr]
      if (!other) continue
      // Rows are staggered: the row below is shifted half a key to the right.
      for (const dc of dr === 0 ? [-1, 1] : dr < 0 ? [0, 1] : [-1, 0]) {
        const k = other[c + dc]
        if (k) near.add(k)
      }
    }
    NEIGHBOURS.set(key, near)
  }
}

const VOWELS = new Set('aeiouy')

/** A neighbouring key or one vowel for another ("speek", "representitive") is a slip; others are not. */
function substitutionCost(a: string, b: string): number {
  if (a === b) return 0
  return NEIGHBOURS.get(a)?.has(b) || (VOWELS.has(a) && VOWELS.has(b)) ? 1 : 2
}

/** Optimal-string-alignment distance with keyboard-aware substitutions; > max means "not a typo". */
export function typoDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1
  let previous2: number[] = []
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const ai = a[i - 1] ?? ''
      const bj = b[j - 1] ?? ''
      let best = Math.min(
        (previous[j] ?? Number.POSITIVE_INFINITY) + 1,
        (current[j - 1] ?? Number.POSITIVE_INFINITY) + 1,
        (previous[j - 1] ?? Number.POSITIVE_INFINITY) + substitutionCost(ai, bj),
      )
      if (i > 1 && j > 1 && ai === b[j - 2] && a[i - 2] === bj)
        best = Math.min(best, (previous2[j - 2] ?? Number.POSITIVE_INFINITY) + 1)
      current.push(best)
    }
    previous2 = previous
    previous = current
  }
  return previous[b.length] ?? max + 1
}

/** Whether `typed` is plausibly a slip for `word`: same first letter (or the first two swapped) and close. */
export function isTypoOf(typed: string, word: string, max: number): boolean {
  const sameStart = typed[0] === word[0] || (typed[0] === word[1] && typed[1] === word[0])
  return sameStart && typoDistance(typed, word, max) <= max
}
