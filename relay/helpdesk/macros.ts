/**
 * Macros (saved replies with placeholders and optional actions), kept in `Site.helpdesk.macros`.
 * Pure list operations plus the store-backed create, replace and delete the HTTP API uses.
 * Rendering is `renderMacro` in shared/ (the console fills the placeholders); the actions (tags,
 * priority, resolve) are applied by the console after sending, through `conversation:update` and
 * `conversation:resolve`, so each goes through the usual checks.
 */
import { z } from 'zod'
import { type Macro, MacroSchema } from '../../shared/helpdesk.ts'
import { newId } from '../../shared/ids.ts'
import { AppError } from '../errors.ts'
import type { Site, Store } from '../store/types.ts'
import { updateHelpdesk } from './site-settings.ts'

/** What an admin sends to create or replace a macro; the id and site come from the URL. */
export const MacroInputSchema = MacroSchema.omit({ id: true, siteId: true })
export type MacroInput = z.infer<typeof MacroInputSchema>

export const MacroIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/)

/** Enough for a large team's canned replies; a list the console loads whole. */
export const MAX_MACROS_PER_SITE = 500

/** A site's macros by name. */
export function macrosOf(site: Site): Macro[] {
  return [...(site.helpdesk?.macros ?? [])].sort(
    (a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id),
  )
}

function assertUniqueName(list: readonly Macro[], name: string, exceptId: string | null): void {
  const wanted = name.trim().toLowerCase()
  if (list.some((m) => m.id !== exceptId && m.name.trim().toLowerCase() === wanted)) {
    throw new AppError('invalid_payload', `a macro named "${name}" already exists`, { field: 'name' })
  }
}

/** The list with a new macro added; names are unique per site (the `/` picker finds them by name). */
export function withMacro(list: readonly Macro[], macro: Macro): Macro[] {
  if (list.length >= MAX_MACROS_PER_SITE)
    throw new AppError('invalid_payload', `at most ${MAX_MACROS_PER_SITE} macros per site`)
  assertUniqueName(list, macro.name, null)
  return [...list, macro]
}

/** The list with macro `macro.id` replaced; `not_found` when there is none. */
export function withReplacedMacro(list: readonly Macro[], macro: Macro): Macro[] {
  if (!list.some((m) => m.id === macro.id)) throw new AppError('not_found', 'no such macro')
  assertUniqueName(list, macro.name, macro.id)
  return list.map((m) => (m.id === macro.id ? macro : m))
}

/** The list without macro `id`; `not_found` when there is none. */
export function withoutMacro(list: readonly Macro[], id: string): Macro[] {
  if (!list.some((m) => m.id === id)) throw new AppError('not_found', 'no such macro')
  return list.filter((m) => m.id !== id)
}

export async function createMacro(store: Store, siteId: string, input: MacroInput): Promise<Macro> {
  const macro: Macro = { ...input, id: newId('mac_'), siteId }
  return updateHelpdesk(store, siteId, (helpdesk) => ({
    helpdesk: { ...helpdesk, macros: withMacro(helpdesk.macros ?? [], macro) },
    result: macro,
  }))
}

export async function replaceMacro(
  store: Store,
  siteId: string,
  id: string,
  input: MacroInput,
): Promise<Macro> {
  const macro: Macro = { ...input, id, siteId }
  return updateHelpdesk(store, siteId, (helpdesk) => ({
    helpdesk: { ...helpdesk, macros: withReplacedMacro(helpdesk.macros ?? [], macro) },
    result: macro,
  }))
}

export async function deleteMacro(store: Store, siteId: string, id: string): Promise<void> {
  await updateHelpdesk(store, siteId, (helpdesk) => ({
    helpdesk: { ...helpdesk, macros: withoutMacro(helpdesk.macros ?? [], id) },
    result: undefined,
  }))
}

/** Every macro of the agent's sites (for `macro:list`), by site then name. */
export async function macrosForSites(
  store: Pick<Store, 'getSite'>,
  siteIds: readonly string[],
): Promise<Macro[]> {
  const sites = await Promise.all(siteIds.map((id) => store.getSite(id)))
  return sites.flatMap((site) => (site ? macrosOf(site) : []))
}
