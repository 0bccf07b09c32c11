import type { Activity } from '../db/schema.ts'
import { createRecord, inTransaction, restoreRecord, softDeleteRecord, updateRecord, type Actor, type Executor } from '../db/write.ts'
import { missingIds, unlinkableContacts } from '../register/references.ts'
import { foldForSearch } from '../register/search-text.ts'
import { StaleVersionError, NotFoundError, ValidationError } from '../web/errors.ts'
import { swedishSortKey } from '../web/format.ts'
import { findActivity, type ActivityRecord } from './activities.repo.ts'
import type { ActivityInput, ActivityPatch, InfluenceInput, ParticipantInput, ParticipantsChange } from './activities.schema.ts'
import { editPlan, hasChanges, participantChange, replacementPlan, writePlan, type ParticipantEdit } from './participants.ts'

export { findActivity, type ActivityRecord }
export { toApiActivity } from './activities.format.ts'

type Text = 'title' | 'location' | 'outcome' | 'influence_request'

/** Derived columns kept in step with the fields they come from. */
export function derived(values: Partial<Record<Text, string | null>>, current?: Activity) {
  const pick = (k: Text) => (values[k] !== undefined ? values[k] : (current?.[k] ?? null))
  const title = pick('title') ?? ''
  return { sort_name: swedishSortKey(title), search_text: foldForSearch(title, pick('location'), pick('outcome'), pick('influence_request')) }
}

/** The API's `influence` object as the activity's influence_* columns; fields left out stay as they are. */
function influenceColumns(influence: InfluenceInput | null | undefined) {
  if (influence === undefined) return {}
  const i = influence ?? { organisation_id: null, body_id: null, request: null, result: null, evidence: null, result_date: null }
  const columns = {
    influence_organisation_id: i.organisation_id,
    influence_body_id: i.body_id,
    influence_request: i.request,
    influence_result: i.result,
    influence_evidence: i.evidence,
    influence_result_date: i.result_date,
  }
  return Object.fromEntries(Object.entries(columns).filter(([, v]) => v !== undefined).map(([k, v]) => [k, v ?? null]))
}

const requestOf = (influence: InfluenceInput | null | undefined) => (influence === null ? null : influence?.request)

async function missingRows(db: Executor, table: 'products' | 'bodies', ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return []
  const found = await db.selectFrom(table).select('id').where('id', 'in', [...ids]).where('deleted_at', 'is', null).execute()
  const live = new Set(found.map((r) => r.id))
  return ids.filter((id) => !live.has(id))
}

/** Participants naming people or organisations that do not exist (or no longer do), as field errors. */
async function checkParticipants(db: Executor, list: readonly ParticipantInput[], kept: ReadonlySet<string>, prefix: string) {
  const fields: Record<string, string> = {}
  const fresh = list.map((p, i) => ({ p, i })).filter(({ p }) => !kept.has(`${p.id}/${p.contact_id}/${p.organisation_id}`))
  const [contacts, orgs] = await Promise.all([
    unlinkableContacts(db, [...new Set(fresh.flatMap(({ p }) => (p.contact_id ? [p.contact_id] : [])))]),
    missingIds(db, 'organisations', [...new Set(fresh.flatMap(({ p }) => (p.organisation_id ? [p.organisation_id] : [])))]),
  ]).then(([c, o]) => [new Set(c), new Set(o)] as const)
  for (const { p, i } of fresh) {
    if (p.contact_id && contacts.has(p.contact_id)) fields[`${prefix}.${i}.contact_id`] = 'validation.unknown_reference'
    if (p.organisation_id && orgs.has(p.organisation_id)) fields[`${prefix}.${i}.organisation_id`] = 'validation.unknown_reference'
  }
  return fields
}

/** Checks what a single field cannot: dates in order, references that exist. */
async function checkRules(db: Executor, values: ActivityPatch, current?: ActivityRecord): Promise<void> {
  const fields: Record<string, string> = {}
  const start = values.start_date !== undefined ? values.start_date : (current?.start_date ?? null)
  const end = values.end_date !== undefined ? values.end_date : (current?.end_date ?? null)
  if (start && end && end < start) fields.end_date = 'activity.end_before_start'
  if (end && !start) fields.start_date = 'activity.end_without_start'
  if (values.theme_ids?.length && (await missingIds(db, 'themes', values.theme_ids)).length) fields.theme_ids = 'validation.unknown_reference'
  // A product or receiver kept as it was may have been deleted since: only new references must be live.
  const newProducts = (values.product_ids ?? []).filter((id) => !current?.product_ids.includes(id))
  if ((await missingRows(db, 'products', newProducts)).length) fields.product_ids = 'validation.unknown_reference'
  const inf = values.influence
  if (inf?.organisation_id && inf.organisation_id !== current?.influence_organisation_id) {
    if ((await missingIds(db, 'organisations', [inf.organisation_id])).length) fields['influence.organisation_id'] = 'validation.unknown_reference'
  }
  if (inf?.body_id && inf.body_id !== current?.influence_body_id) {
    if ((await missingRows(db, 'bodies', [inf.body_id])).length) fields['influence.body_id'] = 'validation.unknown_reference'
  }
  if (values.participants) {
    const kept = new Set(current?.participants.map((p) => `${p.id}/${p.contact_id}/${p.organisation_id}`))
    Object.assign(fields, await checkParticipants(db, values.participants, kept, 'participants'))
  }
  if (Object.keys(fields).length) throw new ValidationError(fields)
}

async function reload(tx: Executor, id: string): Promise<ActivityRecord> {
  const a = await findActivity(tx, id, { withDeleted: true })
  if (!a) throw new NotFoundError()
  return a
}

/** Records an activity with its participants and influence record: one transaction, one audit row. */
export async function createActivity(db: Executor, input: ActivityInput, actor: Actor): Promise<ActivityRecord> {
  return inTransaction(db, async (tx) => {
    await checkRules(tx, input)
    const { participants, influence, ...fields } = input
    const plan = replacementPlan([], participants)
    const row = await createRecord(
      tx, 'activities', { ...fields, ...influenceColumns(influence), ...derived({ ...fields, influence_request: requestOf(influence) }) }, actor,
      participantChange(null, plan),
    )
    await writePlan(tx, row.id, plan)
    return reload(tx, row.id)
  })
}

export async function updateActivity(
  db: Executor,
  id: string,
  version: number,
  patch: ActivityPatch,
  actor: Actor,
): Promise<ActivityRecord> {
  return inTransaction(db, async (tx) => {
    // Locked first, so the participants compared for the audit are the ones being replaced.
    const current = await findActivity(tx, id, { forUpdate: true })
    if (!current) throw new NotFoundError()
    if (current.version !== version) throw new StaleVersionError(current)
    await checkRules(tx, patch, current)
    const { participants, influence, ...fields } = patch
    const plan = participants && replacementPlan(current.participants, participants)
    const row = { ...fields, ...influenceColumns(influence), ...derived({ ...fields, influence_request: requestOf(influence) }, current) }
    await updateRecord(tx, 'activities', id, version, row, actor, plan ? participantChange(current.participants, plan) : {})
    if (plan) await writePlan(tx, id, plan)
    return reload(tx, id)
  })
}

export interface ParticipantsResult {
  activity: ActivityRecord
  added: number
  removed: number
  changed: number
  /** Asked to be added and already taking part, their attendance set to the one given (`updateExisting`). */
  updated: number
  /** Asked to be added, but already taking part (and left as they were). */
  already: number
}

/**
 * Adds, removes and marks attendance of many participants in one step (the participants page,
 * `POST /activities/:id/participants`): version-checked, and one audit row that counts the changes.
 */
export async function changeParticipants(
  db: Executor,
  id: string,
  version: number,
  edit: ParticipantEdit,
  actor: Actor,
): Promise<ParticipantsResult> {
  return inTransaction(db, async (tx) => {
    const current = await findActivity(tx, id, { forUpdate: true })
    if (!current) throw new NotFoundError()
    if (current.version !== version) throw new StaleVersionError(current)
    const ids = new Set(current.participants.map((p) => p.id))
    const fields: Record<string, string> = {}
    if (edit.remove.some((pid) => !ids.has(pid))) fields.remove = 'activity.unknown_participant'
    if (edit.attendance && edit.attendance.ids !== 'all' && edit.attendance.ids.some((pid) => !ids.has(pid))) {
      fields['set_attendance.ids'] = 'activity.unknown_participant'
    }
    Object.assign(fields, await checkParticipants(tx, edit.add, new Set(), 'add'))
    if (Object.keys(fields).length) throw new ValidationError(fields)
    const plan = editPlan(current.participants, edit)
    const counts = { added: plan.added.length, removed: plan.removed.length, changed: plan.changed.length, already: plan.already, updated: plan.updated }
    if (!hasChanges(plan)) return { activity: current, ...counts }
    await updateRecord(tx, 'activities', id, version, {}, actor, participantChange(current.participants, plan))
    await writePlan(tx, id, plan)
    return { activity: await reload(tx, id), ...counts }
  })
}

/** The API's participants action in the service's terms. */
export function editOf(change: ParticipantsChange): ParticipantEdit {
  const s = change.set_attendance
  return {
    add: change.add,
    remove: change.remove,
    attendance: s ? { ids: s.all ? 'all' : (s.ids ?? []), value: s.attendance } : undefined,
  }
}

export async function deleteActivity(db: Executor, id: string, actor: Actor, version?: number): Promise<void> {
  await softDeleteRecord(db, 'activities', id, actor, version)
}

export async function restoreActivity(db: Executor, id: string, actor: Actor): Promise<ActivityRecord> {
  return inTransaction(db, async (tx) => {
    await restoreRecord(tx, 'activities', id, actor)
    return reload(tx, id)
  })
}
