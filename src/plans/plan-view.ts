import { contactNames } from '../alliances/alliances.repo.ts'
import type { PlanTarget } from '../db/schema.ts'
import type { Executor } from '../db/write.ts'
import { isMessageKey, type Translate } from '../web/i18n.ts'
import { organisationNames } from '../register/vocabulary.ts'

const label = (t: Translate, key: string) => (isMessageKey(key) ? t(key) : key)

/** The filter in words: "people in the category Official, now working at County board; in Jönköpings län". */
export function filterSummary(filter: PlanTarget['filter'], themeNames: Map<string, string>, t: Translate): string | null {
  if (!filter) return null
  const or = t('plan.or')
  const words = (list: string[] | undefined, prefix: string) => (list ?? []).map((v) => label(t, prefix + v)).join(or)
  const parts: string[] = []
  if (filter.kinds?.length) parts.push(t('plan.target_summary.kinds', { list: words(filter.kinds, 'kind.') }))
  if (filter.categories?.length) parts.push(t('plan.target_summary.categories', { list: words(filter.categories, 'category.') }))
  if (filter.affiliated_kinds?.length) parts.push(t('plan.target_summary.affiliated_kinds', { list: words(filter.affiliated_kinds, 'kind.') }))
  const titles = typeof filter.title === 'string' ? [filter.title] : (filter.title ?? [])
  if (titles.length) parts.push(t('plan.target_summary.title', { list: titles.map((x) => `”${x}”`).join(or) }))
  if (filter.counties?.length) parts.push(t('plan.target_summary.counties', { list: filter.counties.join(or) }))
  if (filter.theme_ids?.length) parts.push(t('plan.target_summary.theme_ids', { list: filter.theme_ids.map((id) => themeNames.get(id) ?? '?').join(or) }))
  if (filter.tags?.length) parts.push(t('plan.target_summary.tags', { list: filter.tags.join(or) }))
  return parts.length ? parts.join(t('plan.and')) : null
}

export interface ExplicitTargets {
  organisations: { id: string; name: string }[]
  contacts: { id: string; name: string }[]
}

/** The explicitly chosen records with their names, by name. */
export async function explicitTargets(db: Executor, orgIds: readonly string[], contactIds: readonly string[]): Promise<ExplicitTargets> {
  const [orgs, people] = await Promise.all([organisationNames(db, [...orgIds]), contactNames(db, [...contactIds])])
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, 'sv')
  return {
    organisations: orgIds.map((id) => ({ id, name: orgs.get(id) ?? id })).sort(byName),
    contacts: contactIds.map((id) => ({ id, name: people.get(id) || id })).sort(byName),
  }
}

/**
 * A plan's page lists this many of those not yet reached and of those reached, unless asked for
 * all (`?show=all`): a plan whose target group is 15 000 people made a 7 MB page that took 5 s to
 * become usable (bench/README.md, pages in the browser).
 */
export const TARGETS_SHOWN = 200

/** Up to this many not-yet-reached go into the new-activity link; more are sent by a form. */
export const LINK_LIMIT = 150

/** `/activities/new?plan_id=…&contact_id=…&organisation_id=…` for those not yet reached. */
export function planActivityHref(planId: string, notReached: readonly { type: string; id: string }[]): string {
  const q = new URLSearchParams({ plan_id: planId })
  for (const r of notReached) q.append(r.type === 'contact' ? 'contact_id' : 'organisation_id', r.id)
  return `/activities/new?${q}`
}
