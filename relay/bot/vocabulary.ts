/**
 * General e-commerce vocabulary for query expansion: words shoppers use for the same thing
 * ("bill" for invoice, "parcel" for package). Written for the domain, not for any one data set.
 */

/** Each set is one meaning; a query word from a set also matches the set's other words. */
export const SYNONYM_SETS: readonly (readonly string[])[] = [
  ['refund', 'refunds', 'reimbursement', 'reimburse', 'rebate', 'restitution', 'compensation', 'repayment'],
  ['return', 'returns', 'returning'],
  ['cancel', 'cancellation', 'cancelling', 'canceling', 'terminate', 'termination'],
  ['fee', 'fees', 'charge', 'charges', 'cost', 'costs', 'penalty', 'penalties', 'surcharge'],
  ['price', 'prices', 'cheaper', 'pricing'],
  ['invoice', 'invoices', 'bill', 'bills', 'receipt', 'receipts'],
  ['order', 'orders', 'purchase', 'purchases', 'buy', 'buying', 'acquire', 'shop'],
  ['signup', 'register', 'registration', 'registering', 'enroll', 'enrol', 'join'],
  ['create', 'creating', 'creation'],
  ['password', 'passwords', 'pwd', 'passcode', 'passphrase', 'passkey'],
  ['reset', 'recover', 'recovery', 'retrieve', 'restore', 'forgot', 'forgotten', 'lost'],
  ['edit', 'change', 'modify', 'update', 'correct', 'amend', 'alter', 'adjust', 'switch'],
  ['add', 'enter', 'submit', 'save', 'secondary', 'another', 'additional', 'second'],
  ['track', 'tracking', 'trace', 'locate', 'status'],
  ['arrive', 'arrival', 'expect', 'eta'],
  [
    'delivery',
    'deliver',
    'shipping',
    'ship',
    'shipment',
    'parcel',
    'package',
    'dispatch',
    'postage',
    'courier',
  ],
  ['coupon', 'promo', 'discount', 'voucher'],
  ['review', 'reviews', 'feedback', 'opinion', 'rating', 'comment', 'testimonial'],
  ['newsletter', 'newsletters', 'mailing'],
  ['subscribe', 'subscription', 'subscribed', 'subscribing'],
  ['unsubscribe', 'unsubscribing', 'unsubscribed'],
  ['size', 'sizes', 'sizing', 'fit', 'measurements'],
  ['account', 'accounts', 'profile', 'user'],
  ['delete', 'deletion', 'close', 'closing', 'closure', 'remove', 'removal', 'erase', 'deactivate'],
  ['contact', 'reach', 'call', 'phone', 'telephone'],
  ['hours', 'open', 'available', 'availability'],
  ['payment', 'payments', 'pay', 'paying', 'paid'],
  ['method', 'methods', 'option', 'options', 'modality', 'modalities'],
  ['card', 'cards', 'visa', 'mastercard', 'amex'],
  ['membership', 'plan', 'tier', 'premium', 'plus', 'upgrade', 'downgrade'],
  ['problem', 'problems', 'issue', 'issues', 'trouble', 'troubles', 'error', 'errors', 'fail', 'failed'],
  ['country', 'countries', 'international', 'abroad', 'overseas', 'worldwide', 'internationally'],
  ['item', 'items', 'product', 'products', 'article', 'goods', 'merchandise'],
  ['cart', 'bag', 'basket'],
  ['faulty', 'damaged', 'defective', 'broken'],
  ['email', 'emails', 'mail'],
  ['exchange', 'swap'],
]

/** Phrases rewritten into concepts before single words are looked at; the phrase is consumed. */
export const PHRASES: ReadonlyArray<readonly [RegExp, readonly string[]]> = [
  [/\bmoney\s+back\b/g, ['refund']],
  [/\bsend(?:ing)?\s+(?:\w+\s+)?back\b/g, ['return']],
  [/\bearly\s*(?:exit|termination|cancell?ation)s?\b/g, ['cancel']],
  [/\bbreak(?:ing)?\s+(?:the\s+|my\s+|a\s+)?(?:contract|agreement)\b/g, ['cancel']],
  [/\b(?:promo(?:tion(?:al)?)?|discount|coupon|voucher)\s+codes?\b/g, ['discount']],
  [/\baccess\s+(?:key|code)s?\b|\bpin\s+codes?\b/g, ['password']],
  [/\bcustomer\s+(?:service|support|care|assistance|services)\b|\bhelp\s*desk\b|\bsupport\s+team\b/g, ['contact']],
  [/\bget(?:ting)?\s+in\s+touch\b/g, ['contact']],
  [/\bwhat\s+(?:time|hours?)\b|\bopening\s+(?:hours|times)\b|\bbusiness\s+hours\b/g, ['hours']],
  [/\bhow\s+(?:long|soon|quickly|fast)\b|\bhow\s+many\s+days\b/g, ['take', 'days']],
  [/\bwhere\s+is\s+my\b/g, ['track']],
  [/\bestimated\s+(?:time\s+of\s+)?(?:arrival|delivery)\b/g, ['arrival', 'track']],
  [/\bmailing\s+list\b|\bmarketing\s+e?mails?\b/g, ['newsletter']],
  [/\bopt(?:ing)?[\s-]*out\b|\bstop\s+(?:the\s+)?e?mails\b/g, ['unsubscribe']],
  [/\bcancel\w*\s+(?:\w+\s+){0,2}subscriptions?\b/g, ['unsubscribe', 'subscription']],
  [
    /\b(?:cancel\w*|terminat\w*|clos\w*|remov\w*|delet\w*)\s+(?:of\s+)?(?:(?:a|an|the|my)\s+)?(?:\w+\s+)?accounts?\b/g,
    ['delete', 'account'],
  ],
  [/\baccounts?\s+(?:cancell?ations?|terminations?|removals?|deletions?|closures?)\b/g, ['delete', 'account']],
  [
    /\b(?:open|opening|make|making|set\s+up|setting\s+up|start|starting)\s+(?:(?:a|an|new|my|the)\s+)*(?:\w+\s+)?(?:account|profile)s?\b/g,
    ['create', 'account'],
  ],
  [/\b(?:switch\w*|chang\w*|mov\w*)\s+(?:over\s+)?(?:to|into)\b/g, ['membership', 'switch']],
  [/\bset(?:ting)?\s+(?:\w+\s+){0,3}up\b/g, ['add']],
  [/\bnot\s+working\b|\bdoesnt\s+work\b|\bwont\s+work\b/g, ['problem']],
  [/\bdouble\s+charged?\b|\bcharged\s+twice\b/g, ['charged', 'twice']],
]

/** Plan names stores give account tiers ("Gold account"): a hint of the membership topic. */
export const TIER_WORDS = new Set([
  'free',
  'freemium',
  'premium',
  'pro',
  'gold',
  'golden',
  'platinum',
  'silver',
  'bronze',
  'basic',
  'standard',
  'plus',
  'vip',
  'business',
  'elite',
  'starter',
])

/** Where a shopper may order from; enough to recognise "do you ship to Canada". */
export const PLACES = new Set(
  `usa america canada mexico uk britain england scotland wales ireland europe eu germany france spain italy
  portugal netherlands holland belgium austria switzerland sweden norway denmark finland poland greece
  australia zealand japan china india korea brazil argentina chile colombia peru africa nigeria egypt
  turkey israel russia ukraine singapore philippines indonesia thailand vietnam malaysia asia`.split(/\s+/),
)
