import type { OrganisationRelationship } from '../db/schema.ts'
import { createRecord, inTransaction, restoreRecord, softDeleteRecord, updateRecord, type Actor, type Executor } from '../db/write.ts'
import { NotFoundError, ValidationError } from '../web/errors.ts'
import { findRelationship, lockPair, overlapping } from './relationships.repo.ts'
import { isSymmetric, type RelationshipInput } from './relationships.schema.ts'

export function toApiRelationship(r: OrganisationRelationship) {
  return {
    id: r.id,
    from_organisation_id: r.from_organisation_id,
    to_organisation_id: r.to_organisation_id,
    type: r.type,
    start_date: r.start_date,
    end_date: r.end_date,
    note: r.note,
    version: r.version,
    created_at: r.created_at.toISOString(),
    updated_at: r.updated_at.toISOString(),
  }
}

export const RELATIONSHIP_CSV_FIELDS = [
  'id', 'from_organisation_id', 'to_organisation_id', 'type', 'start_date', 'end_date', 'note', 'version', 'created_at', 'updated_at',
] as const

type Values = Pick<RelationshipInput, 'from_organisation_id' | 'to_organisation_id' | 'type' | 'start_date' | 'end_date'>

/**
 * What one field cannot check: two live, different organisations (an organisation kept as it was
 * on an update may have been deleted since), and no relationship of the same type between them
 * over a period sharing a day with this one — either way round for partner_of.
 */
async function checkRules(tx: Executor, r: Values, current?: OrganisationRelationship): Promise<void> {
  const fields: Record<string, string> = {}
  if (r.from_organisation_id === r.to_organisation_id) fields.to_organisation_id = 'relationship.self'
  if (r.start_date && r.end_date && r.end_date < r.start_date) fields.end_date = 'relationship.end_before_start'
  const live = await lockPair(tx, [r.from_organisation_id, r.to_organisation_id])
  for (const side of ['from_organisation_id', 'to_organisation_id'] as const) {
    if (!live.has(r[side]) && r[side] !== current?.[side]) fields[side] ??= 'validation.unknown_reference'
  }
  if (!Object.keys(fields).length && (await overlapping(tx, r, isSymmetric(r.type), current?.id)).length) {
    fields.start_date = 'relationship.overlap'
  }
  if (Object.keys(fields).length) throw new ValidationError(fields)
}

export async function createRelationship(db: Executor, input: RelationshipInput, actor: Actor): Promise<OrganisationRelationship> {
  return inTransaction(db, async (tx) => {
    await checkRules(tx, input)
    return createRecord(tx, 'organisation_relationships', input, actor)
  })
}

export async function updateRelationship(
  db: Executor,
  id: string,
  version: number,
  patch: Partial<RelationshipInput>,
  actor: Actor,
): Promise<OrganisationRelationship> {
  return inTransaction(db, async (tx) => {
    const current = await findRelationship(tx, id)
    if (!current) throw new NotFoundError()
    // A stale version is a conflict whatever else is wrong: updateRecord says so.
    if (current.version === version) await checkRules(tx, { ...current, ...patch }, current)
    return updateRecord(tx, 'organisation_relationships', id, version, patch, actor)
  })
}

export async function deleteRelationship(db: Executor, id: string, actor: Actor, version?: number): Promise<void> {
  await softDeleteRecord(db, 'organisation_relationships', id, actor, version)
}

/** Back as it was, unless a relationship added since covers the same period. */
export async function restoreRelationship(db: Executor, id: string, actor: Actor): Promise<OrganisationRelationship> {
  return inTransaction(db, async (tx) => {
    const r = await findRelationship(tx, id, { withDeleted: true })
    if (r?.deleted_at && (await overlapping(tx, r, isSymmetric(r.type), r.id)).length) {
      throw new ValidationError({ start_date: 'relationship.overlap' })
    }
    return restoreRecord(tx, 'organisation_relationships', id, actor)
  })
}
