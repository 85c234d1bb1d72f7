import { useState } from 'preact/hooks'
import type { AgentSummary, Team } from '../../../../shared/helpdesk.ts'
import type { MessageKey } from '../i18n.ts'
import { useI18n } from './context.ts'
import { Dialog } from './dialog.tsx'

interface Props {
  agents: readonly AgentSummary[]
  teams: readonly Team[]
  selfId: string
  busy: boolean
  /** Why the last transfer was refused. */
  error: string | null
  onTransfer(target: { agentId?: string; teamId?: string; note: string }): void
  onClose(): void
}

/** Hand the conversation to another agent or a team, with an internal note for them. */
export function TransferDialog(props: Props) {
  const { t } = useI18n()
  const others = props.agents.filter((a) => a.id !== props.selfId)
  const [target, setTarget] = useState(
    others[0] ? `agent:${others[0].id}` : props.teams[0] ? `team:${props.teams[0].id}` : '',
  )
  const [note, setNote] = useState('')
  const [kind, id] = target.split(':') as [string, string | undefined]
  return (
    <Dialog title={t('transfer.title')} onClose={props.onClose}>
      <form
        class="dialog-form"
        onSubmit={(e) => {
          e.preventDefault()
          if (!id) return
          props.onTransfer(kind === 'team' ? { teamId: id, note } : { agentId: id, note })
        }}
      >
        <label class="field">
          <span class="field-label">{t('transfer.to')}</span>
          <select value={target} onChange={(e) => setTarget(e.currentTarget.value)} required>
            {others.length > 0 && (
              <optgroup label={t('assign.agents')}>
                {others.map((a) => (
                  <option key={a.id} value={`agent:${a.id}`}>
                    {`${a.name} · ${t(`presence.${a.presence}` as MessageKey)} · ${t('assign.load', { load: a.load, capacity: a.capacity })}`}
                  </option>
                ))}
              </optgroup>
            )}
            {props.teams.length > 0 && (
              <optgroup label={t('assign.teams')}>
                {props.teams.map((team) => (
                  <option key={team.id} value={`team:${team.id}`}>
                    {team.name}
                  </option>
                ))}
              </optgroup>
            )}
          </select>
        </label>
        <label class="field">
          <span class="field-label">{t('transfer.note')}</span>
          <textarea
            rows={4}
            maxLength={2000}
            value={note}
            placeholder={t('transfer.notePlaceholder')}
            onInput={(e) => setNote(e.currentTarget.value)}
          />
          <small class="muted">{t('transfer.noteHint')}</small>
        </label>
        {!id && <p class="muted">{t('transfer.nobody')}</p>}
        {props.error && (
          <p role="alert" class="form-error">
            {props.error}
          </p>
        )}
        <div class="dialog-actions">
          <button type="button" class="btn" onClick={props.onClose}>
            {t('dialog.cancel')}
          </button>
          <button type="submit" class="btn btn--primary" disabled={!id || props.busy} aria-busy={props.busy}>
            {t('transfer.submit')}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
