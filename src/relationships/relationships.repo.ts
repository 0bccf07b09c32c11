import { sql } from 'kysely'
import type { OrganisationRelationship, RelationshipType } from '../db/schema.ts'
import type { Executor } from '../db/write.ts'
import type { Period } from '../register/period.ts'
import { relationOf, type Relation } from './relationships.schema.ts'

export async function findRelationship(db: Executor, id: string, opts: { withDeleted?: boolean } = {}): Promise<OrganisationRelationship | undefined> {
  let q = db.selectFrom('organisation_relationships').selectAll().where('id', '=', id)
  if (!opts.withDeleted) q = q.where('deleted_at', 'is', null)
  return q.executeTakeFirst()
}

/**
 * One page in the order they were added, by keyset on (created_at, id). The cursor keeps the
 * timestamp as the database wrote it: a JavaScript Date would cut its microseconds.
 */
/**
 * Live relationships of this type between the two organisations (either way round for a
 * symmetric type) whose period shares a day with `period` (open ends reach forever).
 */
export async function overlapping(
  db: Executor,
  r: { from_organisation_id: string; to_organisation_id: string; type: RelationshipType } & Period,
  symmetric: boolean,
  exceptId?: string,
): Promise<string[]> {
  let q = db
    .selectFrom('organisation_relationships')
    .select('id')
    .where('deleted_at', 'is', null)
    .where('type', '=', r.type)
    .where((eb) => {
      const same = eb.and([eb('from_organisation_id', '=', r.from_organisation_id), eb('to_organisation_id', '=', r.to_organisation_id)])
      const reversed = eb.and([eb('from_organisation_id', '=', r.to_organisation_id), eb('to_organisation_id', '=', r.from_organisation_id)])
      return symmetric ? eb.or([same, reversed]) : same
    })
  if (r.end_date) q = q.where((eb) => eb.or([eb('start_date', 'is', null), eb('start_date', '<=', r.end_date)]))
  if (r.start_date) q = q.where((eb) => eb.or([eb('end_date', 'is', null), eb('end_date', '>=', r.start_date)]))
  if (exceptId) q = q.where('id', '!=', exceptId)
  return (await q.execute()).map((row) => row.id)
}

/** A relationship seen from one of its organisations. */
export interface RelationView extends Period {
  id: string
  version: number
  type: RelationshipType
  relation: Relation
  other_id: string
  other_name: string
  note: string | null
}

/**
 * The relationships of `organisationId` with live organisations, worded from its side: open
 * ones first, then the latest ended; within those, the oldest start first.
 */
export async function relationsOf(db: Executor, organisationId: string, opts: { deleted?: boolean } = {}): Promise<RelationView[]> {
  const rows = await db
    .selectFrom('organisation_relationships as r')
    .innerJoin('organisations as o', (join) =>
      join.on((eb) => eb.or([
        eb.and([eb('r.from_organisation_id', '=', organisationId), eb('o.id', '=', eb.ref('r.to_organisation_id'))]),
        eb.and([eb('r.to_organisation_id', '=', organisationId), eb('o.id', '=', eb.ref('r.from_organisation_id'))]),
      ])),
    )
    .select(['r.id', 'r.version', 'r.type', 'r.from_organisation_id', 'r.start_date', 'r.end_date', 'r.note', 'o.id as other_id', 'o.name as other_name'])
    .where('r.deleted_at', opts.deleted ? 'is not' : 'is', null)
    .where('o.deleted_at', 'is', null)
    .where('o.id', '!=', organisationId)
    .orderBy(sql`r.end_date desc nulls first`)
    .orderBy(sql`r.start_date asc nulls first`)
    .orderBy('o.sort_name')
    .orderBy('r.id')
    .execute()
  return rows.map(({ from_organisation_id, ...r }) => ({ ...r, relation: relationOf(r.type, from_organisation_id !== organisationId) }))
}

/** Both organisations, live, locked until the transaction ends: two writes about one pair take turns. */
export async function lockPair(db: Executor, ids: readonly string[]): Promise<Set<string>> {
  const rows = await db
    .selectFrom('organisations')
    .select('id')
    .where('id', 'in', [...new Set(ids)])
    .where('deleted_at', 'is', null)
    .orderBy('id')
    .forNoKeyUpdate()
    .execute()
  return new Set(rows.map((r) => r.id))
}
