import type { SlaSummary } from '../../../../shared/protocol.ts'
import { fullTime } from '../format.ts'
import { shortDuration, slaPhrase, slaView } from '../helpdesk/sla.ts'
import type { MessageKey } from '../i18n.ts'
import { useI18n } from './context.ts'

interface Props {
  sla: SlaSummary | null | undefined
  now: number
  /** Longer words for the conversation header ("First response due …"). */
  long?: boolean
}

/** The SLA due time as `<time datetime>` with the time left; near breach and breach stand out. */
export function SlaBadge({ sla, now, long }: Props) {
  const { t, locale } = useI18n()
  const view = slaView(sla, now)
  if (!view) return null
  const phrase = slaPhrase(view)
  const target = sla?.firstResponseAt ? 'resolution' : 'firstResponse'
  const text =
    phrase === 'met'
      ? t('sla.met')
      : phrase === 'breached'
        ? t('sla.breached')
        : phrase === 'breachedAgo'
          ? t('sla.breachedAgo', { time: shortDuration(view.leftMs ?? 0) })
          : t('sla.left', { time: shortDuration(view.leftMs ?? 0) })
  const title = view.dueAt ? t('sla.dueAt', { time: fullTime(locale, view.dueAt) }) : t('sla.met')
  return (
    <span class={`sla sla--${view.state}`} data-sla-state={view.state} data-testid="sla">
      {long && (phrase === 'left' || phrase === 'breachedAgo') && (
        <span class="sla-label">{t(`sla.target.${target}` as MessageKey)}</span>
      )}
      {view.dueAt ? (
        <time dateTime={view.dueAt} title={title}>
          {text}
        </time>
      ) : (
        <span>{text}</span>
      )}
    </span>
  )
}
