import { sql, type Selectable } from 'kysely'
import type { SegmentsTable } from '../db/schema.ts'
import { createRecord, inTransaction, restoreRecord, softDeleteRecord, updateRecord, type Actor, type Executor, type PatchOf } from '../db/write.ts'
import { ConflictError, NotFoundError, ValidationError } from '../web/errors.ts'
import { swedishSortKey } from '../web/format.ts'
import { segmentCtes, type SegmentSource } from './segment-members.ts'
import type { SegmentDefinition, SegmentInput, SegmentPatch } from './segments.schema.ts'

export type Segment = Selectable<SegmentsTable>

export function toApiSegment(s: Segment) {
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    filter: s.filter,
    include_ids: s.include_ids,
    exclude_ids: s.exclude_ids,
    version: s.version,
    created_at: s.created_at.toISOString(),
    updated_at: s.updated_at.toISOString(),
  }
}

export async function findSegment(db: Executor, id: string, opts: { withDeleted?: boolean; forUpdate?: boolean } = {}): Promise<Segment | undefined> {
  let q = db.selectFrom('segments').selectAll().where('id', '=', id)
  if (!opts.withDeleted) q = q.where('deleted_at', 'is', null)
  if (opts.forUpdate) q = q.forUpdate()
  return q.executeTakeFirst()
}

/** The live segments by name, for pickers (a plan's target group, a list's recipients). */
export async function segmentChoices(db: Executor): Promise<{ id: string; name: string }[]> {
  return db.selectFrom('segments').select(['id', 'name']).where('deleted_at', 'is', null).orderBy('sort_name').orderBy('id').limit(1000).execute()
}

/** How many people each source has now (one row per saved segment, or one for a definition). */
export async function countMembers(db: Executor, s: SegmentSource): Promise<Map<string | null, number>> {
  const { rows } = await sql<{ segment_id: string | null; n: string }>`with ${segmentCtes(s)}
    select s.segment_id, (select count(*) from seg_members m where m.segment_id is not distinct from s.segment_id) as n
    from seg_spec s`.execute(db)
  return new Map(rows.map((r) => [r.segment_id, Number(r.n)]))
}

export async function countDefinition(db: Executor, definition: SegmentDefinition): Promise<number> {
  return (await countMembers(db, { definition })).get(null) ?? 0
}

type Referenced = 'themes' | 'organisations' | 'alliances' | 'bodies' | 'activities' | 'newsletter_lists' | 'contacts'

async function missing(db: Executor, table: Referenced, ids: readonly string[]): Promise<boolean> {
  if (ids.length === 0) return false
  const found = await (db as Executor).selectFrom(table as 'themes').select('id').where('id', 'in', [...ids]).where('deleted_at', 'is', null).execute()
  return found.length !== new Set(ids).size
}

/**
 * The references a definition names exist. A reference kept as it was may have been deleted
 * since: only new ones must be live.
 */
async function checkReferences(db: Executor, values: SegmentPatch, current?: Segment): Promise<void> {
  const fields: Record<string, string> = {}
  const added = (now: readonly string[] | undefined, before: readonly string[] | undefined) => (now ?? []).filter((id) => !(before ?? []).includes(id))
  const f = values.filter
  const before = current?.filter ?? {}
  const refs: [string, Referenced, readonly string[]][] = [
    ['theme_ids', 'themes', added(f?.theme_ids, before.theme_ids)],
    ['organisation_ids', 'organisations', added(f?.organisation_ids, before.organisation_ids)],
    ['alliance_ids', 'alliances', added(f?.alliance_ids, before.alliance_ids)],
    ['body_ids', 'bodies', added(f?.body_ids, before.body_ids)],
    ['activity_ids', 'activities', added(f?.activity_ids, before.activity_ids)],
    ['list_ids', 'newsletter_lists', added(f?.list_ids, before.list_ids)],
  ]
  for (const [key, table, ids] of refs) if (await missing(db, table, ids)) fields[`filter.${key}`] = 'validation.unknown_reference'
  if (await missing(db, 'contacts', added(values.include_ids, current?.include_ids))) fields.include_ids = 'validation.unknown_reference'
  if (await missing(db, 'contacts', added(values.exclude_ids, current?.exclude_ids))) fields.exclude_ids = 'validation.unknown_reference'
  if (Object.keys(fields).length) throw new ValidationError(fields)
}

function stored(values: SegmentPatch): PatchOf<'segments'> {
  const { filter, ...rest } = values
  return {
    ...rest,
    ...(filter ? { filter: JSON.stringify(filter) } : {}),
    ...(values.name !== undefined ? { sort_name: swedishSortKey(values.name) } : {}),
  }
}

async function reload(tx: Executor, id: string): Promise<Segment> {
  const s = await findSegment(tx, id, { withDeleted: true })
  if (!s) throw new NotFoundError()
  return s
}

export async function createSegment(db: Executor, input: SegmentInput, actor: Actor): Promise<Segment> {
  return inTransaction(db, async (tx) => {
    await checkReferences(tx, input)
    const row = await createRecord(tx, 'segments', { ...stored(input), name: input.name, sort_name: swedishSortKey(input.name) }, actor)
    return reload(tx, row.id)
  })
}

export async function updateSegment(db: Executor, id: string, version: number, patch: SegmentPatch, actor: Actor): Promise<Segment> {
  return inTransaction(db, async (tx) => {
    const current = await findSegment(tx, id, { forUpdate: true })
    if (!current) throw new NotFoundError()
    if (current.version === version) await checkReferences(tx, patch, current)
    await updateRecord(tx, 'segments', id, version, stored(patch), actor)
    return reload(tx, id)
  })
}

/** Where a segment is in use: a live plan's target group, a live newsletter list, an unsent issue. */
export async function segmentUses(db: Executor, id: string): Promise<{ plans: number; lists: number; issues: number }> {
  const { rows } = await sql<{ plans: string; lists: string; issues: string }>`select
    (select count(*) from plans where deleted_at is null and target ->> 'segment_id' = ${id}) as plans,
    (select count(*) from newsletter_lists where deleted_at is null and segment_id = ${id}) as lists,
    (select count(*) from newsletter_issues where deleted_at is null and segment_id = ${id} and status in ('draft', 'scheduled')) as issues`.execute(db)
  const r = rows[0]!
  return { plans: Number(r.plans), lists: Number(r.lists), issues: Number(r.issues) }
}

/** A segment still in use: the 409's body names where. */
export class SegmentInUseError extends ConflictError {}

/** Soft delete; refused (409) while a plan, a list or an unsent issue takes its people from it. */
export async function deleteSegment(db: Executor, id: string, actor: Actor, version?: number): Promise<void> {
  await inTransaction(db, async (tx) => {
    const current = await findSegment(tx, id, { forUpdate: true })
    if (!current) throw new NotFoundError()
    const uses = await segmentUses(tx, id)
    if (uses.plans + uses.lists + uses.issues > 0) throw new SegmentInUseError({ ...toApiSegment(current), used_by: uses }, 'segment_in_use')
    await softDeleteRecord(tx, 'segments', id, actor, version)
  })
}

export async function restoreSegment(db: Executor, id: string, actor: Actor): Promise<Segment> {
  return inTransaction(db, async (tx) => {
    await restoreRecord(tx, 'segments', id, actor)
    return reload(tx, id)
  })
}
