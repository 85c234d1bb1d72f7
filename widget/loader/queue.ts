/**
 * `window.parley(...)`: a command queue the page can call before the loader runs (the snippet's
 * stub pushes `arguments` onto `q`) and after. Only known commands run, in call order.
 */
import type { ParleyApi, ParleyCall, ParleyCommandName } from '../../shared/widget-api.ts'

/** Each known command with a check of its one argument (null: it takes none). */
const COMMANDS: Record<ParleyCommandName, ((arg: unknown) => boolean) | null> = {
  open: null,
  close: null,
  toggle: null,
  identify: (arg) => typeof arg === 'object' && arg !== null,
  locale: (arg) => typeof arg === 'string' && arg.length > 0,
}

/** The call if `args` is a known command with valid arguments, else null. */
export function toCall(args: ArrayLike<unknown>): ParleyCall | null {
  const [name, arg] = Array.from(args)
  if (typeof name !== 'string' || !Object.hasOwn(COMMANDS, name)) return null
  const check = COMMANDS[name as ParleyCommandName]
  if (!check) return [name] as ParleyCall
  return check(arg) ? ([name, arg] as ParleyCall) : null
}

/**
 * Installs the real `parley` on `target`, replays what the stub queued, in order, and returns
 * true; returns false (and changes nothing) when another copy of the loader got there first.
 */
export function installParley(target: { parley?: ParleyApi }, run: (call: ParleyCall) => void): boolean {
  const stub = target.parley
  if (stub?.loaded) return false
  const api = ((...args: unknown[]) => {
    const call = toCall(args)
    if (call) run(call)
    else console.warn('parley: bad command', args[0])
  }) as ParleyApi
  api.loaded = true
  target.parley = api
  for (const args of Array.from(stub?.q ?? [])) api(...(Array.from(args) as [ParleyCommandName]))
  return true
}
