import { useEffect, useState } from 'preact/hooks'
import type { MessageKey } from '../i18n.ts'
import { CHANNELS, PRIORITIES } from '../inbox.ts'
import { useI18n } from '../views/context.ts'
import type { HelpdeskSettings, SettingsApi } from './api.ts'
import { formatDuration, parseDuration } from './forms.ts'
import { cellKey, configOf, defaultOf, draftOf, type SlaDraft, TARGET_KEYS } from './sla-draft.ts'
import { useRemote } from './use-remote.ts'

interface Draft {
  autoAssign: boolean
  reassign: string
  sla: SlaDraft
}

function toDraft(s: HelpdeskSettings): Draft {
  return {
    autoAssign: s.autoAssign,
    reassign: s.reassignAfterMs ? formatDuration(s.reassignAfterMs) : '',
    sla: draftOf(s.sla ?? {}),
  }
}

/** Settings → SLAs & assignment: auto-assignment, reassign-after, targets per channel and priority. */
export function SlaPage({ api, siteId }: { api: SettingsApi; siteId: string }) {
  const { t, error: describe } = useI18n()
  const remote = useRemote(() => api.helpdesk(siteId), [api, siteId])
  const [draft, setDraft] = useState<Draft | null>(null)
  const [invalid, setInvalid] = useState<Set<string>>(new Set())
  const [message, setMessage] = useState<{ kind: 'alert' | 'status'; text: string } | null>(null)
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    if (remote.data) setDraft(toDraft(remote.data))
  }, [remote.data])

  if (remote.error)
    return (
      <section class="settings-section">
        <h1>{t('settings.sla.title')}</h1>
        <p role="alert" class="form-error">
          {describe(remote.error)}
        </p>
      </section>
    )
  if (!draft || !remote.data) return <p class="muted">{t('kb.loading')}</p>
  const policy = remote.data.policy

  const setCell = (key: string, value: string) =>
    setDraft({ ...draft, sla: { ...draft.sla, targets: { ...draft.sla.targets, [key]: value } } })

  const save = async () => {
    const { config, invalid: bad } = configOf(draft.sla)
    const reassign = parseDuration(draft.reassign)
    if (reassign === undefined || (reassign !== null && reassign < 10_000)) bad.push('reassign')
    setInvalid(new Set(bad))
    if (!config || bad.length > 0) {
      setMessage({ kind: 'alert', text: t('settings.sla.invalid') })
      return
    }
    setBusy(true)
    const reply = await api.saveHelpdesk(siteId, {
      autoAssign: draft.autoAssign,
      reassignAfterMs: reassign ?? null,
      sla: config,
    })
    setBusy(false)
    if (reply.ok) {
      remote.set(reply.data)
      setMessage({ kind: 'status', text: t('settings.saved') })
    } else setMessage({ kind: 'alert', text: describe(reply.error) })
  }

  return (
    <section class="settings-section" aria-labelledby="sla-title">
      <header class="settings-head">
        <div>
          <h1 id="sla-title">{t('settings.sla.title')}</h1>
          <p class="muted">{t('settings.sla.intro')}</p>
        </div>
      </header>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault()
          void save()
        }}
      >
        <fieldset class="card">
          <legend>{t('settings.routing.title')}</legend>
          <label class="check">
            <input
              type="checkbox"
              checked={draft.autoAssign}
              onChange={(e) => setDraft({ ...draft, autoAssign: e.currentTarget.checked })}
            />
            <span>
              {t('settings.routing.autoAssign')}
              <small class="muted block">{t('settings.routing.autoAssignHint')}</small>
            </span>
          </label>
          <div class={invalid.has('reassign') ? 'field field--invalid' : 'field'}>
            <label for="reassign-after">{t('settings.routing.reassign')}</label>
            <input
              id="reassign-after"
              class="input--short"
              value={draft.reassign}
              placeholder={t('settings.routing.never')}
              aria-invalid={invalid.has('reassign') || undefined}
              aria-describedby="reassign-hint"
              onInput={(e) => setDraft({ ...draft, reassign: e.currentTarget.value })}
            />
            <small id="reassign-hint" class={invalid.has('reassign') ? 'field-error' : 'muted'}>
              {t('settings.routing.reassignHint')}
            </small>
          </div>
        </fieldset>

        <fieldset class="card">
          <legend>{t('settings.sla.targets')}</legend>
          <p class="muted">{t('settings.sla.targetsHint')}</p>
          <div class={invalid.has('nearBreach') ? 'field field--invalid' : 'field'}>
            <label for="near-breach">{t('settings.sla.nearBreach')}</label>
            <input
              id="near-breach"
              class="input--short"
              inputMode="numeric"
              value={draft.sla.nearBreach}
              placeholder={policy ? String(Math.round(policy.nearBreachRatio * 100)) : '20'}
              aria-invalid={invalid.has('nearBreach') || undefined}
              onInput={(e) =>
                setDraft({ ...draft, sla: { ...draft.sla, nearBreach: e.currentTarget.value } })
              }
            />
          </div>
          <div class="table-wrap">
            <table class="settings-table sla-table">
              <thead>
                <tr>
                  <th scope="col">{t('settings.sla.priority')}</th>
                  <th scope="col">{t('settings.sla.firstResponse')}</th>
                  <th scope="col">{t('settings.sla.resolution')}</th>
                </tr>
              </thead>
              {CHANNELS.map((ch) => (
                <tbody key={ch}>
                  <tr class="sla-channel">
                    <th scope="rowgroup" colSpan={2}>
                      {t(`settings.channel.${ch}` as MessageKey)}
                    </th>
                    <td>
                      <label class="check check--inline">
                        <input
                          type="checkbox"
                          checked={draft.sla.businessHours[ch]}
                          onChange={(e) =>
                            setDraft({
                              ...draft,
                              sla: {
                                ...draft.sla,
                                businessHours: { ...draft.sla.businessHours, [ch]: e.currentTarget.checked },
                              },
                            })
                          }
                        />
                        <span>{t('settings.sla.businessHours')}</span>
                      </label>
                    </td>
                  </tr>
                  {PRIORITIES.map((p) => (
                    <tr key={p}>
                      <th scope="row">
                        <span class={`priority priority--${p}`}>{t(`priority.${p}` as MessageKey)}</span>
                      </th>
                      {TARGET_KEYS.map((k) => {
                        const key = cellKey(ch, p, k)
                        return (
                          <td key={k}>
                            <input
                              class={invalid.has(key) ? 'input--short input--invalid' : 'input--short'}
                              aria-label={t('settings.sla.cell', {
                                channel: t(`settings.channel.${ch}` as MessageKey),
                                priority: t(`priority.${p}` as MessageKey),
                                target: t(
                                  k === 'firstResponseMs'
                                    ? 'settings.sla.firstResponse'
                                    : 'settings.sla.resolution',
                                ),
                              })}
                              aria-invalid={invalid.has(key) || undefined}
                              value={draft.sla.targets[key] ?? ''}
                              placeholder={defaultOf(policy, ch, p, k)}
                              onInput={(e) => setCell(key, e.currentTarget.value)}
                            />
                          </td>
                        )
                      })}
                    </tr>
                  ))}
                </tbody>
              ))}
            </table>
          </div>
        </fieldset>
        <div class="settings-foot">
          {message && (
            <p role={message.kind} class={message.kind === 'alert' ? 'form-error' : 'form-ok'}>
              {message.text}
            </p>
          )}
          <button type="submit" class="btn btn--primary" disabled={busy} aria-busy={busy}>
            {t('settings.sla.save')}
          </button>
        </div>
      </form>
    </section>
  )
}
