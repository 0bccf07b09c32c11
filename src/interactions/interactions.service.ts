import { createRecord, inTransaction, restoreRecord, softDeleteRecord, updateRecord, type Actor, type Executor, type ExtraChanges } from '../db/write.ts'
import type { Interaction } from '../db/schema.ts'
import { missingIds, unlinkableContacts } from '../register/references.ts'
import { NotFoundError, ValidationError } from '../web/errors.ts'
import { findInteraction, writeLinks, type InteractionRecord } from './interactions.repo.ts'
import type { InteractionInput, InteractionPatch } from './interactions.schema.ts'

export type { InteractionRecord }

export function toApiInteraction(i: InteractionRecord) {
  return {
    id: i.id,
    kind: i.kind,
    occurred_on: i.occurred_on,
    summary: i.summary,
    contact_ids: i.contact_ids,
    organisation_ids: i.organisation_ids,
    follow_up_on: i.follow_up_on,
    follow_up_assignee_id: i.follow_up_assignee_id,
    follow_up_note: i.follow_up_note,
    follow_up_done: i.follow_up_done_at !== null,
    follow_up_done_at: i.follow_up_done_at?.toISOString() ?? null,
    created_by: i.created_by,
    version: i.version,
    created_at: i.created_at.toISOString(),
    updated_at: i.updated_at.toISOString(),
  }
}

export const INTERACTION_CSV_FIELDS = [
  'id', 'kind', 'occurred_on', 'summary', 'contact_ids', 'organisation_ids', 'follow_up_on', 'follow_up_assignee_id',
  'follow_up_note', 'follow_up_done_at', 'created_by', 'version', 'created_at', 'updated_at',
] as const

/** The form's own check, so that a missing link is reported together with the other fields. */
export function linkErrors(values: { contact_ids?: string[]; organisation_ids?: string[] }): Record<string, string> {
  return values.contact_ids?.length || values.organisation_ids?.length ? {} : { contact_ids: 'interaction.links_required' }
}

interface Resolved {
  contact_ids: string[]
  organisation_ids: string[]
  follow_up_on: string | null
  follow_up_assignee_id: string | null
}

/**
 * What no single field can check: at least one link, links and assignee that exist, a date for
 * an assignee, and no erased person among the contacts newly linked (`linked`: already there).
 */
async function checkReferences(db: Executor, v: Resolved, linked: readonly string[] = []): Promise<void> {
  const fields: Record<string, string> = linkErrors(v)
  if ((await missingIds(db, 'contacts', v.contact_ids)).length) fields.contact_ids = 'validation.unknown_reference'
  else if ((await unlinkableContacts(db, v.contact_ids.filter((id) => !linked.includes(id)))).length) fields.contact_ids = 'privacy.erased_link'
  if ((await missingIds(db, 'organisations', v.organisation_ids)).length) fields.organisation_ids = 'validation.unknown_reference'
  if (v.follow_up_assignee_id) {
    const user = await db.selectFrom('users').select('id').where('id', '=', v.follow_up_assignee_id)
      .where('deleted_at', 'is', null).where('active', '=', true).executeTakeFirst()
    if (!user) fields.follow_up_assignee_id = 'validation.unknown_reference'
    if (!v.follow_up_on) fields.follow_up_on = 'interaction.follow_up_date_required'
  }
  if (Object.keys(fields).length) throw new ValidationError(fields)
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x))

/** Logs a meeting, call, e-mail or note with its links in one transaction and one audit row. */
export async function createInteraction(db: Executor, input: InteractionInput, actor: Actor): Promise<InteractionRecord> {
  return inTransaction(db, async (tx) => {
    // A follow-up nobody is named for belongs to whoever logged it.
    const assignee = input.follow_up_on ? (input.follow_up_assignee_id ?? actor.userId) : input.follow_up_assignee_id
    const resolved = { ...input, follow_up_assignee_id: assignee }
    await checkReferences(tx, resolved)
    const { contact_ids, organisation_ids, ...row } = resolved
    const extra: ExtraChanges = { contact_ids: [null, contact_ids], organisation_ids: [null, organisation_ids] }
    const created = await createRecord(tx, 'interactions', { ...row, created_by: actor.userId }, actor, extra)
    await writeLinks(tx, created.id, contact_ids, organisation_ids)
    return { ...created, contact_ids, organisation_ids }
  })
}

export async function updateInteraction(
  db: Executor,
  id: string,
  version: number,
  patch: InteractionPatch,
  actor: Actor,
): Promise<InteractionRecord> {
  return inTransaction(db, async (tx) => {
    const current = await findInteraction(tx, id)
    if (!current) throw new NotFoundError()
    const { contact_ids, organisation_ids, follow_up_done, ...fields } = patch
    const resolved: Resolved = {
      contact_ids: contact_ids ?? current.contact_ids,
      organisation_ids: organisation_ids ?? current.organisation_ids,
      follow_up_on: fields.follow_up_on !== undefined ? fields.follow_up_on : current.follow_up_on,
      follow_up_assignee_id: fields.follow_up_assignee_id !== undefined ? fields.follow_up_assignee_id : current.follow_up_assignee_id,
    }
    if (resolved.follow_up_on && !resolved.follow_up_assignee_id) resolved.follow_up_assignee_id = actor.userId
    // Taking the date away takes the follow-up away, assignee included.
    if (!resolved.follow_up_on && fields.follow_up_assignee_id === undefined) resolved.follow_up_assignee_id = null
    // A stale version is a conflict, whatever else is wrong with the patch.
    if (current.version === version) await checkReferences(tx, resolved, current.contact_ids)
    const extra: ExtraChanges = {}
    if (!sameSet(resolved.contact_ids, current.contact_ids)) extra.contact_ids = [current.contact_ids, resolved.contact_ids]
    if (!sameSet(resolved.organisation_ids, current.organisation_ids)) extra.organisation_ids = [current.organisation_ids, resolved.organisation_ids]
    const row: Record<string, unknown> = { ...fields, follow_up_assignee_id: resolved.follow_up_assignee_id }
    if (follow_up_done !== undefined && follow_up_done !== (current.follow_up_done_at !== null)) row.follow_up_done_at = follow_up_done ? new Date() : null
    const updated = await updateRecord(tx, 'interactions', id, version, row, actor, extra)
    if (Object.keys(extra).length) await writeLinks(tx, id, resolved.contact_ids, resolved.organisation_ids)
    return { ...updated, contact_ids: resolved.contact_ids, organisation_ids: resolved.organisation_ids }
  })
}

/**
 * Marks the follow-up done (audited). Already done: nothing changes. `version`, when given,
 * must be current; without it the button still works after someone corrected a typo.
 */
export async function markFollowUpDone(db: Executor, id: string, actor: Actor, version?: number): Promise<InteractionRecord> {
  return inTransaction(db, async (tx) => {
    const current = await findInteraction(tx, id)
    if (!current) throw new NotFoundError()
    if (!current.follow_up_on) throw new ValidationError({ follow_up_on: 'interaction.no_follow_up' })
    if (current.follow_up_done_at && (version === undefined || version === current.version)) return current
    const updated = await updateRecord(tx, 'interactions', id, version ?? current.version, { follow_up_done_at: new Date() }, actor)
    return { ...updated, contact_ids: current.contact_ids, organisation_ids: current.organisation_ids }
  })
}

export async function deleteInteraction(db: Executor, id: string, actor: Actor, version?: number): Promise<void> {
  await softDeleteRecord(db, 'interactions', id, actor, version)
}

export async function restoreInteraction(db: Executor, id: string, actor: Actor): Promise<InteractionRecord> {
  return inTransaction(db, async (tx) => {
    await restoreRecord(tx, 'interactions', id, actor)
    const restored = await findInteraction(tx, id)
    if (!restored) throw new NotFoundError()
    return restored
  })
}
