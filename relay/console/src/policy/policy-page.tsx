/**
 * Settings → Policy: per action the bot's mode (execute / suggest / never) and limits. "Preview
 * changes" replays the draft against every past request and shows what would change; "Save policy"
 * is offered once the current draft has been previewed. Admins edit; agents read.
 */
import { useEffect, useMemo, useState } from 'preact/hooks'
import type { AgentProfile } from '../../../../shared/protocol.ts'
import { fullTime } from '../format.ts'
import type { MessageKey } from '../i18n.ts'
import { useI18n } from '../views/context.ts'
import { createPolicyApi, type PolicyApi } from './api.ts'
import { LIMITS, ORDER_STATUSES, parseLimit, samePolicy, toggleStatus, withMode, withRule } from './draft.ts'
import { type PolicyRoute, policyHash } from './route.ts'
import {
  ACTION_MODES_UI,
  ACTION_TYPES,
  type ActionMode,
  type ActionType,
  type Policy,
  type ReplayResult,
} from './types.ts'
import '../views/actions.css'
import { SitePicker, siteOf, useSites } from '../sites.tsx'

interface Props {
  route: PolicyRoute
  agent: AgentProfile
  api?: PolicyApi
}

export function PolicyPage({ route, agent, api: given }: Props) {
  const { t } = useI18n()
  const api = useMemo(() => given ?? createPolicyApi(), [given])
  const { sites, failure } = useSites(api.sites)

  if (failure)
    return (
      <p role="alert" class="policy-page">
        {failure}
      </p>
    )
  if (!sites) return <p class="policy-page muted">{t('policy.loading')}</p>
  if (sites.length === 0) return <p class="policy-page muted">{t('kb.noSites')}</p>
  const siteId = siteOf(sites, route.site)
  return (
    <main class="policy-page" id="conversation">
      <SitePicker sites={sites} siteId={siteId} onPick={(site) => (location.hash = policyHash(site))} />
      <PolicyEditor key={siteId} api={api} siteId={siteId} editable={agent.role === 'admin'} />
    </main>
  )
}

function PolicyEditor({ api, siteId, editable }: { api: PolicyApi; siteId: string; editable: boolean }) {
  const { t, error: describe } = useI18n()
  const [saved, setSaved] = useState<Policy | null>(null)
  const [draft, setDraft] = useState<Policy | null>(null)
  const [preview, setPreview] = useState<{ of: Policy; result: ReplayResult } | null>(null)
  const [busy, setBusy] = useState<'preview' | 'save' | null>(null)
  const [message, setMessage] = useState<{ kind: 'alert' | 'status'; text: string } | null>(null)
  const [invalid, setInvalid] = useState<Set<string>>(new Set())

  useEffect(() => {
    void api.get(siteId).then((reply) => {
      if (reply.ok) {
        setSaved(reply.data.policy)
        setDraft(reply.data.policy)
      } else setMessage({ kind: 'alert', text: describe(reply.error) })
    })
  }, [api, siteId, describe])

  if (!draft || !saved)
    return message ? <p role="alert">{message.text}</p> : <p class="muted">{t('policy.loading')}</p>

  const change = (next: Policy): void => {
    setDraft(next)
    setMessage(null)
  }
  const limitInput = (type: ActionType, key: 'maxAmount' | 'withinDaysOfDelivery', text: string): void => {
    const value = parseLimit(text, key === 'withinDaysOfDelivery')
    const field = `${type}.${key}`
    const bad = new Set(invalid)
    if (value === null) bad.add(field)
    else bad.delete(field)
    setInvalid(bad)
    if (value !== null) change(withRule(draft, type, { [key]: value }))
  }
  const dirty = !samePolicy(draft, saved)
  const previewed = preview !== null && samePolicy(preview.of, draft)

  async function runPreview(): Promise<void> {
    if (!draft) return
    setBusy('preview')
    setMessage(null)
    const reply = await api.replay(siteId, draft)
    setBusy(null)
    if (reply.ok) setPreview({ of: draft, result: reply.data })
    else setMessage({ kind: 'alert', text: describe(reply.error) })
  }

  async function save(): Promise<void> {
    if (!draft) return
    setBusy('save')
    const reply = await api.save(siteId, draft)
    setBusy(null)
    if (reply.ok) {
      setSaved(reply.data.policy)
      setDraft(reply.data.policy)
      setPreview(null)
      setMessage({ kind: 'status', text: t('policy.saved') })
    } else setMessage({ kind: 'alert', text: describe(reply.error) })
  }

  return (
    <section aria-labelledby="policy-title">
      <h2 id="policy-title">{t('policy.title')}</h2>
      <p class="muted">{t('policy.intro')}</p>
      {!editable && <p class="muted">{t('policy.readOnly')}</p>}
      <table class="policy-rules">
        <thead>
          <tr>
            <th scope="col">{t('policy.action')}</th>
            <th scope="col">{t('policy.mode')}</th>
            <th scope="col">{t('policy.limits')}</th>
          </tr>
        </thead>
        <tbody>
          {ACTION_TYPES.map((type) => {
            const rule = draft.actions[type]
            const label = t(`action.type.${type}` as MessageKey)
            return (
              <tr key={type} class="policy-rule" data-action={type}>
                <th scope="row">{label}</th>
                <td>
                  <select
                    aria-label={t('policy.modeFor', { action: label })}
                    value={rule.mode}
                    disabled={!editable}
                    onChange={(e) => change(withMode(draft, type, e.currentTarget.value as ActionMode))}
                  >
                    {ACTION_MODES_UI.map((m) => (
                      <option key={m} value={m}>
                        {t(`policy.mode.${m}` as MessageKey)}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <div class="policy-limits">
                    {LIMITS[type].includes('maxAmount') && (
                      <label>
                        {t('policy.maxAmount')}{' '}
                        <input
                          type="number"
                          min="0"
                          step="0.01"
                          disabled={!editable}
                          aria-invalid={invalid.has(`${type}.maxAmount`)}
                          value={rule.maxAmount ?? ''}
                          placeholder={t('policy.noLimit')}
                          onInput={(e) => limitInput(type, 'maxAmount', e.currentTarget.value)}
                        />
                      </label>
                    )}
                    {LIMITS[type].includes('withinDaysOfDelivery') && (
                      <label>
                        {t('policy.withinDays')}{' '}
                        <input
                          type="number"
                          min="1"
                          step="1"
                          disabled={!editable}
                          aria-invalid={invalid.has(`${type}.withinDaysOfDelivery`)}
                          value={rule.withinDaysOfDelivery ?? ''}
                          placeholder={t('policy.noLimit')}
                          onInput={(e) => limitInput(type, 'withinDaysOfDelivery', e.currentTarget.value)}
                        />
                      </label>
                    )}
                    {LIMITS[type].includes('allowedStatuses') && (
                      <fieldset class="policy-statuses">
                        <legend>{t('policy.statuses')}</legend>
                        {ORDER_STATUSES.map((status) => (
                          <label key={status}>
                            <input
                              type="checkbox"
                              disabled={!editable}
                              checked={rule.allowedStatuses?.includes(status) ?? false}
                              onChange={(e) =>
                                change(
                                  withRule(draft, type, {
                                    allowedStatuses: toggleStatus(rule, status, e.currentTarget.checked),
                                  }),
                                )
                              }
                            />{' '}
                            {t(`order.status.${status}` as MessageKey)}
                          </label>
                        ))}
                      </fieldset>
                    )}
                    <label>
                      <input
                        type="checkbox"
                        disabled={!editable}
                        checked={rule.requireOwnership ?? true}
                        onChange={(e) =>
                          change(withRule(draft, type, { requireOwnership: e.currentTarget.checked }))
                        }
                      />{' '}
                      {t('policy.ownership')}
                    </label>
                  </div>
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
      {editable && (
        <div class="policy-bar">
          <button
            type="button"
            class="btn"
            disabled={busy !== null || invalid.size > 0}
            aria-busy={busy === 'preview'}
            onClick={() => void runPreview()}
          >
            {t('policy.preview')}
          </button>
          <button
            type="button"
            class="btn btn--primary"
            disabled={busy !== null || !dirty || !previewed || invalid.size > 0}
            aria-busy={busy === 'save'}
            onClick={() => void save()}
          >
            {t('policy.save')}
          </button>
          {dirty && !previewed && <span class="muted">{t('policy.previewFirst')}</span>}
          {message && (
            <span role={message.kind} class={message.kind === 'alert' ? 'kb-error' : 'muted'}>
              {message.text}
            </span>
          )}
        </div>
      )}
      {preview && <ReplayView result={preview.result} stale={!previewed} />}
    </section>
  )
}

function ReplayView({ result, stale }: { result: ReplayResult; stale: boolean }) {
  const { t, locale } = useI18n()
  const changed = result.items.filter((i) => i.changed)
  return (
    <section class="replay" aria-labelledby="replay-title" aria-live="polite">
      <h3 id="replay-title">{t('replay.title')}</h3>
      {stale && <p class="muted">{t('replay.stale')}</p>}
      <ul class="replay-summary">
        <li data-testid="replay-executed">
          <strong>{result.summary.newlyExecuted}</strong>
          {t('replay.newlyExecuted')}
        </li>
        <li data-testid="replay-suggested">
          <strong>{result.summary.newlySuggested}</strong>
          {t('replay.newlySuggested')}
        </li>
        <li data-testid="replay-refused">
          <strong>{result.summary.newlyRefused}</strong>
          {t('replay.newlyRefused')}
        </li>
        <li>
          <strong>{result.total - result.changed}</strong>
          {t('replay.unchanged', { total: result.total })}
        </li>
      </ul>
      {result.truncated && <p class="muted">{t('replay.truncated')}</p>}
      {changed.length === 0 ? (
        <p class="muted">{result.total === 0 ? t('replay.none') : t('replay.noChange')}</p>
      ) : (
        <table class="replay-table">
          <thead>
            <tr>
              <th scope="col">{t('replay.when')}</th>
              <th scope="col">{t('policy.action')}</th>
              <th scope="col">{t('replay.inputs')}</th>
              <th scope="col">{t('replay.before')}</th>
              <th scope="col">{t('replay.after')}</th>
            </tr>
          </thead>
          <tbody>
            {changed.map((i) => (
              <tr key={i.eventId}>
                <td>
                  <a href={`#/c/${i.conversationId}`}>{fullTime(locale, i.at)}</a>
                </td>
                <td>{t(`action.type.${i.type}` as MessageKey)}</td>
                <td>
                  {[i.input.orderNumber, i.input.amount]
                    .filter((v) => v !== undefined)
                    .map(String)
                    .join(' · ')}
                </td>
                <td>
                  <span class={`decision--${i.before.decision}`}>
                    {t(`policy.mode.${i.before.decision}` as MessageKey)}
                  </span>
                </td>
                <td>
                  <span class={`decision--${i.after.decision}`}>
                    {t(`policy.mode.${i.after.decision}` as MessageKey)}
                  </span>
                  <div class="muted">{i.after.reason}</div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
