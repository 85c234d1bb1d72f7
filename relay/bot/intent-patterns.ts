/**
 * The rules behind `intents.ts`, as data. Patterns run on normalised text (lower case, no
 * apostrophes) whose key words have been spelt right, so "talkiing to a humna" still matches.
 */
import type { Priority } from '../../shared/protocol.ts'

/** Words the patterns depend on; a one-letter slip in one of them is corrected first. */
export const KEY_WORDS = [
  'talk',
  'talking',
  'speak',
  'speaking',
  'chat',
  'chatting',
  'connect',
  'human',
  'humans',
  'person',
  'someone',
  'somebody',
  'agent',
  'representative',
  'operator',
  'assistant',
  'customer',
  'service',
  'support',
  'complaint',
  'complain',
  'claim',
  'against',
  'payment',
  'payments',
  'declined',
  'fraud',
  'unauthorized',
  'unauthorised',
  'chargeback',
  'lawyer',
  'attorney',
  'harassment',
]

const PEOPLE =
  '(?:human|humans|person|persons|people|someone|somebody|agent|agents|representative|rep|operator|staff|employee|supervisor|manager|advisor|adviser|assistant|team member|customer (?:service|support|care)(?: rep\\w*| agent)?)'
const VERB =
  '(?:talk|talking|speak|speaking|chat|chatting|connect|connected|transfer|transferred|put|reach|contact|contacting|escalate|forward|hand|pass|get|give|need|want|call)'

/** An explicit request for a person. */
export const HUMAN_REQUEST: readonly RegExp[] = [
  new RegExp(
    `\\b${VERB}(?: me)?(?: (?:to|with|through to|over to|in touch with|me to))? (?:(?:a|an|the|some|your|one|of|real|live|actual|proper|human)\\s+)*${PEOPLE}\\b`,
  ),
  /\b(?:real|live|actual|human|proper) (?:person|human|agent|people|operator|representative|support|chat)\b/,
  /^\W*(?:a )?(?:human|person|agent|representative|operator|real person)(?: please| pls| now)?\W*$/,
  /\bnot (?:a |another )?(?:bot|robot|machine)\b.*\b(?:person|human)\b/,
]

/** "Are you a bot?" and the like: answered truthfully by the engine. */
export const ASKS_IF_BOT: readonly RegExp[] = [
  /\bare (?:you|u) (?:a |an )?(?:real |actual )?(?:bot|robot|machine|ai|computer|chatbot|human|person|real|automated|program|live)\b/,
  /\b(?:is this|am i (?:talking|speaking|chatting) (?:to|with)) (?:a |an )?(?:real |actual )?(?:bot|robot|machine|ai|computer|chatbot|human|person|automated|live person)\b/,
  /\bis (?:this|that|it) (?:automated|a bot|a machine|ai)\b/,
]

export interface SensitiveRule {
  topic: string
  priority: Priority
  patterns: readonly RegExp[]
}

/** Topics a bot must not handle: a person takes them, the urgent ones first. */
export const SENSITIVE: readonly SensitiveRule[] = [
  {
    topic: 'fraud',
    priority: 'urgent',
    patterns: [
      /\bfraud\w*|\bscam\w*|\bidentity theft\b|\bstolen (?:card|identity|account)\b|\bhacked\b/,
      /\bunauthori[sz]ed\b|\b(?:didnt|did not|never) (?:make|place|order|authori[sz]e)\w* (?:this|that|these|the|a|an|any)\b/,
      /\bsomeone (?:else )?(?:used|is using|has used) my (?:card|account)\b/,
      /\b(?:card|account|identity|details)\s+(?:\w+\s+)?(?:was|has been|have been|got|is|were)\s+(?:stolen|hacked|compromised)\b/,
    ],
  },
  {
    topic: 'chargeback',
    priority: 'urgent',
    patterns: [
      /\bcharge[\s-]?backs?\b|\bdisput\w* (?:a |the |this |my )?(?:charge|payment|transaction)\b|\breverse the charge\b/,
    ],
  },
  {
    topic: 'legal',
    priority: 'urgent',
    patterns: [
      /\b(?:lawyer|attorney|solicitor|lawsuit|sue|suing|litigation|legal action|small claims|court|ombudsman|trading standards|consumer protection)\b/,
    ],
  },
  {
    topic: 'abuse',
    priority: 'urgent',
    patterns: [
      /\bharass\w*|\bthreat\w*|\babus\w*|\bstalk\w*|\bracis\w*|\bdiscriminat\w*|\bi will (?:kill|hurt|find) you\b/,
    ],
  },
  {
    topic: 'safety',
    priority: 'urgent',
    patterns: [/\binjur\w*|\ballergic reaction\b|\bcaught fire\b|\bburn(?:ed|t) (?:me|my)\b|\bchoking\b/],
  },
  {
    topic: 'double_charge',
    priority: 'high',
    patterns: [
      /\b(?:charged|billed|debited|paid) (?:me )?(?:twice|two times|double|more than once|2 times)\b/,
      /\b(?:double|duplicate)d? (?:charge|payment|billing|transaction)s?\b|\bcharged double\b/,
    ],
  },
  {
    topic: 'payment_failed',
    priority: 'high',
    patterns: [
      /\b(?:payment|payments|card|transaction|checkout)\b(?:\s+\w+){0,3}?\s+(?:declin\w*|fail\w*|reject\w*|refus\w*|denied|blocked|bounced|not (?:go|going|gone) through|didnt go through|wont go through|isnt going through|not working|doesnt work|didnt work|wont work|error\w*)/,
      /\b(?:declin\w*|fail\w*|reject\w*|denied|blocked)\s+(?:\w+\s+){0,2}(?:payment|payments|card|transaction)\b/,
      /\b(?:problem|problems|issue|issues|trouble|troubles|error|errors|difficulty|difficulties)\s+(?:\w+\s+){0,3}(?:payment|payments|paying)\b/,
      /\b(?:payment|payments)\s+(?:problem|problems|issue|issues|trouble|troubles|error|errors)\b/,
      /\b(?:cant|cannot|unable to|not able to|couldnt) (?:pay|complete (?:the |my )?(?:payment|purchase|checkout)|check ?out)\b/,
    ],
  },
  {
    topic: 'complaint',
    priority: 'high',
    patterns: [
      /\bcomplain\w*|\breclamation\w*|\bgrievance\w*/,
      /\b(?:file|filing|lodge|lodging|make|making|submit|submitting|open|opening|raise|raising)\s+(?:(?:a|an|the|my|formal|official|consumer|customer)\s+)*claims?\b/,
      /\bclaims? against\b/,
    ],
  },
  {
    topic: 'data_deletion',
    priority: 'high',
    patterns: [
      /\b(?:delete|erase|remove|wipe|destroy)\w*\s+(?:all\s+)?(?:of\s+)?(?:my\s+)?(?:personal\s+)?(?:data|information|info|details)\b/,
      /\bgdpr\b|\bccpa\b|\bright to (?:be forgotten|erasure)\b|\bdata (?:protection|privacy|subject|deletion|erasure) (?:request|rights?)\b/,
    ],
  },
]

/** Greetings, thanks and goodbyes that carry no question. */
export const SMALL_TALK: ReadonlyArray<readonly ['greeting' | 'thanks', RegExp]> = [
  [
    'greeting',
    /^\W*(?:hi|hello|hey|hiya|howdy|yo|greetings|good (?:morning|afternoon|evening|day))(?: there| all| team| guys)?\W*$/,
  ],
  [
    'thanks',
    /^\W*(?:(?:ok(?:ay)?|great|perfect|cool|awesome|brilliant)\W*)?(?:thanks?(?: you)?(?: (?:so|very) much)?(?: a lot)?|thx|ty|cheers|much appreciated|bye|goodbye|see you)\W*$/,
  ],
]

/** Words of banking and other non-store services: "strong" are never about a store order. */
export const OFF_TOPIC_STRONG =
  /\b(?:atms?|cash ?machines?|cash ?points?|money machines?|withdr[ae]w\w*|exchange rates?|currenc(?:y|ies)|fiat|swift|iban|sort code|top(?:ping)?[\s-]?ups?|beneficiar\w*|overdraft|mortgages?|loans?|interest rates?|savings account|(?:virtual|disposable|temporary|vr|prepaid) cards?|pin(?! ?codes?)|dividends?|forex|weather|recipes?|homework|horoscope|account balances?|bank balances?|tax (?:refunds?|returns?)|salary|paycheck|deposits?)\b/
/** Off-topic unless the shopper is talking about paying the store ("pay by bank transfer"). */
export const OFF_TOPIC_WEAK =
  /\b(?:transfers?|transferr\w*|funds|bank accounts?|crypto\w*|bitcoins?|refill)\b/
export const PAYMENT_CONTEXT =
  /\b(?:pay|paying|payment|checkout|order|purchase)\b|\b(?:accept|take)\w* (?:a |an )?(?:bank |wire )transfers?\b/
/** Words that only come up when shopping: without one, a weak retrieval match is off topic. */
export const STORE_WORDS =
  /\b(?:order\w*|purchas\w*|buy\w*|bought|ship\w*|deliver\w*|parcel|package|return\w*|refund\w*|cancel\w*|account|password|login|signup|regist\w*|invoice|bill|receipt|discount|coupon|promo|gift\w*|size|sizing|product|item|cart|bag|checkout|price|track\w*|address|newsletter|subscri\w*|membership|review|store|shop\w*|website|email|pay\w*|card|fee|charge\w*)\b/
