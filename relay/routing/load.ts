/**
 * Each agent's load: the open conversations assigned to them. Read from the store once at start,
 * then kept up to date from every stored transition (`track`), so routing never scans the store.
 */
import type { Conversation, Store } from '../store/types.ts'

/** More assigned conversations than any one relay holds. */
const SCAN_LIMIT = 100_000

export class AssignmentLoad {
  /** Conversation id → assignee id, for conversations in status `assigned`. */
  readonly #assignee = new Map<string, string>()
  readonly #byAgent = new Map<string, Set<string>>()

  /** Reads the assigned conversations of every site. */
  async init(store: Store): Promise<void> {
    const siteIds = (await store.listSites()).map((s) => s.id)
    if (siteIds.length === 0) return
    const assigned = await store.listConversations({ siteIds, statuses: ['assigned'], limit: SCAN_LIMIT })
    for (const conversation of assigned) this.track(conversation)
  }

  /**
   * Reads the assignments again (other nodes assign too); returns the agents whose load changed.
   * The sets are rebuilt from the store's answer, so a conversation this node missed counts now.
   */
  async refresh(store: Store): Promise<string[]> {
    const before = new Map([...this.#byAgent].map(([id, set]) => [id, set.size]))
    this.#assignee.clear()
    this.#byAgent.clear()
    await this.init(store)
    const ids = new Set([...before.keys(), ...this.#byAgent.keys()])
    return [...ids].filter((id) => (before.get(id) ?? 0) !== this.load(id))
  }

  /** Records a conversation's current state; returns the agents whose load changed. */
  track(conversation: Pick<Conversation, 'id' | 'status' | 'assigneeId'>): string[] {
    const before = this.#assignee.get(conversation.id) ?? null
    const after = conversation.status === 'assigned' ? conversation.assigneeId : null
    if (before === after) return []
    if (before !== null) {
      this.#byAgent.get(before)?.delete(conversation.id)
      this.#assignee.delete(conversation.id)
    }
    if (after !== null) {
      this.#assignee.set(conversation.id, after)
      let set = this.#byAgent.get(after)
      if (!set) {
        set = new Set()
        this.#byAgent.set(after, set)
      }
      set.add(conversation.id)
    }
    return [before, after].filter((id): id is string => id !== null)
  }

  load(agentId: string): number {
    return this.#byAgent.get(agentId)?.size ?? 0
  }

  /** Ids of the conversations assigned to the agent now. */
  assignedTo(agentId: string): string[] {
    return [...(this.#byAgent.get(agentId) ?? [])]
  }

  /** Every assigned conversation id with its assignee. */
  entries(): [conversationId: string, agentId: string][] {
    return [...this.#assignee.entries()]
  }
}
