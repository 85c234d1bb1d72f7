/**
 * "How did we do?" from the widget: the shopper rates their resolved conversation, once per
 * resolution (relay/conversations/state-machine.ts `rate`). The rating is a `csat` audit event;
 * the updated conversation reaches the shopper's tabs and the agents through the usual broadcast.
 */
import { CsatRateSchema } from '../../shared/protocol.ts'
import type { ConversationService, Logger } from '../conversations/service.ts'
import { shopperConversation } from '../helpdesk/shopper-view.ts'
import { handle } from './handler.ts'

export interface WidgetCsatDeps {
  service: ConversationService
  log: Logger
}

/** What the handler needs of a widget socket (its site and shopper come from the handshake). */
export interface WidgetCsatSocket {
  data: { siteId: string; contactId: string }
  on(event: 'csat:rate', listener: (payload: unknown, ack: unknown) => void): unknown
}

/** Wires `csat:rate` on one widget socket. */
export function registerWidgetCsat(socket: WidgetCsatSocket, deps: WidgetCsatDeps): void {
  const { siteId, contactId } = socket.data
  socket.on(
    'csat:rate',
    handle('csat:rate', CsatRateSchema, deps.log, async (payload) => ({
      conversation: shopperConversation(await deps.service.rate(siteId, contactId, payload)),
    })),
  )
}
