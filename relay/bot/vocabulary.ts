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
  ['order', 'orders', 'purchase', 'purchases', 'buy', 'buying', 'bought', 'acquire', 'shop'],
  ['signup', 'register', 'registration', 'registering', 'enroll', 'enrol'],
  ['create', 'creating', 'creation'],
  ['password', 'passwords', 'pwd', 'passcode', 'passphrase', 'passkey'],
  ['reset', 'recover', 'recovery', 'retrieve', 'restore', 'forgot', 'forgotten', 'lost'],
  ['edit', 'change', 'modify', 'update', 'correct', 'amend', 'alter', 'adjust'],
  ['add', 'enter', 'submit', 'save', 'secondary', 'additional'],
  ['track', 'tracking', 'trace', 'locate', 'status'],
  ['arrive', 'arrival', 'eta'],
  ['wait', 'waiting', 'expect', 'expecting', 'await', 'awaiting', 'pending'],
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
  ['hours'],
  ['payment', 'payments', 'pay', 'paying', 'paid'],
  ['method', 'methods', 'option', 'options', 'modality', 'modalities'],
  ['card', 'cards', 'visa', 'mastercard', 'amex'],
  ['membership', 'plan', 'tier', 'premium', 'plus', 'upgrade', 'downgrade', 'switch'],
  ['problem', 'problems', 'issue', 'issues', 'trouble', 'troubles', 'error', 'errors', 'fail', 'failed'],
  ['country', 'countries', 'international', 'abroad', 'overseas', 'worldwide', 'internationally'],
  [
    'item',
    'items',
    'product',
    'products',
    'article',
    'goods',
    'merchandise',
    // Everyday things people buy online: a named product is still "an item" to the help articles.
    'shirt',
    'tshirt',
    'top',
    'jeans',
    'trousers',
    'pants',
    'dress',
    'skirt',
    'jacket',
    'coat',
    'sweater',
    'jumper',
    'hoodie',
    'shoes',
    'boots',
    'sneakers',
    'trainers',
    'socks',
    'hat',
    'scarf',
    'gloves',
    'belt',
    'shorts',
    'suit',
    'blouse',
  ],
  ['cart', 'bag', 'basket'],
  ['faulty', 'damaged', 'defective', 'broken'],
  ['email', 'emails', 'mail'],
  ['exchange', 'swap'],
  ['policy', 'policies', 'guarantee', 'rules', 'conditions'],
]

/**
 * Phrases rewritten into one concept before single words are looked at; only the match is
 * consumed (lookarounds keep the context words for their own concepts). No words: just dropped.
 */
export const PHRASES: ReadonlyArray<readonly [RegExp, readonly string[]]> = [
  [/\bmoney\s+back\b/g, ['refund']],
  [/\bhow\s+much\b/g, ['cost']],
  [/\be?mail\s+address(?:es)?\b/g, ['email']],
  [
    /\badd\w*(?=\s+(?:\w+\s+){0,3}(?:to|into|onto)\s+(?:(?:my|an|the|this|our|existing)\s+)+orders?\b)/g,
    ['add', 'change'],
  ],
  [
    /\bin\s+(?:what|which)\s+(?:cases?|situations?|circumstances?)\b|\bterms\s+and\s+conditions\b/g,
    ['policy'],
  ],
  [/\bsend(?:ing)?\s+(?:\w+\s+)?back\b/g, ['return']],
  [/\bearly\s*(?:exit|termination|cancell?ation)s?\b/g, ['cancel']],
  [/\bbreak(?:ing)?\s+(?:the\s+|my\s+|a\s+)?(?:contract|agreement)\b/g, ['cancel']],
  [/\b(?:promo(?:tion(?:al)?)?|discount|coupon|voucher)\s+codes?\b/g, ['discount']],
  [/\baccess\s+(?:key|code)s?\b|\bpin\s+codes?\b/g, ['password']],
  [
    /\bcustomer\s+(?:service|support|care|assistance|services)\b|\bhelp\s*desk\b|\bsupport\s+team\b/g,
    ['contact'],
  ],
  [/\bget(?:ting)?\s+in\s+touch\b/g, ['contact']],
  [/\bwhat\s+(?:time|hours?)\b|\bopening\s+(?:hours|times)\b|\bbusiness\s+hours\b/g, ['hours']],
  [
    /\bhow\s+(?:long|soon|quickly|fast)\b|\bhow\s+many\s+days\b/g,
    ['take', 'days', 'hours', 'minutes', 'weeks', 'months', 'years', 'time'],
  ],
  [/\bwhere\s+is\s+my\b/g, ['track']],
  [/\beta\b|\bestimated\s+(?:time\s+of\s+)?(?:arrival|delivery)\b/g, ['arrival', 'track']],
  [/\bmailing\s+list\b|\bmarketing\s+e?mails?\b/g, ['newsletter']],
  [/\bopt(?:ing)?[\s-]*out\b|\bstop\s+(?:the\s+)?e?mails\b/g, ['unsubscribe']],
  [/\bcancel\w*(?=\s+(?:\w+\s+){0,2}subscriptions?\b)/g, ['unsubscribe']],
  [
    /\b(?:cancel\w*|terminat\w*|clos\w*|remov\w*|delet\w*)(?=\s+(?:of\s+)?(?:(?:a|an|the|my)\s+)?(?:\w+\s+)?accounts?\b)/g,
    ['delete'],
  ],
  [/(?<=\baccounts?\s+)(?:cancell?ations?|terminations?|removals?|deletions?|closures?)\b/g, ['delete']],
  [
    /\b(?:open|opening|make|making|start|starting)(?=\s+(?:(?:a|an|new|my|the)\s+)*(?:\w+\s+)?(?:account|profile)s?\b)/g,
    ['create'],
  ],
  [/\bset(?:ting)?\s+up(?=\s+(?:(?:a|an|new|my|the)\s+)*(?:\w+\s+)?(?:account|profile)s?\b)/g, ['create']],
  [/\b(?:switch\w*|chang\w*|mov\w*)\s+(?:over\s+)?(?:to|into)\b/g, ['membership', 'switch']],
  [/\bset(?:ting)?\s+(?:\w+\s+){0,3}up\b/g, ['add']],
  [/\bplac\w*(?=\s+(?:(?:a|an|my|the|new)\s+)?orders?\b)/g, []],
  [/\bnot\s+working\b|\bdoesnt\s+work\b|\bwont\s+work\b/g, ['problem']],
  [/\bdouble\s+charged?\b|\bcharged\s+twice\b/g, ['charged', 'twice']],
]

/** One-way expansions: "switch items" means change them, but "change" doesn't mean a plan switch. */
export const ONE_WAY: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['switch', ['change', 'edit', 'modify']],
  ['signup', ['subscribe']],
]

/** Words that qualify a request rather than name it ("a problem with", "my account"): half weight. */
export const WEAK_WORDS = new Set([
  ...(SYNONYM_SETS.find((set) => set[0] === 'item') ?? []),
  'item',
  'items',
  'product',
  'products',
  'article',
  'goods',
  'problem',
  'problems',
  'issue',
  'issues',
  'trouble',
  'troubles',
  'error',
  'errors',
])

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
