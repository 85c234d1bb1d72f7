import type { Macro } from '../../../../shared/helpdesk.ts'
import { type MacroContext, renderMacro } from '../../../../shared/macros.ts'
import type { MessageKey } from '../i18n.ts'
import { useI18n } from './context.ts'

interface Props {
  id: string
  query: string
  matches: readonly Macro[]
  active: number
  loaded: boolean
  context: MacroContext
  onPick(macro: Macro): void
  onHover(index: number): void
}

export const macroOptionId = (id: string) => `macro-option-${id}`

/** The `/` palette above the composer: a listbox the textarea drives (arrows, Enter, Esc). */
export function MacroPalette(props: Props) {
  const { t } = useI18n()
  return (
    <div class="macro-palette">
      <div class="macro-palette-head">
        <span>{t('macros.palette')}</span>
        <span class="muted">{t('macros.paletteHint')}</span>
      </div>
      {props.matches.length === 0 ? (
        <p class="macro-empty">
          {!props.loaded
            ? t('macros.loading')
            : props.query
              ? t('macros.noMatch', { query: props.query })
              : t('macros.none')}
        </p>
      ) : (
        <div id={props.id} class="macro-options" role="listbox" aria-label={t('macros.palette')}>
          {props.matches.map((m, i) => (
            // The textarea keeps focus and drives the list (aria-activedescendant): arrows, Enter, Esc.
            // biome-ignore lint/a11y/useKeyWithClickEvents: keys are handled by the composer's textarea
            <div
              key={m.id}
              id={macroOptionId(m.id)}
              role="option"
              tabIndex={-1}
              aria-selected={i === props.active}
              class="macro-option"
              // Keep the textarea focused: the palette is driven from it.
              onMouseDown={(e) => e.preventDefault()}
              onMouseEnter={() => props.onHover(i)}
              onClick={() => props.onPick(m)}
            >
              <span class="macro-name">{m.name}</span>
              <span class="macro-preview">{renderMacro(m.body, props.context)}</span>
              <MacroActionChips actions={m.actions} />
            </div>
          ))}
        </div>
      )}
    </div>
  )
}

/** A macro's actions as small chips: tags, priority, resolve. */
export function MacroActionChips({ actions }: { actions: Macro['actions'] | null | undefined }) {
  const { t } = useI18n()
  if (!actions) return null
  const chips: string[] = [
    ...(actions.tags ?? []).map((tag) => t('macros.action.tag', { tag })),
    ...(actions.priority
      ? [t('macros.action.priority', { priority: t(`priority.${actions.priority}` as MessageKey) })]
      : []),
    ...(actions.resolve ? [t('macros.action.resolve')] : []),
  ]
  if (chips.length === 0) return null
  return (
    <span class="macro-actions">
      {chips.map((c) => (
        <span key={c} class="macro-action">
          {c}
        </span>
      ))}
    </span>
  )
}
