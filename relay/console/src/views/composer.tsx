import { useEffect, useMemo, useRef, useState } from 'preact/hooks'
import type { Macro } from '../../../../shared/helpdesk.ts'
import { type MacroContext, renderMacro } from '../../../../shared/macros.ts'
import { MAX_REPLY_LENGTH } from '../format.ts'
import {
  filterMacros,
  hasActions,
  type MacroActions,
  mergeActions,
  movePalette,
  slashQuery,
} from '../helpdesk/macros.ts'
import { useI18n } from './context.ts'
import { MacroActionChips, MacroPalette, macroOptionId } from './macro-palette.tsx'

export type ComposerMode = 'reply' | 'note'

/** A request from outside (a keyboard shortcut): switch mode and focus, or open the macro palette. */
export interface ComposerCommand {
  kind: 'reply' | 'note' | 'macro'
  /** Increases with every request, so the same request twice still acts. */
  n: number
}

interface Props {
  /** Only the assignee replies to the customer; everyone else writes internal notes. */
  canReply: boolean
  /** Why the agent cannot reply right now, or null when they can. */
  hint: string | null
  /** What the reply box says, when the channel changes how the reply travels (email, WhatsApp…). */
  replyPlaceholder?: string
  macros: readonly Macro[]
  macrosLoaded: boolean
  macroContext: MacroContext
  command: ComposerCommand | null
  onSend(text: string, internal: boolean, actions: MacroActions | null): void
  onTyping(internal: boolean): void
}

const PALETTE_ID = 'macro-palette'

/**
 * The reply box with a Reply / Note switch. Enter sends, Shift+Enter adds a line; `/` at the
 * start opens the macro palette; a macro's actions wait for Send.
 */
export function Composer(props: Props) {
  const { t } = useI18n()
  const [mode, setMode] = useState<ComposerMode>(props.canReply ? 'reply' : 'note')
  const [text, setText] = useState('')
  const [actions, setActions] = useState<MacroActions | null>(null)
  const [active, setActive] = useState(0)
  const [dismissed, setDismissed] = useState<string | null>(null)
  const box = useRef<HTMLTextAreaElement>(null)
  const couldReply = useRef(props.canReply)

  const query = slashQuery(text)
  const paletteOpen = query !== null && dismissed !== text
  const matches = useMemo(
    () => (query === null ? [] : filterMacros(props.macros, query)),
    [props.macros, query],
  )
  const activeMacro = paletteOpen ? matches[active] : undefined
  const effectiveMode: ComposerMode = props.canReply ? mode : 'note'
  const internal = effectiveMode === 'note'

  // Taking over moves the agent straight to the reply box; losing the conversation, to notes.
  useEffect(() => {
    if (props.canReply && !couldReply.current) {
      setMode('reply')
      box.current?.focus()
    }
    if (!props.canReply) setMode('note')
    couldReply.current = props.canReply
  }, [props.canReply])

  useEffect(() => {
    const cmd = props.command
    if (!cmd) return
    if (cmd.kind === 'reply' && props.canReply) setMode('reply')
    if (cmd.kind === 'note') setMode('note')
    if (cmd.kind === 'macro' && text.trim() === '') {
      setText('/')
      setDismissed(null)
      setActive(0)
    }
    box.current?.focus()
    // Only a new command acts; the text is read, not watched.
  }, [props.command?.n])

  const insert = (macro: Macro) => {
    setText(renderMacro(macro.body, props.macroContext))
    if (hasActions(macro.actions)) setActions((held) => mergeActions(held, macro.actions))
    setActive(0)
    requestAnimationFrame(() => {
      const el = box.current
      if (!el) return
      el.focus()
      el.setSelectionRange(el.value.length, el.value.length)
    })
  }

  const submit = () => {
    if (text.trim() === '' || paletteOpen) return
    props.onSend(text, internal, actions)
    setText('')
    setActions(null)
  }

  const onKeyDown = (e: KeyboardEvent) => {
    if (paletteOpen) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault()
        setActive((i) => movePalette(i, e.key === 'ArrowDown' ? 1 : -1, matches.length))
        return
      }
      if ((e.key === 'Enter' || e.key === 'Tab') && !e.shiftKey && activeMacro) {
        e.preventDefault()
        insert(activeMacro)
        return
      }
      if (e.key === 'Escape') {
        e.preventDefault()
        e.stopPropagation()
        setDismissed(text)
        return
      }
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && !e.altKey && !e.ctrlKey && !e.metaKey) {
      e.preventDefault()
      submit()
    }
  }

  const label = internal ? t('composer.noteLabel') : t('conversation.reply')
  return (
    <form
      class={`composer composer--${effectiveMode}`}
      onSubmit={(e) => {
        e.preventDefault()
        submit()
      }}
    >
      <div class="composer-top">
        <fieldset class="segmented">
          <legend class="visually-hidden">{t('composer.mode')}</legend>
          <button
            type="button"
            class="segment"
            aria-pressed={effectiveMode === 'reply'}
            disabled={!props.canReply}
            onClick={() => {
              setMode('reply')
              box.current?.focus()
            }}
          >
            {t('composer.replyMode')}
          </button>
          <button
            type="button"
            class="segment segment--note"
            aria-pressed={effectiveMode === 'note'}
            onClick={() => {
              setMode('note')
              box.current?.focus()
            }}
          >
            {t('composer.noteMode')}
          </button>
        </fieldset>
        {props.hint && (
          <p id="composer-hint" class="composer-hint">
            {props.hint}
          </p>
        )}
      </div>
      {paletteOpen && (
        <MacroPalette
          id={PALETTE_ID}
          query={query ?? ''}
          matches={matches}
          active={active}
          loaded={props.macrosLoaded}
          context={props.macroContext}
          onPick={insert}
          onHover={setActive}
        />
      )}
      <textarea
        ref={box}
        class="composer-input"
        aria-label={label}
        aria-describedby={props.hint ? 'composer-hint' : undefined}
        aria-controls={paletteOpen ? PALETTE_ID : undefined}
        aria-activedescendant={activeMacro ? macroOptionId(activeMacro.id) : undefined}
        aria-autocomplete="list"
        placeholder={
          internal
            ? t('composer.notePlaceholder')
            : (props.replyPlaceholder ?? t('conversation.replyPlaceholder'))
        }
        rows={3}
        maxLength={MAX_REPLY_LENGTH}
        value={text}
        onInput={(e) => {
          const value = e.currentTarget.value
          setText(value)
          setActive(0)
          // Emptying the box drops the macro it held, and the macro's actions with it.
          if (value.trim() === '') setActions(null)
          if (value.trim() !== '' && slashQuery(value) === null) props.onTyping(internal)
        }}
        onKeyDown={onKeyDown}
      />
      <div class="composer-foot">
        {actions && hasActions(actions) ? (
          <span class="composer-actions">
            <span class="muted">{t('composer.afterSend')}</span>
            <MacroActionChips actions={actions} />
            <button
              type="button"
              class="btn btn--ghost btn--small"
              aria-label={t('composer.dropActions')}
              onClick={() => setActions(null)}
            >
              ×
            </button>
          </span>
        ) : (
          <span class="composer-tip muted">{t('composer.tip')}</span>
        )}
        <button
          class={internal ? 'btn btn--note' : 'btn btn--primary'}
          type="submit"
          disabled={text.trim() === '' || paletteOpen}
        >
          {internal ? t('composer.addNote') : t('conversation.send')}
        </button>
      </div>
    </form>
  )
}
