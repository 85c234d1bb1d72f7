import { useRef, useState } from 'preact/hooks'
import type { Macro } from '../../../../shared/helpdesk.ts'
import { MACRO_PLACEHOLDERS, renderMacro } from '../../../../shared/macros.ts'
import type { Priority } from '../../../../shared/protocol.ts'
import type { MessageKey } from '../i18n.ts'
import { PRIORITIES } from '../inbox.ts'
import { useI18n } from '../views/context.ts'
import { MacroActionChips } from '../views/macro-palette.tsx'
import type { MacroInput, SettingsApi } from './api.ts'
import { described, Field } from './field.tsx'
import { parseList } from './forms.ts'
import { useRemote } from './use-remote.ts'

interface Props {
  api: SettingsApi
  siteId: string
  agentName: string
}

const PLACEHOLDER_HELP: Record<(typeof MACRO_PLACEHOLDERS)[number], MessageKey> = {
  '{{contact.name}}': 'settings.macros.ph.contact',
  '{{order.number}}': 'settings.macros.ph.order',
  '{{agent.name}}': 'settings.macros.ph.agent',
}

/** Settings → Macros: saved replies with placeholders and optional actions, inserted with `/`. */
export function MacrosPage({ api, siteId, agentName }: Props) {
  const { t, error: describe } = useI18n()
  const remote = useRemote(() => api.macros(siteId), [api, siteId])
  const [editing, setEditing] = useState<Macro | 'new' | null>(null)
  const [confirming, setConfirming] = useState<string | null>(null)
  const [failure, setFailure] = useState<string | null>(null)
  const macros = [...(remote.data ?? [])].sort((a, b) => a.name.localeCompare(b.name))

  const remove = async (id: string) => {
    const reply = await api.deleteMacro(siteId, id)
    setConfirming(null)
    if (reply.ok) remote.set((remote.data ?? []).filter((m) => m.id !== id))
    else setFailure(describe(reply.error))
  }

  return (
    <section class="settings-section" aria-labelledby="macros-title">
      <header class="settings-head">
        <div>
          <h1 id="macros-title">{t('settings.macros.title')}</h1>
          <p class="muted">{t('settings.macros.intro')}</p>
        </div>
        {editing === null && (
          <button type="button" class="btn btn--primary" onClick={() => setEditing('new')}>
            {t('settings.macros.new')}
          </button>
        )}
      </header>
      {(remote.error || failure) && (
        <p role="alert" class="form-error">
          {failure ?? (remote.error ? describe(remote.error) : '')}
        </p>
      )}
      {editing !== null && (
        <MacroEditor
          key={editing === 'new' ? 'new' : editing.id}
          api={api}
          siteId={siteId}
          macro={editing === 'new' ? null : editing}
          agentName={agentName}
          onCancel={() => setEditing(null)}
          onSaved={(m) => {
            setEditing(null)
            remote.set([...(remote.data ?? []).filter((x) => x.id !== m.id), m])
          }}
        />
      )}
      {remote.data === null ? (
        !remote.error && <p class="muted">{t('kb.loading')}</p>
      ) : macros.length === 0 ? (
        editing === null && <p class="card muted">{t('settings.macros.none')}</p>
      ) : (
        <ul class="macro-list">
          {macros.map((m) => (
            <li key={m.id} class="card macro-card" data-macro={m.name}>
              <div class="macro-card-main">
                <h3>{m.name}</h3>
                <p class="macro-card-body">{m.body}</p>
                <MacroActionChips actions={m.actions} />
              </div>
              <div class="macro-card-actions">
                {confirming === m.id ? (
                  <>
                    <button
                      type="button"
                      class="btn btn--danger btn--small"
                      onClick={() => void remove(m.id)}
                    >
                      {t('settings.macros.confirmDelete')}
                    </button>
                    <button type="button" class="btn btn--small" onClick={() => setConfirming(null)}>
                      {t('dialog.cancel')}
                    </button>
                  </>
                ) : (
                  <>
                    <button
                      type="button"
                      class="btn btn--small"
                      aria-label={t('settings.macros.editNamed', { name: m.name })}
                      onClick={() => setEditing(m)}
                    >
                      {t('settings.edit')}
                    </button>
                    <button
                      type="button"
                      class="btn btn--small btn--ghost"
                      aria-label={t('settings.macros.deleteNamed', { name: m.name })}
                      onClick={() => setConfirming(m.id)}
                    >
                      {t('settings.delete')}
                    </button>
                  </>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

function MacroEditor(props: {
  api: SettingsApi
  siteId: string
  macro: Macro | null
  agentName: string
  onCancel(): void
  onSaved(macro: Macro): void
}) {
  const { t, error: describe } = useI18n()
  const m = props.macro
  const [name, setName] = useState(m?.name ?? '')
  const [body, setBody] = useState(m?.body ?? '')
  const [tags, setTags] = useState((m?.actions.tags ?? []).join(', '))
  const [priority, setPriority] = useState<Priority | ''>(m?.actions.priority ?? '')
  const [resolve, setResolve] = useState(m?.actions.resolve ?? false)
  const [errors, setErrors] = useState<{ name?: MessageKey; body?: MessageKey }>({})
  const [failure, setFailure] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const bodyRef = useRef<HTMLTextAreaElement>(null)

  const insert = (placeholder: string) => {
    const el = bodyRef.current
    const start = el?.selectionStart ?? body.length
    const end = el?.selectionEnd ?? body.length
    const next = body.slice(0, start) + placeholder + body.slice(end)
    setBody(next)
    requestAnimationFrame(() => {
      el?.focus()
      el?.setSelectionRange(start + placeholder.length, start + placeholder.length)
    })
  }

  const save = async () => {
    const found = {
      ...(name.trim() === '' && { name: 'settings.error.required' as const }),
      ...(body.trim() === '' && { body: 'settings.error.required' as const }),
    }
    setErrors(found)
    if (Object.keys(found).length > 0) return
    const tagList = parseList(tags)
    const input: MacroInput = {
      name: name.trim(),
      body,
      actions: {
        ...(tagList.length > 0 && { tags: tagList }),
        ...(priority && { priority }),
        ...(resolve && { resolve: true }),
      },
    }
    setBusy(true)
    setFailure(null)
    const reply = m
      ? await props.api.saveMacro(props.siteId, m.id, input)
      : await props.api.addMacro(props.siteId, input)
    setBusy(false)
    if (reply.ok) props.onSaved(reply.data)
    else setFailure(describe(reply.error))
  }

  return (
    <form
      class="card macro-editor"
      aria-label={m ? t('settings.macros.editNamed', { name: m.name }) : t('settings.macros.new')}
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        void save()
      }}
    >
      <div class="macro-editor-grid">
        <div class="macro-editor-fields">
          <Field id="macro-name" label={t('settings.macros.name')} error={errors.name}>
            <input
              {...described('macro-name', errors.name)}
              value={name}
              maxLength={80}
              onInput={(e) => setName(e.currentTarget.value)}
            />
          </Field>
          <Field id="macro-body" label={t('settings.macros.body')} error={errors.body}>
            <textarea
              {...described('macro-body', errors.body)}
              ref={bodyRef}
              rows={6}
              maxLength={4000}
              value={body}
              onInput={(e) => setBody(e.currentTarget.value)}
            />
          </Field>
          <fieldset class="macro-actions-fields">
            <legend>{t('settings.macros.actions')}</legend>
            <Field id="macro-tags" label={t('settings.macros.tags')} hint={t('settings.macros.tagsHint')}>
              <input
                {...described('macro-tags', null, true)}
                value={tags}
                onInput={(e) => setTags(e.currentTarget.value)}
              />
            </Field>
            <Field id="macro-priority" label={t('settings.macros.priority')}>
              <select
                id="macro-priority"
                value={priority}
                onChange={(e) => setPriority(e.currentTarget.value as Priority | '')}
              >
                <option value="">{t('settings.macros.keepPriority')}</option>
                {PRIORITIES.map((p) => (
                  <option key={p} value={p}>
                    {t(`priority.${p}` as MessageKey)}
                  </option>
                ))}
              </select>
            </Field>
            <label class="check">
              <input
                type="checkbox"
                checked={resolve}
                onChange={(e) => setResolve(e.currentTarget.checked)}
              />
              <span>{t('settings.macros.resolve')}</span>
            </label>
          </fieldset>
        </div>
        <aside class="macro-help" aria-labelledby="placeholders-title">
          <h3 id="placeholders-title">{t('settings.macros.placeholders')}</h3>
          <p class="muted">{t('settings.macros.placeholdersIntro')}</p>
          <ul class="placeholder-list">
            {MACRO_PLACEHOLDERS.map((p) => (
              <li key={p}>
                <button
                  type="button"
                  class="placeholder-chip"
                  aria-label={t('settings.macros.insert', { placeholder: p })}
                  onClick={() => insert(p)}
                >
                  <code>{p}</code>
                </button>
                <span class="muted">{t(PLACEHOLDER_HELP[p])}</span>
              </li>
            ))}
          </ul>
          <h3>{t('settings.macros.preview')}</h3>
          <p class="macro-preview-box" aria-live="polite">
            {body.trim()
              ? renderMacro(body, { contactName: 'Maya', orderNumber: 'TW-1001', agentName: props.agentName })
              : t('settings.macros.previewEmpty')}
          </p>
        </aside>
      </div>
      <div class="card-foot">
        {failure && (
          <p role="alert" class="form-error">
            {failure}
          </p>
        )}
        <button type="button" class="btn" onClick={props.onCancel}>
          {t('dialog.cancel')}
        </button>
        <button type="submit" class="btn btn--primary" disabled={busy} aria-busy={busy}>
          {t('settings.macros.save')}
        </button>
      </div>
    </form>
  )
}
