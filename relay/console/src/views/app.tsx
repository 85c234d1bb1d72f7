import { useCallback, useEffect, useMemo, useState } from 'preact/hooks'
import type { Controller } from '../controller.ts'
import { CustomerPage, customerFromHash } from '../customers/customer-page.tsx'
import type { Notifier } from '../helpdesk/notifier.ts'
import { countQueued, countViews, knownTags, selectView } from '../inbox.ts'
import { useHash } from '../kb/nav.tsx'
import { KbPages, kbPageFromHash } from '../kb/pages.tsx'
import { PolicyPage } from '../policy/policy-page.tsx'
import { policyRouteFromHash } from '../policy/route.ts'
import { reportsRouteFromHash } from '../reports/route.ts'
import { settingsRouteFromHash } from '../settings/route.ts'
import type { ConsoleState, Store } from '../store.ts'
import type { ComposerCommand } from './composer.tsx'
import { ConnectionBanner } from './connection-banner.tsx'
import { useI18n, useNow } from './context.ts'
import { type ConversationContext, ConversationView } from './conversation.tsx'
import { Inbox } from './inbox.tsx'
import { ShortcutsDialog } from './shortcuts-dialog.tsx'
import { SignIn } from './sign-in.tsx'
import { TopBar } from './top-bar.tsx'
import { useShortcuts } from './use-shortcuts.ts'

type SettingsPagesView = typeof import('../settings/settings-pages.tsx').SettingsPages

/** The settings pages are for admins only: loaded (a separate chunk) the first time they are shown. */
function useSettingsPages(wanted: boolean): SettingsPagesView | null {
  const [view, setView] = useState<SettingsPagesView | null>(null)
  useEffect(() => {
    if (!wanted || view) return
    void import('../settings/settings-pages.tsx').then((m) => setView(() => m.SettingsPages))
  }, [wanted, view])
  return view
}

type ReportsPageView = typeof import('../reports/reports-page.tsx').ReportsPage

/** The reports page (and its chart) is a separate chunk too, loaded the first time it is shown. */
function useReportsPage(wanted: boolean): ReportsPageView | null {
  const [view, setView] = useState<ReportsPageView | null>(null)
  useEffect(() => {
    if (!wanted || view) return
    void import('../reports/reports-page.tsx').then((m) => setView(() => m.ReportsPage))
  }, [wanted, view])
  return view
}

function useStoreState(store: Store): ConsoleState {
  const [state, setState] = useState(store.getState)
  useEffect(() => {
    setState(store.getState())
    return store.subscribe(setState)
  }, [store])
  return state
}

interface Props {
  store: Store
  controller: Controller
  /** Desktop notifications and sound; absent in tests. */
  notifier?: Notifier
}

/** The container: reads the store, hands plain props to the views, routes intents to the controller. */
export function App({ store, controller, notifier }: Props) {
  const state = useStoreState(store)
  const { t } = useI18n()
  // SLA time left is shown to the second in its last minute: refresh often enough to stay right.
  const now = useNow(5_000)
  const { auth, inbox, current, connection, helpdesk } = state
  const hash = useHash()
  const kbPage = kbPageFromHash(hash)
  const policyRoute = policyRouteFromHash(hash)
  const settingsRoute = settingsRouteFromHash(hash)
  const customerRoute = customerFromHash(hash)
  const reportsRoute = reportsRouteFromHash(hash)
  const ReportsPage = useReportsPage(reportsRoute !== null && auth.status === 'signed_in')
  const SettingsPages = useSettingsPages(settingsRoute !== null && auth.status === 'signed_in')
  const agentId = auth.agent?.id ?? null
  const queued = countQueued(inbox.byId)
  const [shortcutsOpen, setShortcutsOpen] = useState(false)
  const [command, setCommand] = useState<ComposerCommand | null>(null)

  const conversations = useMemo(() => selectView(inbox, inbox.view, inbox.filters, agentId), [inbox, agentId])
  const summary = current ? (inbox.byId[current.id] ?? null) : null
  const workspace =
    auth.status === 'signed_in' &&
    !kbPage &&
    !policyRoute &&
    !settingsRoute &&
    !customerRoute &&
    !reportsRoute

  useEffect(() => {
    document.title =
      auth.status === 'signed_in' && queued > 0 ? t('app.titleQueued', { count: queued }) : t('app.title')
  }, [auth.status, queued, t])

  const compose = useCallback((kind: ComposerCommand['kind']) => {
    setCommand((c) => ({ kind, n: (c?.n ?? 0) + 1 }))
  }, [])

  useShortcuts({
    enabled: auth.status === 'signed_in',
    workspace,
    dialogOpen: shortcutsOpen,
    ids: conversations.map((c) => c.id),
    currentId: current?.id ?? null,
    canTakeOver: summary !== null && !(summary.status === 'assigned' && summary.assignee?.id === agentId),
    canResolve: summary !== null && summary.status !== 'resolved',
    onOpen: (id) => {
      location.hash = `#/c/${id}`
    },
    onTakeOver: () => void controller.claim(),
    onResolve: () => void controller.resolve(),
    onCompose: compose,
    onHelp: () => setShortcutsOpen(true),
  })

  const onExpireTyping = useCallback(() => controller.expireTyping(), [controller])

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
  const topBar = (
    <TopBar
      agent={agent}
      onSignOut={() => void controller.signOut()}
      status={helpdesk.status}
      onStatus={(s) => void controller.setStatus(s)}
      alerts={helpdesk.alerts}
      onAlerts={() => {
        const on = !helpdesk.alerts
        controller.setAlerts(on)
        // Permission is asked for here, on the agent's click, never on load.
        if (on) void notifier?.enable()
      }}
      onShortcuts={() => setShortcutsOpen(true)}
    />
  )
  const dialog = shortcutsOpen && <ShortcutsDialog onClose={() => setShortcutsOpen(false)} />

  const page = customerRoute ? (
    <CustomerPage
      contactId={customerRoute}
      controller={controller}
      live={inbox.byId}
      connected={connection.status === 'connected'}
      now={now}
    />
  ) : kbPage ? (
    <KbPages page={kbPage} agent={agent} />
  ) : policyRoute ? (
    <PolicyPage route={policyRoute} agent={agent} />
  ) : reportsRoute ? (
    ReportsPage ? (
      <ReportsPage route={reportsRoute} />
    ) : (
      <main class="reports-page muted" aria-busy="true">
        {t('kb.loading')}
      </main>
    )
  ) : settingsRoute ? (
    SettingsPages ? (
      <SettingsPages route={settingsRoute} agent={agent} />
    ) : (
      <main class="settings muted" aria-busy="true">
        {t('kb.loading')}
      </main>
    )
  ) : null
  if (page) {
    return (
      <div class="shell">
        {topBar}
        <ConnectionBanner connection={connection} />
        {page}
        {dialog}
      </div>
    )
  }

  const context: ConversationContext = {
    agents: helpdesk.agents,
    teams: helpdesk.teams,
    macros: helpdesk.macros,
    macrosLoaded: helpdesk.macrosLoaded,
    viewers: current ? (helpdesk.viewers[current.id] ?? []) : [],
    typing: current ? (helpdesk.typing[current.id] ?? []) : [],
    knownTags: knownTags(inbox.byId),
  }

  return (
    <div class={current ? 'shell shell--open' : 'shell'}>
      {topBar}
      <ConnectionBanner connection={connection} />
      <div class="workspace">
        <Inbox
          view={inbox.view}
          filters={inbox.filters}
          conversations={conversations}
          counts={inbox.counts ?? countViews(inbox.byId, agentId)}
          tags={context.knownTags}
          teams={helpdesk.teams}
          loading={inbox.loading}
          loaded={inbox.loaded}
          error={inbox.error}
          selectedId={current?.id ?? null}
          agentId={agentId}
          now={now}
          onView={(view) => void controller.selectView(view)}
          onFilters={(filters) => void controller.setFilters(filters)}
        />
        <main class="pane" id="conversation">
          {current ? (
            <ConversationView
              key={current.id}
              current={current}
              summary={summary}
              agent={agent}
              context={context}
              composerCommand={command}
              now={now}
              onClaim={() => void controller.claim()}
              onResolve={() => void controller.resolve()}
              onRateEffort={(score) => void controller.rateEffort(score)}
              onSend={(text, internal, actions) => void controller.send(text, { internal, actions })}
              onRetry={(clientId) => void controller.retry(clientId)}
              onDismiss={() => controller.dismissNotice()}
              onDecide={(actionId, approve, note) => void controller.decide(actionId, approve, note)}
              onAssign={(target) => controller.assign(target)}
              onUnassign={() => void controller.unassign()}
              onUpdate={(patch) => void controller.update(patch)}
              onTyping={(internal) => controller.typing(internal)}
              onExpireTyping={onExpireTyping}
            />
          ) : (
            <div class="empty-pane">
              <p class="empty-title">{t('conversation.none')}</p>
              <p class="muted">{t('conversation.noneHint')}</p>
              <p class="muted empty-keys">{t('conversation.noneKeys')}</p>
            </div>
          )}
        </main>
      </div>
      {dialog}
    </div>
  )
}
