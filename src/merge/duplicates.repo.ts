import { sql } from 'kysely'
import type { Executor } from '../db/write.ts'
import type { MergeEntity } from './links.ts'

export interface DuplicatePair {
  a_id: string
  a_label: string
  b_id: string
  b_label: string
  reason: 'name' | 'phone'
  score: number
}

/** Names at least this alike are listed (pg_trgm similarity of the folded names), as the import does. */
const THRESHOLD = 0.6

/**
 * Likely pairs among live records, the most alike first: similar folded names, found through the
 * trigram index on search_text (word similarity of one name within the other's text), and for
 * contacts the same phone number. The same organisation number or e-mail cannot occur twice
 * among live records (unique indexes), so it needs no search here.
 */
export async function duplicatePairs(db: Executor, entity: MergeEntity, limit = 100): Promise<DuplicatePair[]> {
  const label = (t: string) => entity === 'organisations'
    ? sql.ref(`${t}.name`)
    : sql`trim(coalesce(${sql.ref(`${t}.first_name`)}, '') || ' ' || coalesce(${sql.ref(`${t}.last_name`)}, ''))`
  const folded = (t: string) => sql`lower(unaccent(${label(t)}))`
  const table = sql.table(entity)
  const phonePairs = entity === 'contacts'
    ? sql`union all
      select a.id, ${label('a')}, b.id, ${label('b')}, 'phone', 1.0 from contacts a
        join contacts b on b.phone = a.phone and b.id > a.id and b.deleted_at is null
        where a.deleted_at is null and a.phone is not null`
    : sql``
  const result = await sql<DuplicatePair>`
    select distinct on (least(a_id, b_id), greatest(a_id, b_id)) * from (
      select a.id as a_id, ${label('a')} as a_label, b.id as b_id, ${label('b')} as b_label, 'name' as reason,
             similarity(${folded('a')}, ${folded('b')}) as score
        from ${table} a
        join ${table} b on b.id <> a.id and b.deleted_at is null and ${folded('a')} <% b.search_text
        where a.deleted_at is null and ${folded('a')} <> '' and similarity(${folded('a')}, ${folded('b')}) >= ${THRESHOLD}
      ${phonePairs}
    ) pairs
    order by least(a_id, b_id), greatest(a_id, b_id), score desc`.execute(db)
  return result.rows
    .map((r) => (r.a_id < r.b_id ? r : { ...r, a_id: r.b_id, a_label: r.b_label, b_id: r.a_id, b_label: r.a_label }))
    .map((r) => ({ ...r, score: Number(r.score) }))
    .sort((x, y) => y.score - x.score || x.a_label.localeCompare(y.a_label, 'sv'))
    .slice(0, limit)
}
