/** The shopper side: handshake (site, origin, token) and the widget's events. */
import type { Namespace, Server } from 'socket.io'
import { newId } from '../../shared/ids.ts'
import {
  PROTOCOL_VERSION,
  WIDGET_NAMESPACE,
  WidgetAuthSchema,
  type WidgetClientToServer,
  type WidgetIdentity,
  WidgetResumeSchema,
  WidgetSendSchema,
  type WidgetServerToClient,
} from '../../shared/protocol.ts'
import { identitySubject, identityVerified, verifiedContactId } from '../auth/identity.ts'
import { issueShopperToken, verifyShopperToken } from '../auth/shopper-tokens.ts'
import type { Bot, ConversationService, Logger } from '../conversations/service.ts'
import { AppError } from '../errors.ts'
import { shopperConversation, shopperMessage, shopperMessagesAfter } from '../helpdesk/shopper-view.ts'
import type { Contact, Store } from '../store/types.ts'
import { rooms } from './broadcaster.ts'
import { handle } from './handler.ts'
import { type Limiters, memoryLimiters } from './limits.ts'
import { ownOrigins, widgetOriginAllowed } from './origin.ts'
import {
  CONTACT_EMAIL_LIMIT,
  readyAvailability,
  registerWidgetAvailability,
  type WidgetAvailabilityDeps,
} from './widget-availability.ts'
import { registerWidgetCsat } from './widget-csat.ts'
import { KB_SEARCH_LIMIT, KB_VOTE_LIMIT, registerWidgetKbHandlers } from './widget-kb.ts'

type WidgetNamespace = Namespace<
  WidgetClientToServer,
  WidgetServerToClient,
  Record<string, never>,
  WidgetSocketData
>

interface WidgetSocketData {
  siteId: string
  botName: string
  contactId: string
  token: string
  verified: boolean
}

/** Creates or refreshes the verified contact: its email is verified, its name the store's. */
async function linkVerifiedContact(
  store: Store,
  siteId: string,
  id: string,
  identity: WidgetIdentity,
): Promise<void> {
  const existing = await store.getContact(id)
  const next: Contact = {
    ...(existing ?? { id, siteId, name: null, email: null, createdAt: new Date().toISOString() }),
    ...(identity.name ? { name: identity.name } : {}),
    ...(identity.email ? { email: identity.email, emailVerified: true } : {}),
  }
  if (JSON.stringify(next) !== JSON.stringify(existing)) await store.putContact(next)
}

export interface WidgetNamespaceDeps {
  store: Store
  service: ConversationService
  bot: Bot
  secret: Buffer
  publicUrl: string | null
  secureCookies: boolean
  log: Logger
  /** Availability in `session:ready` and its pushes, and `contact:email` (widget-availability.ts). */
  availability?: WidgetAvailabilityDeps
  /** Where the widget's rate limits count; default this process (relay/sockets/limits.ts). */
  limiters?: Limiters
}

/** A refused handshake: the client's `connect_error` carries the code as its message. */
function refusal(code: string): Error & { data: { code: string } } {
  return Object.assign(new Error(code), { data: { code } })
}

/** A shopper may send 30 messages in 10 s (a pasted burst, an outbox flush), and no more. */
const SEND_LIMIT = { points: 30, duration: 10 }
/** Handshakes per address and minute: each can mint an identity. */
const CONNECT_LIMIT = { points: 120, duration: 60 }

export function registerWidgetNamespace(io: Server, deps: WidgetNamespaceDeps): void {
  // Once per relay: every connection shares the counters (and, with Redis, every node).
  const limiters = deps.limiters ?? memoryLimiters
  const sendLimiter = limiters('widget-send', SEND_LIMIT)
  const connectLimiter = limiters('widget-connect', CONNECT_LIMIT)
  const kbLimits = {
    searches: limiters('kb-search', KB_SEARCH_LIMIT),
    votes: limiters('kb-vote', KB_VOTE_LIMIT),
  }
  const emailLimiter = limiters('contact-email', CONTACT_EMAIL_LIMIT)
  const nsp =
    // The server is untyped (it carries two namespaces); each namespace gets its own event maps.
    io.of(WIDGET_NAMESPACE) as unknown as WidgetNamespace

  nsp.use((socket, next) => {
    const auth = WidgetAuthSchema.safeParse(socket.handshake.auth)
    if (!auth.success) {
      const given = (socket.handshake.auth as { protocol?: unknown } | undefined)?.protocol
      return next(
        refusal(given !== undefined && given !== PROTOCOL_VERSION ? 'protocol_mismatch' : 'invalid_payload'),
      )
    }
    const address = socket.handshake.address
    Promise.all([deps.store.getSite(auth.data.site), connectLimiter.consume(address)]).then(
      ([site, allowed]) => {
        if (!allowed) return next(refusal('rate_limited'))
        if (!site) return next(refusal('unknown_site'))
        const own = ownOrigins(socket.handshake.headers, deps.publicUrl, deps.secureCookies)
        if (!widgetOriginAllowed(socket.handshake.headers.origin, own, site.allowedOrigins)) {
          return next(refusal('origin_not_allowed'))
        }
        const claimed = auth.data.identity
        const proven =
          claimed && site.identitySecret && identityVerified(site.identitySecret, claimed) ? claimed : null
        if (site.requireIdentity && !proven) return next(refusal('identity_required'))
        if (proven) {
          // Verified: the contact is derived from the identity, so every device reaches the same one.
          const subject = identitySubject(proven) ?? ''
          const contactId = verifiedContactId(deps.secret, site.id, subject)
          const identity = { siteId: site.id, contactId, verified: true }
          return linkVerifiedContact(deps.store, site.id, contactId, proven).then(() => {
            socket.data = {
              siteId: site.id,
              botName: site.botName,
              contactId,
              token: issueShopperToken(deps.secret, identity),
              verified: true,
            }
            next()
          })
        }
        const known = auth.data.token ? verifyShopperToken(deps.secret, auth.data.token, site.id) : null
        // A verified contact's token without its identity (signed out, another person) is not honoured.
        const usable = known && !known.verified ? known : null
        const identity = usable ?? { siteId: site.id, contactId: newId('ctc_') }
        socket.data = {
          siteId: site.id,
          botName: site.botName,
          contactId: identity.contactId,
          token: usable && auth.data.token ? auth.data.token : issueShopperToken(deps.secret, identity),
          verified: false,
        }
        next()
      },
      (error: unknown) => {
        deps.log.error({ err: error }, 'widget handshake failed')
        next(refusal('internal_error'))
      },
    )
  })

  nsp.on('connection', (socket) => {
    const { siteId, botName, contactId, token, verified } = socket.data
    const contactRoom = rooms.contact(siteId, contactId)
    void socket.join(contactRoom)
    const ready = {
      token,
      contactId,
      greeting: deps.bot.greeting(),
      botName,
      protocol: PROTOCOL_VERSION,
      verified,
    }
    // Availability reads the site's business hours: session:ready waits for it (never fails for it).
    void (deps.availability ? readyAvailability(deps.availability, siteId) : Promise.resolve({})).then(
      (extra) => socket.emit('session:ready', { ...ready, ...extra }),
    )

    socket.on(
      'conversation:resume',
      handle('conversation:resume', WidgetResumeSchema, deps.log, async (payload) => {
        const conversation = await deps.service.findForShopper(siteId, contactId, payload.conversationId)
        if (!conversation) return { conversation: null, messages: [] }
        // Internal notes never reach the shopper; `afterSeq` and the seqs are the shopper's own numbering.
        const messages = await shopperMessagesAfter(deps.store, conversation, payload.afterSeq)
        return { conversation: shopperConversation(conversation), messages }
      }),
    )

    socket.on(
      'message:send',
      handle('message:send', WidgetSendSchema, deps.log, async (payload) => {
        if (!(await sendLimiter.consume(`${siteId}:${contactId}`))) {
          throw new AppError('rate_limited', 'too many messages, wait a few seconds')
        }
        const site = await deps.store.getSite(siteId)
        if (!site) throw new AppError('unknown_site', 'the site no longer exists')
        const { message, conversation } = await deps.service.shopperSend(site, contactId, payload)
        const visible = await shopperMessage(deps.store, conversation, message)
        if (!visible) throw new AppError('internal_error', 'a shopper message was stored as a note')
        return { message: visible, conversation: shopperConversation(conversation) }
      }),
    )

    registerWidgetKbHandlers(socket, { store: deps.store, log: deps.log, ...kbLimits })
    if (deps.availability) registerWidgetAvailability(socket, deps.availability, emailLimiter)
    registerWidgetCsat(socket, { service: deps.service, log: deps.log })
  })
}
