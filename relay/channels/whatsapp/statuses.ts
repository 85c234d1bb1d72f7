/**
 * WhatsApp status callbacks → the delivery status of our replies. A status about a reply we sent
 * (its wamid is in the records) is kept if it is newer than the one kept, pushed to the agents who have
 * the conversation open, and a failure leaves one internal note. Any other status is only logged.
 */
import { DeliveryStateSchema, type DeliveryStatus } from '../../../shared/protocol.ts'
import type { ConversationService, Logger } from '../../conversations/service.ts'
import type { Store } from '../../store/types.ts'
import type { WaStatus } from './payload.ts'
import type { WhatsAppRecords } from './records.ts'

export interface StatusDeps {
  store: Store
  service: ConversationService
  records: WhatsAppRecords
  log: Logger
  now: () => Date
  /** A reply's status moved forward (the console's `message:delivery`). */
  deliveryChanged?: (status: DeliveryStatus) => void
}

/** WhatsApp's `timestamp` is Unix seconds as a string; the clock when it is missing or unreadable. */
function timeOf(status: WaStatus, now: () => Date): string {
  const seconds = Number(status.timestamp)
  return status.timestamp && Number.isFinite(seconds)
    ? new Date(seconds * 1000).toISOString()
    : now().toISOString()
}

/** Applies one status callback; true when it changed a reply's status. */
export async function applyStatus(deps: StatusDeps, status: WaStatus): Promise<boolean> {
  const { records, log } = deps
  const [first] = status.errors ?? []
  log.info(
    {
      waMessageId: status.id,
      status: status.status,
      recipient: status.recipient_id,
      ...(status.errors?.length && { errors: status.errors }),
    },
    'whatsapp status',
  )
  // Meta has more statuses than these (e.g. `deleted`); they say nothing about delivery.
  const state = DeliveryStateSchema.safeParse(status.status)
  if (!state.success) return false
  const changed = await records.statusReceived(status.id, {
    status: state.data,
    at: timeOf(status, deps.now),
    ...(state.data === 'failed' && { error: { code: first?.code ?? null, title: first?.title ?? null } }),
  })
  if (!changed) return false
  deps.deliveryChanged?.(changed)
  if (changed.status === 'failed') {
    const conversation = await deps.store.getConversation(changed.conversationId)
    if (conversation)
      await deps.service.internalNote(conversation, `WhatsApp could not deliver the reply: ${changed.error}`)
  }
  return true
}
