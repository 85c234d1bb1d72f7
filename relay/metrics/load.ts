/**
 * Reads what a report needs from the store: every conversation of the site changed since `from`
 * (anything a period counts bumps `updatedAt`: creation, handoff, reply, resolution), with its
 * events and messages. One read per conversation: a report costs the period's conversations, not
 * the site's whole history.
 */
import type { Store } from '../store/types.ts'
import type { ConversationRecord } from './facts.ts'

/** More conversations than any site changes in a reporting period. */
const SCAN_LIMIT = 100_000
/** Conversations read at once. */
const BATCH = 50

export async function loadRecords(store: Store, siteId: string, from: Date): Promise<ConversationRecord[]> {
  const since = from.getTime()
  const changed = (await store.listConversations({ siteIds: [siteId], limit: SCAN_LIMIT })).filter(
    (c) => Date.parse(c.updatedAt) >= since,
  )
  const records: ConversationRecord[] = []
  for (let i = 0; i < changed.length; i += BATCH) {
    const batch = changed.slice(i, i + BATCH)
    records.push(
      ...(await Promise.all(
        batch.map(async (conversation) => {
          const [events, messages] = await Promise.all([
            store.listEvents(conversation.id),
            store.listMessages(conversation.id),
          ])
          return { conversation, events, messages }
        }),
      )),
    )
  }
  return records
}
