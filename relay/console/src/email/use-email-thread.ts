import { useEffect, useState } from 'preact/hooks'
import type { EmailOriginal } from '../../../../shared/email.ts'
import { emailThread } from './api.ts'

/**
 * The originals of a conversation's emails by stored message id, for conversations that have any:
 * email ones, and web chats whose shopper left an address (agents' replies then went by email).
 * Asked again when a message arrives (`lastSeq`), so a new mail's attachments show at once.
 */
export function useEmailThread(
  conversationId: string,
  wanted: boolean,
  lastSeq: number,
): Readonly<Record<string, EmailOriginal>> {
  const [byMessage, setByMessage] = useState<Record<string, EmailOriginal>>({})
  useEffect(() => {
    if (!wanted) return
    let stale = false
    void emailThread(conversationId).then((reply) => {
      if (!stale && reply.ok) setByMessage(reply.data.messages)
    })
    return () => {
      stale = true
    }
  }, [conversationId, wanted, lastSeq])
  return byMessage
}
