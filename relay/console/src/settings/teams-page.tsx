import { useEffect, useState } from 'preact/hooks'
import type { Team } from '../../../../shared/helpdesk.ts'
import { useI18n } from '../views/context.ts'
import type { SettingsApi } from './api.ts'
import { slugify } from './forms.ts'
import { useRemote } from './use-remote.ts'

/** Settings → Teams: a site's teams (agents join one; conversations can go to a team's queue). */
export function TeamsPage({ api, siteId }: { api: SettingsApi; siteId: string }) {
  const { t, error: describe } = useI18n()
  const remote = useRemote(() => api.teams(siteId), [api, siteId])
  const [draft, setDraft] = useState<Team[] | null>(null)
  const [newName, setNewName] = useState('')
  const [message, setMessage] = useState<{ kind: 'alert' | 'status'; text: string } | null>(null)
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    if (remote.data) setDraft(remote.data)
  }, [remote.data])

  const teams = draft ?? []
  const dirty = JSON.stringify(teams) !== JSON.stringify(remote.data ?? [])
  const add = () => {
    const name = newName.trim()
    if (!name) return
    setDraft([
      ...teams,
      {
        id: slugify(
          name,
          teams.map((x) => x.id),
        ),
        name,
      },
    ])
    setNewName('')
  }
  const save = async () => {
    if (teams.some((x) => x.name.trim() === '')) {
      setMessage({ kind: 'alert', text: t('settings.teams.emptyName') })
      return
    }
    setBusy(true)
    const reply = await api.saveTeams(
      siteId,
      teams.map((x) => ({ id: x.id, name: x.name.trim() })),
    )
    setBusy(false)
    if (reply.ok) {
      remote.set(reply.data)
      setMessage({ kind: 'status', text: t('settings.saved') })
    } else setMessage({ kind: 'alert', text: describe(reply.error) })
  }

  return (
    <section class="settings-section" aria-labelledby="teams-title">
      <header class="settings-head">
        <div>
          <h1 id="teams-title">{t('settings.teams.title')}</h1>
          <p class="muted">{t('settings.teams.intro')}</p>
        </div>
      </header>
      {remote.error && (
        <p role="alert" class="form-error">
          {describe(remote.error)}
        </p>
      )}
      {draft === null ? (
        !remote.error && <p class="muted">{t('kb.loading')}</p>
      ) : (
        <div class="card">
          {teams.length === 0 ? (
            <p class="muted">{t('settings.teams.none')}</p>
          ) : (
            <ul class="team-list">
              {teams.map((team, i) => (
                <li key={team.id} class="team-row">
                  <input
                    aria-label={t('settings.teams.nameOf', { id: team.id })}
                    value={team.name}
                    maxLength={80}
                    onInput={(e) =>
                      setDraft(teams.map((x, j) => (j === i ? { ...x, name: e.currentTarget.value } : x)))
                    }
                  />
                  <code class="muted">{team.id}</code>
                  <button
                    type="button"
                    class="btn btn--small btn--ghost"
                    aria-label={t('settings.teams.remove', { name: team.name })}
                    onClick={() => setDraft(teams.filter((_, j) => j !== i))}
                  >
                    {t('settings.remove')}
                  </button>
                </li>
              ))}
            </ul>
          )}
          <form
            class="inline-form"
            onSubmit={(e) => {
              e.preventDefault()
              add()
            }}
          >
            <label class="visually-hidden" for="new-team">
              {t('settings.teams.newName')}
            </label>
            <input
              id="new-team"
              placeholder={t('settings.teams.newPlaceholder')}
              value={newName}
              maxLength={80}
              onInput={(e) => setNewName(e.currentTarget.value)}
            />
            <button type="submit" class="btn" disabled={newName.trim() === ''}>
              {t('settings.teams.add')}
            </button>
          </form>
          <div class="card-foot">
            {message && (
              <p role={message.kind} class={message.kind === 'alert' ? 'form-error' : 'form-ok'}>
                {message.text}
              </p>
            )}
            <button
              type="button"
              class="btn btn--primary"
              disabled={!dirty || busy}
              aria-busy={busy}
              onClick={save}
            >
              {t('settings.teams.save')}
            </button>
          </div>
        </div>
      )}
    </section>
  )
}
