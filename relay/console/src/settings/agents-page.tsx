import { useState } from 'preact/hooks'
import type { Team } from '../../../../shared/helpdesk.ts'
import type { AgentProfile } from '../../../../shared/protocol.ts'
import type { MessageKey } from '../i18n.ts'
import { PresenceDot } from '../views/assign-menu.tsx'
import { useI18n } from '../views/context.ts'
import { Dialog } from '../views/dialog.tsx'
import type { AdminAgent, AgentInput, SettingsApi } from './api.ts'
import { described, Field } from './field.tsx'
import { type AgentForm, checkAgentForm, type FormErrors, parseList } from './forms.ts'
import { useRemote } from './use-remote.ts'

interface Props {
  api: SettingsApi
  siteId: string
  self: AgentProfile
}

function formOf(a: AdminAgent | null): AgentForm {
  return {
    name: a?.name ?? '',
    email: a?.email ?? '',
    password: '',
    role: a?.role ?? 'agent',
    teamId: a?.teamId ?? '',
    skills: a?.skills.join(', ') ?? '',
    languages: a?.languages.join(', ') ?? '',
    capacity: String(a?.capacity ?? 5),
  }
}

/** Settings → Agents: everyone on the admin's sites, with routing attributes; add and edit. */
export function AgentsPage({ api, siteId, self }: Props) {
  const { t, error: describe } = useI18n()
  const agents = useRemote(() => api.agents(), [api])
  const teams = useRemote(() => api.teams(siteId), [api, siteId])
  const [editing, setEditing] = useState<AdminAgent | 'new' | null>(null)
  const teamName = (id: string | null) => (id ? (teams.data?.find((x) => x.id === id)?.name ?? id) : null)

  return (
    <section class="settings-section" aria-labelledby="agents-title">
      <header class="settings-head">
        <div>
          <h1 id="agents-title">{t('settings.agents.title')}</h1>
          <p class="muted">{t('settings.agents.intro')}</p>
        </div>
        <button type="button" class="btn btn--primary" onClick={() => setEditing('new')}>
          {t('settings.agents.add')}
        </button>
      </header>
      {agents.error && (
        <p role="alert" class="form-error">
          {describe(agents.error)}
        </p>
      )}
      {!agents.data ? (
        !agents.error && <p class="muted">{t('kb.loading')}</p>
      ) : (
        <div class="table-wrap">
          <table class="settings-table">
            <thead>
              <tr>
                <th scope="col">{t('settings.agents.name')}</th>
                <th scope="col">{t('settings.agents.role')}</th>
                <th scope="col">{t('settings.agents.team')}</th>
                <th scope="col">{t('settings.agents.skills')}</th>
                <th scope="col">{t('settings.agents.languages')}</th>
                <th scope="col">{t('settings.agents.load')}</th>
                <th scope="col">
                  <span class="visually-hidden">{t('settings.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {agents.data.map((a) => (
                <tr key={a.id} data-agent={a.email}>
                  <td>
                    <div class="agent-cell">
                      <PresenceDot presence={a.presence} />
                      <div>
                        <div class="agent-cell-name">
                          {a.name}
                          {a.id === self.id && <span class="muted"> ({t('inbox.you')})</span>}
                        </div>
                        <div class="muted">{a.email}</div>
                      </div>
                    </div>
                  </td>
                  <td>
                    <span class={a.role === 'admin' ? 'role role--admin' : 'role'}>
                      {t(`settings.role.${a.role}` as MessageKey)}
                    </span>
                  </td>
                  <td>{teamName(a.teamId) ?? <span class="muted">{t('details.none')}</span>}</td>
                  <td>
                    <Chips items={a.skills} />
                  </td>
                  <td>
                    <Chips items={a.languages} />
                  </td>
                  <td>{t('assign.load', { load: a.load, capacity: a.capacity })}</td>
                  <td class="cell-actions">
                    <button
                      type="button"
                      class="btn btn--small"
                      aria-label={t('settings.agents.editNamed', { name: a.name })}
                      onClick={() => setEditing(a)}
                    >
                      {t('settings.edit')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing && (
        <AgentDialog
          api={api}
          agent={editing === 'new' ? null : editing}
          teams={teams.data ?? []}
          siteId={siteId}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null)
            agents.reload()
          }}
        />
      )}
    </section>
  )
}

function Chips({ items }: { items: readonly string[] }) {
  const { t } = useI18n()
  if (items.length === 0) return <span class="muted">{t('details.none')}</span>
  return (
    <span class="chips">
      {items.map((i) => (
        <span key={i} class="tag-chip">
          {i}
        </span>
      ))}
    </span>
  )
}

function AgentDialog(props: {
  api: SettingsApi
  agent: AdminAgent | null
  teams: readonly Team[]
  siteId: string
  onClose(): void
  onSaved(): void
}) {
  const { t, error: describe } = useI18n()
  const adding = props.agent === null
  const [form, setForm] = useState<AgentForm>(() => formOf(props.agent))
  const [errors, setErrors] = useState<FormErrors<AgentForm>>({})
  const [failure, setFailure] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const set = (key: keyof AgentForm) => (e: Event) =>
    setForm({ ...form, [key]: (e.currentTarget as HTMLInputElement).value })

  const submit = async () => {
    const found = checkAgentForm(form, adding)
    setErrors(found)
    if (Object.keys(found).length > 0) return
    const input: AgentInput = {
      name: form.name.trim(),
      email: form.email.trim().toLowerCase(),
      role: form.role,
      teamId: form.teamId || null,
      skills: parseList(form.skills),
      languages: parseList(form.languages),
      capacity: Number(form.capacity),
      ...(form.password && { password: form.password }),
      ...(adding && { siteIds: [props.siteId] }),
    }
    setBusy(true)
    setFailure(null)
    const reply = props.agent
      ? await props.api.updateAgent(props.agent.id, input)
      : await props.api.addAgent(input)
    setBusy(false)
    if (reply.ok) props.onSaved()
    else setFailure(describe(reply.error))
  }

  return (
    <Dialog
      title={
        adding
          ? t('settings.agents.addTitle')
          : t('settings.agents.editTitle', { name: props.agent?.name ?? '' })
      }
      onClose={props.onClose}
    >
      <form
        class="dialog-form form-grid"
        noValidate
        onSubmit={(e) => {
          e.preventDefault()
          void submit()
        }}
      >
        <Field id="agent-name" label={t('settings.agents.name')} error={errors.name}>
          <input
            {...described('agent-name', errors.name)}
            value={form.name}
            onInput={set('name')}
            autocomplete="off"
          />
        </Field>
        <Field id="agent-email" label={t('settings.agents.email')} error={errors.email}>
          <input
            {...described('agent-email', errors.email)}
            type="email"
            value={form.email}
            onInput={set('email')}
            autocomplete="off"
          />
        </Field>
        <Field
          id="agent-password"
          label={adding ? t('settings.agents.password') : t('settings.agents.newPassword')}
          hint={adding ? t('settings.agents.passwordHint') : t('settings.agents.newPasswordHint')}
          error={errors.password}
        >
          <input
            {...described('agent-password', errors.password, true)}
            type="password"
            value={form.password}
            onInput={set('password')}
            autocomplete="new-password"
          />
        </Field>
        <Field id="agent-role" label={t('settings.agents.role')}>
          <select id="agent-role" value={form.role} onChange={set('role')}>
            <option value="agent">{t('settings.role.agent')}</option>
            <option value="admin">{t('settings.role.admin')}</option>
          </select>
        </Field>
        <Field id="agent-team" label={t('settings.agents.team')}>
          <select id="agent-team" value={form.teamId} onChange={set('teamId')}>
            <option value="">{t('settings.agents.noTeam')}</option>
            {props.teams.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </select>
        </Field>
        <Field
          id="agent-capacity"
          label={t('settings.agents.capacity')}
          hint={t('settings.agents.capacityHint')}
          error={errors.capacity}
        >
          <input
            {...described('agent-capacity', errors.capacity, true)}
            type="number"
            min={0}
            max={100}
            value={form.capacity}
            onInput={set('capacity')}
          />
        </Field>
        <Field
          id="agent-skills"
          label={t('settings.agents.skills')}
          hint={t('settings.agents.skillsHint')}
          error={errors.skills}
          class="field--wide"
        >
          <input
            {...described('agent-skills', errors.skills, true)}
            value={form.skills}
            onInput={set('skills')}
          />
        </Field>
        <Field
          id="agent-languages"
          label={t('settings.agents.languages')}
          hint={t('settings.agents.languagesHint')}
          error={errors.languages}
          class="field--wide"
        >
          <input
            {...described('agent-languages', errors.languages, true)}
            value={form.languages}
            onInput={set('languages')}
          />
        </Field>
        {failure && (
          <p role="alert" class="form-error field--wide">
            {failure}
          </p>
        )}
        <div class="dialog-actions field--wide">
          <button type="button" class="btn" onClick={props.onClose}>
            {t('dialog.cancel')}
          </button>
          <button type="submit" class="btn btn--primary" disabled={busy} aria-busy={busy}>
            {adding ? t('settings.agents.create') : t('settings.save')}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
