/**
 * A site's helpdesk settings as routing and SLAs use them, with the defaults filled in, and the
 * schema an admin's change is validated with (`PUT /api/sites/:site/helpdesk`).
 */
import { z } from 'zod'
import type { HelpdeskSettings, Site } from '../store/types.ts'
import { type BusinessHoursConfig, BusinessHoursConfigSchema } from './business-hours.ts'
import {
  DEFAULT_SLA_POLICY,
  type SlaPolicy,
  type SlaPolicyConfig,
  SlaPolicyConfigSchema,
  SlaPolicySchema,
} from './policy.ts'

const WEEK_MS = 7 * 24 * 3600 * 1000

/** What an admin may change; every field optional, unknown fields refused. */
export const HelpdeskSettingsPatchSchema = z
  .object({
    autoAssign: z.boolean().optional(),
    /** Null turns the no-answer reassignment off. */
    reassignAfterMs: z.number().int().min(10_000).max(WEEK_MS).nullable().optional(),
    sla: SlaPolicyConfigSchema.superRefine((config, ctx) => {
      // The filled-in policy is checked too: a resolution target shorter than the first response's is refused.
      const filled = SlaPolicySchema.safeParse(config)
      if (!filled.success)
        for (const issue of filled.error.issues)
          ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path })
    }).optional(),
    /** Null: no business hours (24/7). */
    businessHours: BusinessHoursConfigSchema.nullable().optional(),
  })
  .strict()
export type HelpdeskSettingsPatch = z.infer<typeof HelpdeskSettingsPatchSchema>

/** A site's settings with every default applied. */
export interface ResolvedHelpdesk {
  autoAssign: boolean
  reassignAfterMs: number | null
  /** As configured (what the settings page edits). */
  slaConfig: SlaPolicyConfig
  /** Complete: every channel and priority has its targets. */
  policy: SlaPolicy
  businessHours: BusinessHoursConfig | null
}

// Parsing a policy fills 40 targets: cache by the configuration's text (sites are few, changes rare).
const policies = new Map<string, SlaPolicy>()

function policyOf(config: SlaPolicyConfig | undefined): SlaPolicy {
  if (!config) return DEFAULT_SLA_POLICY
  const key = JSON.stringify(config)
  let policy = policies.get(key)
  if (!policy) {
    const parsed = SlaPolicySchema.safeParse(config)
    // Settings are validated when saved; a hand-edited file that no longer parses gets the defaults.
    policy = parsed.success ? parsed.data : DEFAULT_SLA_POLICY
    if (policies.size > 500) policies.clear()
    policies.set(key, policy)
  }
  return policy
}

/** The settings of a site (defaults for a missing site or missing fields). */
export function resolveHelpdesk(site: Pick<Site, 'helpdesk'> | null): ResolvedHelpdesk {
  const settings: HelpdeskSettings = site?.helpdesk ?? {}
  return {
    autoAssign: settings.autoAssign ?? true,
    reassignAfterMs: settings.reassignAfterMs ?? null,
    slaConfig: settings.sla ?? {},
    policy: policyOf(settings.sla),
    businessHours: settings.businessHours ?? null,
  }
}

/** Helpdesk settings with a patch applied (teams and macros untouched). */
export function applyPatch(helpdesk: HelpdeskSettings, patch: HelpdeskSettingsPatch): HelpdeskSettings {
  const next: HelpdeskSettings = { ...helpdesk }
  if (patch.autoAssign !== undefined) next.autoAssign = patch.autoAssign
  if (patch.reassignAfterMs !== undefined) next.reassignAfterMs = patch.reassignAfterMs
  if (patch.sla !== undefined) next.sla = patch.sla
  if (patch.businessHours !== undefined) next.businessHours = patch.businessHours
  return next
}
