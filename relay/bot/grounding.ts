/**
 * Honesty checks on bot text: a reply that claims to be a person, or denies being automated,
 * is never sent. Streaming text is screened a sentence at a time before it reaches the wire.
 */
import type { BotEvent } from './types.ts'

const CLAIMS = [
  // "I am a human", "I'm a real person", "you're chatting with a human"
  /\b(?:i am|im|i'm|i’m)\s+(?:a\s+|an\s+)?(?:real\s+|actual\s+|living\s+)?(?:human|person|human being|people person|live agent|human agent)\b/i,
  /\byou(?:'re|’re| are)\s+(?:talking|chatting|speaking)\s+(?:to|with)\s+(?:a\s+)?(?:real\s+|actual\s+|live\s+)?(?:human|person|agent|member of (?:our|the) team)\b/i,
  // "I'm not a bot", "I am not automated"
  /\b(?:i am|im|i'm|i’m|this is)\s+not\s+(?:a\s+|an\s+)?(?:bot|robot|machine|ai|chatbot|automated|computer|program|assistant)\b/i,
  /\bnot\s+(?:a\s+)?(?:bot|robot|machine)\b[^.?!]*\b(?:i am|i'm|im|i’m)\s+(?:a\s+)?(?:human|person|real)\b/i,
  // "This is Sarah from support", "My name is Tom"
  /\b(?:[Tt]his is|[Mm]y name is|I am|I'm|I’m|Im)\s+[A-Z][a-z]+\s+(?:from|with|at|of|on)\s+(?:the\s+|our\s+)?(?:support|customer|service|help|care|team|store|shop)/,
  /\b[Mm]y name is\s+[A-Z][a-z]+\b/,
  // "Hi, I'm Sarah." (a first name introduced as oneself)
  /\b(?:I am|I'm|I’m)\s+(?!(?:Sorry|Afraid|Happy|Glad|Here|Not|Unable|Able|Just|Only|Still|Really|Very|So|Also|Always|Currently|Checking|Looking|Connecting)\b)[A-Z][a-z]+(?=\s*[,.!]|\s+and\b|\s+here\b)/,
  /\b(?:real|live|human)\s+(?:agent|person|representative)\s+here\b/i,
]

/** True when the text claims to be a person or denies being automated. */
export function claimsHuman(text: string, botName?: string): boolean {
  const scrubbed = botName ? text.split(botName).join('the assistant') : text
  return CLAIMS.some((pattern) => pattern.test(scrubbed))
}

export interface ScreenedEmitter {
  emit: (event: BotEvent) => void
  /** Sends what is still held back (call only once the reply was accepted). */
  flush: () => void
  /** Stops forwarding anything (timeout, abort, a rejected reply). */
  close: () => void
  /** Whether the streamed text so far made a human claim. */
  readonly tainted: boolean
}

/** Forwards provider deltas whole sentences at a time, only while the text so far is honest. */
export function screenEmitter(emit: (event: BotEvent) => void, botName?: string): ScreenedEmitter {
  let sent = ''
  let pending = ''
  let closed = false
  let tainted = false
  const forward = (text: string): void => {
    if (text.length === 0 || closed) return
    if (claimsHuman(sent + text, botName)) {
      tainted = true
      closed = true
      return
    }
    sent += text
    emit({ type: 'delta', text })
  }
  return {
    emit(event) {
      if (closed) return
      if (event.type !== 'delta') {
        emit(event)
        return
      }
      pending += event.text
      const boundary = Math.max(
        pending.lastIndexOf('. '),
        pending.lastIndexOf('! '),
        pending.lastIndexOf('? '),
        pending.lastIndexOf('\n'),
      )
      if (boundary < 0) return
      const ready = pending.slice(0, boundary + 1)
      pending = pending.slice(boundary + 1)
      forward(ready)
    },
    flush() {
      const rest = pending
      pending = ''
      forward(rest)
    },
    close() {
      closed = true
    },
    get tainted() {
      return tainted
    },
  }
}
