/**
 * Conversations as the shopper, the bot and the agents drive them: every change goes through
 * the store's atomic operations and the state machine, then is broadcast. Transports (socket
 * handlers, later email and webhooks) call this and hold no logic of their own.
 */
import { newId } from '../../shared/ids.ts'
import type {
  Actor,
  AuditEvent,
  Channel,
  ConsoleSend,
  CsatRate,
  EffortRate,
  Message,
  MessageDelta,
  WidgetSend,
} from '../../shared/protocol.ts'
import type { BotDecision, BotEvent, BotTurn } from '../bot/types.ts'
import { AppError } from '../errors.ts'
import { learnFromResolution } from '../kb/learn.ts'
import type { Agent, Conversation, Mutation, Site, Store } from '../store/types.ts'
import { KeyedQueue } from '../util/keyed-queue.ts'
import { type Command, transition } from './state-machine.ts'

/** What the service needs of the bot (the BotEngine in relay/bot/engine.ts). */
export interface Bot {
  readonly botName: string
  greeting(locale?: string): string
  /** A site's articles changed: the next turn re-reads them. */
  invalidate(siteId: string): void
  readonly providerName: string
  respond(turn: BotTurn, emit: (event: BotEvent) => void, signal?: AbortSignal): Promise<BotDecision>
}

/** Where changes go once stored (socket.io rooms; a test may record them). */
export interface Broadcaster {
  conversationChanged(conversation: Conversation): void
  messageAdded(conversation: Conversation, message: Message): void
  messageDelta(conversation: Conversation, delta: MessageDelta): void
}

/** Told of every stored change, after it is stored (routing, SLA clocks, notifications). */
export interface ConversationObserver {
  transitioned?(conversation: Conversation, event: AuditEvent): void | Promise<void>
  messageStored?(conversation: Conversation, message: Message): void | Promise<void>
}

export interface Logger {
  info(obj: object, msg?: string): void
  error(obj: object, msg?: string): void
}

/** A customer's message from a channel other than the widget (email, later messaging webhooks). */
export interface ChannelMessage {
  channel: Channel
  /** The conversation it continues (the channel proved it belongs to this contact); null starts one. */
  conversationId: string | null
  /** The channel's own message id, so a redelivered message is stored once. */
  clientId: string
  text: string
  /**
   * An auto-reply or a bounce: stored for agents, but it never reopens a conversation and never
   * wakes the bot (two automatic systems must not answer each other forever).
   */
  automatic: boolean
}

export interface ConversationServiceOptions {
  store: Store
  bot: Bot
  broadcaster: Broadcaster
  log: Logger
  now?: () => Date
}

export class ConversationService {
  private readonly store: Store
  private readonly bot: Bot
  private readonly broadcaster: Broadcaster
  private readonly log: Logger
  private readonly now: () => Date
  /** One conversation start per shopper at a time, so a retried first message can't open two. */
  private readonly contactQueue = new KeyedQueue()
  /** The bot answers one message after another, per conversation. */
  private readonly botQueue = new KeyedQueue()
  private readonly botAbort = new AbortController()
  private readonly observers: ConversationObserver[] = []
  private closed = false

  constructor(options: ConversationServiceOptions) {
    this.store = options.store
    this.bot = options.bot
    this.broadcaster = options.broadcaster
    this.log = options.log
    this.now = options.now ?? (() => new Date())
  }

  /** The shopper's conversation on a site: the given one (if theirs) or their latest. */
  async findForShopper(
    siteId: string,
    contactId: string,
    conversationId?: string,
  ): Promise<Conversation | null> {
    if (conversationId) {
      const conversation = await this.store.getConversation(conversationId)
      // Same answer for "not yours" and "does not exist": ids must not be probeable.
      if (
        !conversation ||
        conversation.siteId !== siteId ||
        conversation.contactId !== contactId ||
        conversation.channel !== 'web'
      ) {
        throw new AppError('not_found', 'no such conversation')
      }
      return conversation
    }
    // The widget is the web channel: a verified contact's email or WhatsApp conversations are theirs,
    // but they continue where they began (and their replies go out there), not in the chat.
    const recent = await this.store.listConversations({ siteIds: [siteId], contactId, limit: 50 })
    return recent.find((c) => c.channel === 'web') ?? null
  }

  /** A shopper's message: continues (or reopens) their conversation or starts one, then wakes the bot. */
  async shopperSend(
    site: Site,
    contactId: string,
    payload: WidgetSend,
  ): Promise<{ message: Message; conversation: Conversation }> {
    this.assertOpen()
    const { conversation, message, duplicate } = await this.contactQueue.run(
      `${site.id}:${contactId}`,
      async () => {
        let current = await this.findForShopper(site.id, contactId, payload.conversationId)
        // Without an explicit id a resolved conversation is history: start afresh; with one, reopen it.
        if (current && !payload.conversationId && current.status === 'resolved') current = null
        current ??= await this.start(site, contactId)
        const actor: Actor = { kind: 'contact', id: contactId }
        if (current.status === 'resolved') current = await this.apply(current.id, { type: 'reopen' }, actor)
        const result = await this.store.appendMessage({
          conversationId: current.id,
          clientId: payload.clientId,
          author: 'contact',
          authorId: contactId,
          authorName: null,
          text: payload.text,
          sources: [],
        })
        if (!result.ok) throw new AppError('internal_error', 'append refused without a status condition')
        return result
      },
    )
    if (!duplicate) {
      this.messageStored(conversation, message)
      this.broadcaster.conversationChanged(conversation)
      if (conversation.status === 'bot') this.scheduleBot(conversation.id, message)
    }
    return { message, conversation }
  }

  /**
   * A customer's message from another channel. The bot is not woken here: the channel first writes
   * its own records (threading), then calls `answer`.
   */
  async channelSend(
    site: Site,
    contactId: string,
    input: ChannelMessage,
  ): Promise<{ message: Message; conversation: Conversation; duplicate: boolean }> {
    this.assertOpen()
    const result = await this.contactQueue.run(`${site.id}:${contactId}`, async () => {
      let current = input.conversationId ? await this.store.getConversation(input.conversationId) : null
      if (current && (current.siteId !== site.id || current.contactId !== contactId)) current = null
      current ??= await this.start(site, contactId, input.channel)
      if (current.status === 'resolved' && !input.automatic)
        current = await this.apply(current.id, { type: 'reopen' }, { kind: 'contact', id: contactId })
      const appended = await this.store.appendMessage({
        conversationId: current.id,
        clientId: input.clientId,
        author: 'contact',
        authorId: contactId,
        authorName: null,
        text: input.text,
        sources: [],
      })
      if (!appended.ok) throw new AppError('internal_error', 'append refused without a status condition')
      return appended
    })
    if (!result.duplicate) {
      this.messageStored(result.conversation, result.message)
      this.broadcaster.conversationChanged(result.conversation)
    }
    return { message: result.message, conversation: result.conversation, duplicate: result.duplicate }
  }

  /** Lets the bot answer a stored customer message, if the bot still owns the conversation. */
  answer(conversation: Conversation, message: Message): void {
    if (conversation.status === 'bot' && !this.closed) this.scheduleBot(conversation.id, message)
  }

  /** An agent's reply: only the assignee may write to the customer. */
  async agentSend(
    agent: Agent,
    payload: ConsoleSend,
  ): Promise<{ message: Message; conversation: Conversation }> {
    this.assertOpen()
    const current = await this.forAgent(agent, payload.conversationId)
    if (current.status !== 'assigned' || current.assigneeId !== agent.id) {
      throw new AppError(
        'not_assignee',
        current.assigneeName ? `assigned to ${current.assigneeName}` : 'take over the conversation first',
        { assigneeName: current.assigneeName },
      )
    }
    const result = await this.store.appendMessage(
      {
        conversationId: current.id,
        clientId: payload.clientId,
        author: 'agent',
        authorId: agent.id,
        authorName: agent.name,
        text: payload.text,
        sources: [],
      },
      { requireStatus: ['assigned'] },
    )
    if (!result.ok) throw new AppError('not_assignee', 'the conversation is no longer assigned to you')
    if (!result.duplicate) {
      this.messageStored(result.conversation, result.message)
      this.broadcaster.conversationChanged(result.conversation)
    }
    return { message: result.message, conversation: result.conversation }
  }

  /** Take over: atomic, so of two agents at once exactly one owns the conversation. */
  async claim(agent: Agent, conversationId: string): Promise<Conversation> {
    this.assertOpen()
    const before = await this.forAgent(agent, conversationId)
    const actor: Actor = { kind: 'agent', id: agent.id }
    const conversation = await this.apply(
      before.id,
      { type: 'claim', agentId: agent.id, agentName: agent.name },
      actor,
    )
    if (before.assigneeId !== agent.id)
      await this.systemMessage(conversation, `${agent.name} joined the conversation`)
    return conversation
  }

  async resolve(agent: Agent, conversationId: string): Promise<Conversation> {
    this.assertOpen()
    const before = await this.forAgent(agent, conversationId)
    const conversation = await this.apply(
      before.id,
      { type: 'resolve' },
      { kind: 'agent', id: agent.id },
      agent.role === 'admin',
    )
    await this.systemMessage(conversation, 'This conversation was marked as resolved')
    // An agent's link to a help article teaches that article the shopper's wording. The resolve
    // itself succeeded: a failure to learn is logged, not turned into a failed resolve.
    await learnFromResolution(this.store, conversation.id, {
      invalidate: (siteId) => this.bot.invalidate(siteId),
      now: this.now,
    }).catch((error: unknown) =>
      this.log.error({ err: error, conversationId }, 'learning from resolution failed'),
    )
    return conversation
  }

  /**
   * The shopper's "How did we do?": their own web conversation only (another's is not_found, as one
   * that does not exist), once per resolution. Email conversations are not rated: their resolution
   * notice carries no link to rate from.
   */
  async rate(siteId: string, contactId: string, payload: CsatRate): Promise<Conversation> {
    this.assertOpen()
    const current = await this.findForShopper(siteId, contactId, payload.conversationId)
    if (!current) throw new AppError('not_found', 'no such conversation')
    const comment = payload.comment ? payload.comment : null
    return this.apply(
      current.id,
      { type: 'rate', score: payload.score, comment },
      { kind: 'contact', id: contactId },
    )
  }

  /** The resolving agent's one-click effort rating of a resolution they made. */
  async rateEffort(agent: Agent, payload: EffortRate): Promise<Conversation> {
    this.assertOpen()
    const current = await this.forAgent(agent, payload.conversationId)
    return this.apply(
      current.id,
      { type: 'rate_effort', agentId: agent.id, score: payload.score },
      { kind: 'agent', id: agent.id },
    )
  }

  /** A conversation an agent may see: in one of their sites; else not_found (ids must not leak). */
  async forAgent(agent: Agent, conversationId: string): Promise<Conversation> {
    const conversation = await this.store.getConversation(conversationId)
    if (!conversation || !agent.siteIds.includes(conversation.siteId)) {
      throw new AppError('not_found', 'no such conversation')
    }
    return conversation
  }

  /** Stops the bot, waits for what is in flight. */
  async close(): Promise<void> {
    this.closed = true
    this.botAbort.abort()
    await Promise.all([this.contactQueue.drain(), this.botQueue.drain()])
  }

  private assertOpen(): void {
    if (this.closed) throw new AppError('internal_error', 'the relay is shutting down')
  }

  private async start(site: Site, contactId: string, channel: Channel = 'web'): Promise<Conversation> {
    const now = this.now().toISOString()
    if (!(await this.store.getContact(contactId))) {
      await this.store.putContact({ id: contactId, siteId: site.id, name: null, email: null, createdAt: now })
    }
    const conversation: Conversation = {
      id: newId('cnv_'),
      siteId: site.id,
      contactId,
      channel,
      status: 'bot',
      priority: 'normal',
      handoffReason: null,
      handoffSummary: null,
      assigneeId: null,
      assigneeName: null,
      humanInvolved: false,
      lastSeq: 0,
      preview: '',
      createdAt: now,
      updatedAt: now,
    }
    const created = await this.store.createConversation(conversation, {
      id: newId('evt_'),
      conversationId: conversation.id,
      type: 'created',
      actor: { kind: 'contact', id: contactId },
      at: now,
      data: { channel },
    })
    // Other channels disclose the bot in each bot reply they send (relay/channels/email/outbound.ts).
    if (channel !== 'web') return created
    // The disclosure is code, not prompt: always the conversation's first message.
    const greeting = await this.store.appendMessage({
      conversationId: created.id,
      clientId: null,
      author: 'bot',
      authorId: null,
      authorName: site.botName,
      text: this.bot.greeting(),
      sources: [],
      bot: { outcome: 'greeting', confidence: null, intent: 'greeting', provider: 'fixed' },
    })
    if (!greeting.ok) throw new AppError('internal_error', 'could not store the greeting')
    this.messageStored(greeting.conversation, greeting.message)
    return greeting.conversation
  }

  /** Registers an observer of stored changes; its failures are logged, never the caller's. */
  observe(observer: ConversationObserver): void {
    this.observers.push(observer)
  }

  /** Applies one state-machine command atomically, broadcasts it and tells the observers. */
  async apply(id: string, command: Command, actor: Actor, isAdmin = false): Promise<Conversation> {
    const now = this.now().toISOString()
    const result: Mutation | null = await this.store.updateConversation(id, (current) =>
      transition(current, command, { actor, now, newId: () => newId('evt_'), isAdmin }),
    )
    if (!result) throw new AppError('not_found', 'no such conversation')
    if (!result.ok) throw AppError.from(result.error)
    if (result.event) {
      this.broadcaster.conversationChanged(result.conversation)
      this.notify('transitioned', result.conversation, result.event)
    }
    return result.conversation
  }

  /** Broadcasts a stored message and tells the observers. */
  messageStored(conversation: Conversation, message: Message): void {
    this.broadcaster.messageAdded(conversation, message)
    this.notify('messageStored', conversation, message)
  }

  private notify(
    kind: 'transitioned' | 'messageStored',
    conversation: Conversation,
    payload: AuditEvent | Message,
  ): void {
    for (const observer of this.observers) {
      const run = () =>
        kind === 'transitioned'
          ? observer.transitioned?.(conversation, payload as AuditEvent)
          : observer.messageStored?.(conversation, payload as Message)
      Promise.resolve()
        .then(run)
        .catch((error: unknown) =>
          this.log.error({ err: error, conversationId: conversation.id }, `observer ${kind} failed`),
        )
    }
  }

  /** A system line for agents only (e.g. a reply a channel could not deliver); never sent to the customer. */
  async internalNote(conversation: Conversation, text: string): Promise<void> {
    await this.systemMessage(conversation, text, true)
  }

  private async systemMessage(conversation: Conversation, text: string, internal = false): Promise<void> {
    const result = await this.store.appendMessage({
      conversationId: conversation.id,
      clientId: null,
      author: 'system',
      authorId: null,
      authorName: null,
      text,
      sources: [],
      ...(internal ? { internal: true } : {}),
    })
    if (result.ok) this.messageStored(result.conversation, result.message)
  }

  private scheduleBot(conversationId: string, trigger: Message): void {
    void this.botQueue
      .run(conversationId, () => this.runBot(conversationId, trigger))
      .catch((error: unknown) => this.log.error({ err: error, conversationId }, 'bot run failed'))
  }

  /** One bot turn. Every write is conditional on status `bot`: once a human owns it, the bot is silent. */
  private async runBot(conversationId: string, trigger: Message): Promise<void> {
    if (this.closed) return
    const conversation = await this.store.getConversation(conversationId)
    if (conversation?.status !== 'bot') return
    // Internal notes are for agents: the bot never reads them, so it can never repeat one to the shopper.
    const history = (await this.store.listMessages(conversationId)).filter(
      (m) => m.seq < trigger.seq && !m.internal,
    )
    const draftId = newId('drf_')
    let decision: BotDecision
    try {
      decision = await this.bot.respond(
        {
          siteId: conversation.siteId,
          conversationId,
          contactId: conversation.contactId,
          text: trigger.text,
          history,
          locale: 'en',
        },
        (event) => {
          if (event.type === 'delta')
            this.broadcaster.messageDelta(conversation, { conversationId, draftId, text: event.text })
        },
        this.botAbort.signal,
      )
    } catch (error) {
      // The engine turns provider failures into handoffs; reaching here is a bug, but the shopper must not wait.
      this.log.error({ err: error, conversationId }, 'bot engine threw')
      decision = {
        outcome: 'handoff',
        reason: 'provider_error',
        text: 'Sorry, I ran into a problem. I am connecting you with a person from our team.',
        summary: 'The bot failed on this message.',
        priority: 'normal',
        intent: 'unknown',
        sentiment: 0,
      }
    }
    const reply = await this.store.appendMessage(
      {
        conversationId,
        clientId: null,
        author: 'bot',
        authorId: null,
        authorName: (await this.store.getSite(conversation.siteId))?.botName ?? this.bot.botName,
        text: decision.text,
        sources: decision.outcome === 'answer' || decision.outcome === 'tool' ? decision.sources : [],
        bot: {
          outcome: decision.outcome,
          confidence: decision.outcome === 'answer' ? decision.confidence : null,
          intent: decision.intent,
          provider: this.bot.providerName,
        },
      },
      { requireStatus: ['bot'] },
    )
    if (!reply.ok) return
    this.messageStored(reply.conversation, reply.message)
    if (decision.outcome === 'handoff') {
      const { reason, summary, priority } = decision
      try {
        await this.apply(
          conversationId,
          { type: 'handoff', reason, summary, priority },
          { kind: 'bot', id: null },
        )
      } catch (error) {
        // A human took it meanwhile: nothing left to hand off.
        if (!(error instanceof AppError && error.code === 'invalid_transition')) throw error
      }
    } else {
      this.broadcaster.conversationChanged(reply.conversation)
      await this.queueForApproval(reply.conversation)
    }
  }

  /** A suggested action waits for a human: the conversation goes to the queue so someone sees it. */
  private async queueForApproval(conversation: Conversation): Promise<void> {
    const pending = await this.store.listActions({
      siteIds: [conversation.siteId],
      conversationId: conversation.id,
      statuses: ['pending'],
    })
    const [first] = pending
    if (!first) return
    const summary = pending.map((a) => `${a.type} (${JSON.stringify(a.input)}): ${a.reason}`).join('; ')
    try {
      await this.apply(
        conversation.id,
        {
          type: 'handoff',
          reason: 'policy',
          summary: `Waiting for approval: ${summary}`,
          priority: 'normal',
        },
        { kind: 'bot', id: null },
      )
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'invalid_transition')) throw error
    }
  }
}
