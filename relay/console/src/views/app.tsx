import { useEffect, useState } from 'preact/hooks'
import type { Controller } from '../controller.ts'
import { countQueued, selectTab } from '../inbox.ts'
import { useHash } from '../kb/nav.tsx'
import { KbPages, kbPageFromHash } from '../kb/pages.tsx'
import { PolicyPage } from '../policy/policy-page.tsx'
import { policyRouteFromHash } from '../policy/route.ts'
import type { ConsoleState, Store } from '../store.ts'
import { ConnectionBanner } from './connection-banner.tsx'
import { useI18n, useNow } from './context.ts'
import { ConversationView } from './conversation.tsx'
import { Inbox } from './inbox.tsx'
import { SignIn } from './sign-in.tsx'
import { TopBar } from './top-bar.tsx'

function useStoreState(store: Store): ConsoleState {
  const [state, setState] = useState(store.getState)
  useEffect(() => {
    setState(store.getState())
    return store.subscribe(setState)
  }, [store])
  return state
}

/** The container: reads the store, hands plain props to the views, routes intents to the controller. */
export function App({ store, controller }: { store: Store; controller: Controller }) {
  const state = useStoreState(store)
  const { t } = useI18n()
  const now = useNow()
  const { auth, inbox, current, connection } = state
  const queued = countQueued(inbox.byId)
  const kbPage = kbPageFromHash(useHash())
  const policyRoute = policyRouteFromHash(useHash())

  useEffect(() => {
    document.title =
      auth.status === 'signed_in' && queued > 0 ? t('app.titleQueued', { count: queued }) : t('app.title')
  }, [auth.status, queued, t])

  if (auth.status === 'checking') {
    return (
      <main class="splash" aria-busy="true">
        <p>{t('app.loading')}</p>
      </main>
    )
  }

  if (auth.status !== 'signed_in' || !auth.agent) {
    return (
      <SignIn
        busy={auth.status === 'signing_in'}
        error={auth.error}
        errorSource={auth.errorSource}
        onSubmit={(email, password) => void controller.signIn(email, password)}
      />
    )
  }

  const agent = auth.agent
  const summary = current ? (inbox.byId[current.id] ?? null) : null

  if (kbPage) {
    return (
      <div class="shell">
        <TopBar agent={agent} onSignOut={() => void controller.signOut()} />
        <ConnectionBanner connection={connection} />
        <KbPages page={kbPage} agent={agent} />
      </div>
    )
  }

  if (policyRoute) {
    return (
      <div class="shell">
        <TopBar agent={agent} onSignOut={() => void controller.signOut()} />
        <ConnectionBanner connection={connection} />
        <PolicyPage route={policyRoute} agent={agent} />
      </div>
    )
  }

  return (
    <div class={current ? 'shell shell--open' : 'shell'}>
      <TopBar agent={agent} onSignOut={() => void controller.signOut()} />
      <ConnectionBanner connection={connection} />
      <div class="workspace">
        <Inbox
          tab={inbox.tab}
          conversations={selectTab(inbox.byId, inbox.tab, agent.id)}
          queuedCount={queued}
          loading={inbox.loading}
          loaded={inbox.loaded}
          error={inbox.error}
          selectedId={current?.id ?? null}
          agentId={agent.id}
          now={now}
          onTab={(tab) => void controller.selectTab(tab)}
        />
        <main class="pane" id="conversation">
          {current ? (
            <ConversationView
              key={current.id}
              current={current}
              summary={summary}
              agent={agent}
              now={now}
              onClaim={() => void controller.claim()}
              onResolve={() => void controller.resolve()}
              onSend={(text) => void controller.send(text)}
              onRetry={(clientId) => void controller.retry(clientId)}
              onDismiss={() => controller.dismissNotice()}
              onDecide={(actionId, approve, note) => void controller.decide(actionId, approve, note)}
            />
          ) : (
            <div class="empty-pane">
              <p class="empty-title">{t('conversation.none')}</p>
              <p class="muted">{t('conversation.noneHint')}</p>
            </div>
          )}
        </main>
      </div>
    </div>
  )
}
