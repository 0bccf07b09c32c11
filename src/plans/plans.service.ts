import type { Plan } from '../db/schema.ts'
import { createRecord, inTransaction, restoreRecord, softDeleteRecord, updateRecord, type Actor, type Executor } from '../db/write.ts'
import { missingIds, unlinkableContacts } from '../register/references.ts'
import { foldForSearch } from '../register/search-text.ts'
import { StaleVersionError, NotFoundError, ValidationError } from '../web/errors.ts'
import { swedishSortKey } from '../web/format.ts'
import { planProgress, progressCounts, type PlanProgress, type ProgressCount } from './plan-progress.ts'
import { findPlan } from './plans.repo.ts'
import type { PlanInput, PlanPatch } from './plans.schema.ts'

export { findPlan }

function derived(values: PlanPatch, current?: Plan) {
  const name = values.name ?? current?.name ?? ''
  const goal = values.goal !== undefined ? values.goal : (current?.goal ?? null)
  return { sort_name: swedishSortKey(name), search_text: foldForSearch(name, goal) }
}

async function missingProducts(db: Executor, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return []
  const found = await db.selectFrom('products').select('id').where('id', 'in', [...ids]).where('deleted_at', 'is', null).execute()
  const live = new Set(found.map((r) => r.id))
  return ids.filter((id) => !live.has(id))
}

/** References must name live records; ones the plan already had may have been deleted since. */
async function checkRules(db: Executor, values: PlanPatch, current?: Plan): Promise<void> {
  const fields: Record<string, string> = {}
  const fresh = (ids: readonly string[] | undefined, had: readonly string[] | undefined) => (ids ?? []).filter((id) => !(had ?? []).includes(id))
  const bad = 'validation.unknown_reference'
  const before = current?.target ?? {}
  const target = values.target
  const [themes, products, orgs, contacts, filterThemes] = await Promise.all([
    missingIds(db, 'themes', fresh(values.theme_ids, current?.theme_ids)),
    missingProducts(db, fresh(values.product_ids, current?.product_ids)),
    missingIds(db, 'organisations', fresh(target?.organisation_ids, before.organisation_ids)),
    // A person erased is no one to reach: not a new target (one the plan had stays, an anonymous node in its counts).
    unlinkableContacts(db, fresh(target?.contact_ids, before.contact_ids)),
    missingIds(db, 'themes', fresh(target?.filter?.theme_ids, before.filter?.theme_ids)),
  ])
  if (themes.length) fields.theme_ids = bad
  if (products.length) fields.product_ids = bad
  if (orgs.length) fields['target.organisation_ids'] = bad
  if (contacts.length) fields['target.contact_ids'] = bad
  if (filterThemes.length) fields['target.filter.theme_ids'] = bad
  const segment = target?.segment_id
  if (segment && segment !== before.segment_id) {
    const live = await db.selectFrom('segments').select('id').where('id', '=', segment).where('deleted_at', 'is', null).executeTakeFirst()
    if (!live) fields['target.segment_id'] = bad
  }
  if (Object.keys(fields).length) throw new ValidationError(fields)
}

function columns<V extends PlanPatch>(values: V) {
  const { target, ...rest } = values
  return { ...rest, ...(target ? { target: JSON.stringify(target) } : {}) }
}

export async function createPlan(db: Executor, input: PlanInput, actor: Actor): Promise<Plan> {
  return inTransaction(db, async (tx) => {
    await checkRules(tx, input)
    return createRecord(tx, 'plans', { ...columns(input), ...derived(input) }, actor)
  })
}

export async function updatePlan(db: Executor, id: string, version: number, patch: PlanPatch, actor: Actor): Promise<Plan> {
  return inTransaction(db, async (tx) => {
    const current = await findPlan(tx, id, { forUpdate: true })
    if (!current) throw new NotFoundError()
    if (current.version !== version) throw new StaleVersionError(current)
    await checkRules(tx, patch, current)
    if (patch.target !== undefined && JSON.stringify(patch.target) !== JSON.stringify(current.target)) await forgetTargetSize(tx, id)
    return updateRecord(tx, 'plans', id, version, { ...columns(patch), ...derived(patch, current) }, actor)
  })
}

export async function deletePlan(db: Executor, id: string, actor: Actor, version?: number): Promise<void> {
  await softDeleteRecord(db, 'plans', id, actor, version)
}

export async function restorePlan(db: Executor, id: string, actor: Actor): Promise<Plan> {
  return restoreRecord(db, 'plans', id, actor)
}

const isComplete = (p: ProgressCount) => p.target_count > 0 && p.reached_count === p.target_count

/**
 * An active plan whose every target is reached turns "achieved" when its progress is computed
 * (its page, its list, the API's progress): one audited update by the system (no user). It
 * stays achieved if a target is added or an activity deleted later; an editor may reopen it.
 */
async function promoteIfComplete(db: Executor, plan: Plan, p: ProgressCount): Promise<Plan> {
  if (plan.status !== 'active' || !isComplete(p)) return plan
  try {
    return await updateRecord(db, 'plans', plan.id, plan.version, { status: 'achieved' }, { userId: null })
  } catch (err) {
    // Someone changed the plan meanwhile: their version wins; the next view tries again.
    if (err instanceof StaleVersionError || err instanceof NotFoundError) return plan
    throw err
  }
}

/** The plan's progress, with the plan as it is after turning achieved if it just did. */
export async function progressOf(
  db: Executor,
  plan: Plan,
  today: string,
  opts: { withCoverage?: boolean } = {},
): Promise<{ plan: Plan; progress: PlanProgress }> {
  const progress = await planProgress(db, plan.id, today, opts)
  return { plan: await promoteIfComplete(db, plan, progress), progress }
}

/** Counts for a list of plans, each promoted to achieved if complete. */
export async function countsOf(db: Executor, plans: Plan[], today: string): Promise<{ plans: Plan[]; counts: Map<string, ProgressCount> }> {
  const counts = await progressCounts(db, plans.map((p) => p.id), today)
  const updated: Plan[] = []
  for (const plan of plans) updated.push(await promoteIfComplete(db, plan, counts.get(plan.id)!))
  return { plans: updated, counts }
}

export interface TargetSizeChange {
  before: { contacts: number; organisations: number }
  now: { contacts: number; organisations: number }
  changed_at: Date
}

/** How long the plan page keeps saying that the target group changed size. */
const SIZE_CHANGE_SHOWN_DAYS = 30

/**
 * Notes the target group's size as computed now, and answers with the last change of size (when
 * within SIZE_CHANGE_SHOWN_DAYS): an import that added six people to "the integration officers"
 * is worth a line on the plan page. A change of the plan's own target starts afresh
 * (`forgetTargetSize`), so only changes in the register are reported.
 */
export async function noteTargetSize(db: Executor, planId: string, now: { contacts: number; organisations: number }): Promise<TargetSizeChange | null> {
  const row = await db.selectFrom('plan_target_sizes').selectAll().where('plan_id', '=', planId).executeTakeFirst()
  if (!row) {
    await db.insertInto('plan_target_sizes').values({ plan_id: planId, ...now }).onConflict((oc) => oc.column('plan_id').doNothing()).execute()
    return null
  }
  let current = row
  if (row.contacts !== now.contacts || row.organisations !== now.organisations) {
    current = await db
      .updateTable('plan_target_sizes')
      .set({ ...now, previous_contacts: row.contacts, previous_organisations: row.organisations, changed_at: new Date(), computed_at: new Date() })
      .where('plan_id', '=', planId)
      .returningAll()
      .executeTakeFirstOrThrow()
  }
  if (current.changed_at == null || current.previous_contacts == null || current.previous_organisations == null) return null
  const changedAt = new Date(current.changed_at)
  if (Date.now() - changedAt.getTime() > SIZE_CHANGE_SHOWN_DAYS * 86_400_000) return null
  return { before: { contacts: current.previous_contacts, organisations: current.previous_organisations }, now, changed_at: changedAt }
}

/** The plan's target was edited: its size is computed afresh, without a change to report. */
export async function forgetTargetSize(db: Executor, planId: string): Promise<void> {
  await db.deleteFrom('plan_target_sizes').where('plan_id', '=', planId).execute()
}
