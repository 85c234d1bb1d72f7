/**
 * One customer across channels (`#/customer/ID`): who they are (every address and number merged into
 * them), one timeline of their conversations on every channel, and "Merge with…" to fold in another
 * contact who is the same person — with an undo per merged contact. The page asks the relay itself
 * (controller.customer); summaries pushed later (a new message, a status change) are laid over the
 * timeline from the inbox state, so it stays live.
 */
import { useEffect, useState } from 'preact/hooks'
import type { ContactMatch, CustomerIdentity, CustomerProfile } from '../../../../shared/customers.ts'
import type { ConversationSummary } from '../../../../shared/protocol.ts'
import type { Controller } from '../controller.ts'
import { fullTime, initials, relativeTime } from '../format.ts'
import type { MessageKey } from '../i18n.ts'
import { useI18n } from '../views/context.ts'
import './customers.css'

export function customerFromHash(hash: string): string | null {
  const m = /^#\/customer\/([A-Za-z0-9_-]{1,64})$/.exec(hash)
  return m?.[1] ?? null
}

export const customerHash = (contactId: string) => `#/customer/${contactId}`

interface Props {
  contactId: string
  controller: Pick<Controller, 'customer'>
  /** Newer summaries (pushed to the inbox) by conversation id. */
  live: Readonly<Record<string, ConversationSummary>>
  /** Whether the console socket is connected: the page loads (again) once it is. */
  connected: boolean
  now: number
}

export function CustomerPage({ contactId, controller, live, connected, now }: Props) {
  const { t, locale, error: describe } = useI18n()
  const [customer, setCustomer] = useState<CustomerProfile | null>(null)
  const [failure, setFailure] = useState<string | null>(null)
  const [merging, setMerging] = useState(false)
  const [notice, setNotice] = useState<string | null>(null)

  useEffect(() => {
    if (!connected) return
    let stale = false
    void controller.customer('customer:get', { contactId }).then((reply) => {
      if (stale) return
      if (reply.ok) {
        setCustomer(reply.data.customer)
        setFailure(null)
        // A merged contact's address shows its customer's page.
        if (reply.data.customer.id !== contactId)
          history.replaceState(null, '', customerHash(reply.data.customer.id))
      } else setFailure(describe(reply.error))
    })
    return () => {
      stale = true
    }
  }, [contactId, connected, controller, describe])

  if (failure && !customer)
    return (
      <main class="customer-page" id="conversation">
        <p role="alert" class="customer-error">
          {failure}
        </p>
      </main>
    )
  if (!customer)
    return (
      <main class="customer-page muted" id="conversation" aria-busy="true">
        {t('customer.loading')}
      </main>
    )

  const name = customer.name?.trim() || t('contact.visitor')
  const conversations = customer.conversations.map((c) => live[c.id] ?? c)

  async function unmerge(identity: CustomerIdentity): Promise<void> {
    const reply = await controller.customer('customer:unmerge', { contactId: identity.contactId })
    if (reply.ok) {
      setCustomer(reply.data.customer)
      setNotice(t('customer.unmerged', { name: identity.email ?? identity.phone ?? identity.name ?? '' }))
    } else setNotice(describe(reply.error))
  }

  return (
    <main class="customer-page" id="conversation" aria-labelledby="customer-title">
      <header class="customer-head">
        <span class="avatar avatar--large" aria-hidden="true">
          {initials(name)}
        </span>
        <div>
          <h2 id="customer-title" class="customer-name">
            {name}
            {customer.vip && <span class="badge badge--vip">{t('customer.vip')}</span>}
          </h2>
          <p class="muted">{t('customer.since', { date: fullTime(locale, customer.createdAt) })}</p>
        </div>
        <button type="button" class="btn customer-merge-open" onClick={() => setMerging(true)}>
          {t('customer.mergeOpen')}
        </button>
      </header>

      {notice && (
        <p class="customer-notice" role="status">
          {notice}
        </p>
      )}

      <section class="customer-identities" aria-labelledby="identities-title">
        <h3 id="identities-title">{t('customer.identities')}</h3>
        <ul>
          {customer.identities.map((identity) => (
            <Identity
              key={identity.contactId}
              identity={identity}
              own={identity.contactId === customer.id}
              onUnmerge={() => void unmerge(identity)}
            />
          ))}
        </ul>
      </section>

      {merging && (
        <MergePanel
          customer={customer}
          name={name}
          controller={controller}
          onCancel={() => setMerging(false)}
          onMerged={(next, source) => {
            setCustomer(next)
            // The better-known contact stayed primary: its page is the customer's address now.
            if (next.id !== contactId) history.replaceState(null, '', customerHash(next.id))
            setMerging(false)
            setNotice(t('customer.merged', { name: source }))
          }}
        />
      )}

      <section class="customer-timeline" aria-labelledby="timeline-title">
        <h3 id="timeline-title">{t('customer.timeline', { count: conversations.length })}</h3>
        {conversations.length === 0 ? (
          <p class="muted">{t('customer.noConversations')}</p>
        ) : (
          <ol class="timeline">
            {conversations.map((c) => (
              <TimelineItem key={c.id} conversation={c} now={now} />
            ))}
          </ol>
        )}
      </section>
    </main>
  )
}

function Identity({
  identity,
  own,
  onUnmerge,
}: {
  identity: CustomerIdentity
  own: boolean
  onUnmerge(): void
}) {
  const { t, locale } = useI18n()
  return (
    <li class="identity">
      <span class="identity-main">
        {identity.email && (
          <span class="identity-email">
            {identity.email}
            {identity.emailVerified && <span class="badge badge--verified">{t('customer.verified')}</span>}
          </span>
        )}
        {identity.phone && <span class="identity-phone">+{identity.phone}</span>}
        {!identity.email && !identity.phone && (
          <span class="identity-anonymous">{identity.name ?? t('customer.anonymous')}</span>
        )}
        {(identity.email || identity.phone) && identity.name && (
          <span class="muted identity-name">{identity.name}</span>
        )}
        <span class="muted identity-meta">
          {t('customer.firstSeen', { date: fullTime(locale, identity.createdAt) })}
        </span>
      </span>
      {own ? (
        <span class="muted identity-meta">{t('customer.primary')}</span>
      ) : (
        <span class="muted identity-meta">
          {identity.mergedAt &&
            t('customer.mergedBy', {
              name: identity.mergedBy ?? t('customer.someone'),
              date: fullTime(locale, identity.mergedAt),
            })}{' '}
          <button type="button" class="btn btn--ghost identity-unmerge" onClick={onUnmerge}>
            {t('customer.unmerge')}
          </button>
        </span>
      )}
    </li>
  )
}

function TimelineItem({ conversation: c, now }: { conversation: ConversationSummary; now: number }) {
  const { t, locale } = useI18n()
  return (
    <li class={`timeline-item timeline-item--${c.channel}`}>
      <a href={`#/c/${c.id}`} class="timeline-link">
        <span class="timeline-top">
          <span class="timeline-channel">{t(`channel.${c.channel}` as MessageKey)}</span>
          <span class={`status status--${c.status}`}>{t(`status.${c.status}` as MessageKey)}</span>
          {c.assignee && <span class="muted">{c.assignee.name}</span>}
          <time dateTime={c.createdAt} title={fullTime(locale, c.createdAt)}>
            {relativeTime(t, locale, c.createdAt, now)}
          </time>
        </span>
        <span class="timeline-preview">{c.preview || t('details.none')}</span>
      </a>
    </li>
  )
}

function MergePanel({
  customer,
  name,
  controller,
  onCancel,
  onMerged,
}: {
  customer: CustomerProfile
  name: string
  controller: Pick<Controller, 'customer'>
  onCancel(): void
  onMerged(customer: CustomerProfile, source: string): void
}) {
  const { t, error: describe } = useI18n()
  const [query, setQuery] = useState('')
  const [matches, setMatches] = useState<ContactMatch[] | null>(null)
  const [chosen, setChosen] = useState<ContactMatch | null>(null)
  const [busy, setBusy] = useState(false)
  const [failure, setFailure] = useState<string | null>(null)

  useEffect(() => {
    const q = query.trim()
    if (q.length < 2) {
      setMatches(null)
      return
    }
    let stale = false
    // Typing settles before asking: one search per pause, not per key.
    const timer = setTimeout(() => {
      void controller.customer('customer:search', { query: q, excludeId: customer.id }).then((reply) => {
        if (stale) return
        if (reply.ok) setMatches(reply.data.contacts)
        else setFailure(describe(reply.error))
      })
    }, 200)
    return () => {
      stale = true
      clearTimeout(timer)
    }
  }, [query, customer.id, controller, describe])

  const label = (m: ContactMatch) => m.name ?? m.email ?? (m.phone ? `+${m.phone}` : t('customer.anonymous'))

  async function merge(source: ContactMatch): Promise<void> {
    setBusy(true)
    setFailure(null)
    const reply = await controller.customer('customer:merge', { sourceId: source.id, targetId: customer.id })
    setBusy(false)
    if (reply.ok) onMerged(reply.data.customer, label(source))
    else setFailure(describe(reply.error))
  }

  return (
    <section class="merge-panel" aria-labelledby="merge-title">
      <h3 id="merge-title">{t('customer.mergeTitle', { name })}</h3>
      {chosen ? (
        <div class="merge-confirm">
          <p>{t('customer.mergeConfirm', { source: label(chosen), target: name })}</p>
          <div class="merge-actions">
            <button
              type="button"
              class="btn btn--primary merge-do"
              disabled={busy}
              aria-busy={busy}
              onClick={() => void merge(chosen)}
            >
              {t('customer.mergeDo')}
            </button>
            <button type="button" class="btn" onClick={() => setChosen(null)}>
              {t('customer.back')}
            </button>
          </div>
        </div>
      ) : (
        <>
          <label class="merge-search">
            <span>{t('customer.mergeSearch')}</span>
            <input
              type="search"
              value={query}
              placeholder={t('customer.mergePlaceholder')}
              onInput={(e) => setQuery(e.currentTarget.value)}
            />
          </label>
          {matches && matches.length === 0 && <p class="muted">{t('customer.mergeNone')}</p>}
          {matches && matches.length > 0 && (
            <ul class="merge-results">
              {matches.map((m) => (
                <li key={m.id}>
                  <button type="button" class="merge-candidate" onClick={() => setChosen(m)}>
                    <span class="merge-candidate-name">{label(m)}</span>
                    <span class="muted">
                      {[m.email, m.phone ? `+${m.phone}` : null].filter(Boolean).join(' · ')}
                    </span>
                    <span class="muted">{t('customer.conversations', { count: m.conversations })}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          <button type="button" class="btn btn--ghost" onClick={onCancel}>
            {t('customer.cancel')}
          </button>
        </>
      )}
      {failure && (
        <p role="alert" class="customer-error">
          {failure}
        </p>
      )}
    </section>
  )
}
