import type { AgentSummary, Team } from '../../../../shared/helpdesk.ts'
import type { ConversationSummary } from '../../../../shared/protocol.ts'
import type { MessageKey } from '../i18n.ts'
import { useI18n } from './context.ts'
import { MenuButton, type MenuItem } from './menu.tsx'

interface Props {
  conversation: ConversationSummary
  agents: readonly AgentSummary[]
  teams: readonly Team[]
  selfId: string
  disabled: boolean
  onAgent(agentId: string): void
  onTeam(teamId: string): void
  onUnassign(): void
}

/** A presence dot with its word for screen readers and a tooltip. */
export function PresenceDot({ presence }: { presence: AgentSummary['presence'] }) {
  const { t } = useI18n()
  const word = t(`presence.${presence}` as MessageKey)
  return <span class={`presence-dot presence-dot--${presence}`} title={word} role="img" aria-label={word} />
}

/** Assign to an agent (with presence and load), to a team's queue, or back to the queue. */
export function AssignMenu(props: Props) {
  const { t } = useI18n()
  const c = props.conversation
  const agentItems: MenuItem[] = props.agents.map((a) => ({
    id: `agent-${a.id}`,
    name: `${a.name}${a.id === props.selfId ? ` (${t('inbox.you')})` : ''}, ${t(`presence.${a.presence}` as MessageKey)}`,
    checked: c.assignee?.id === a.id,
    onSelect: () => props.onAgent(a.id),
    label: (
      <>
        <PresenceDot presence={a.presence} />
        <span class="menu-item-main">
          {a.name}
          {a.id === props.selfId && <span class="muted"> ({t('inbox.you')})</span>}
        </span>
        <span class="menu-item-side">{t('assign.load', { load: a.load, capacity: a.capacity })}</span>
      </>
    ),
  }))
  const teamItems: MenuItem[] = props.teams.map((team) => ({
    id: `team-${team.id}`,
    checked: !c.assignee && c.teamId === team.id,
    onSelect: () => props.onTeam(team.id),
    label: <span class="menu-item-main">{team.name}</span>,
    name: team.name,
  }))
  const back: MenuItem[] =
    c.assignee || c.teamId
      ? [
          {
            id: 'unassign',
            onSelect: props.onUnassign,
            label: <span class="menu-item-main">{t('assign.unassign')}</span>,
            name: t('assign.unassign'),
          },
        ]
      : []
  return (
    <MenuButton
      label={t('assign.label')}
      disabled={props.disabled}
      groups={[
        { label: t('assign.agents'), items: agentItems, empty: t('assign.noAgents') },
        ...(teamItems.length > 0 ? [{ label: t('assign.teams'), items: teamItems }] : []),
        ...(back.length > 0 ? [{ label: null, items: back }] : []),
      ]}
    >
      {t('assign.button')}
    </MenuButton>
  )
}
