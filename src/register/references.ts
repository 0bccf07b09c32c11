import { sql } from 'kysely'
import type { Executor } from '../db/write.ts'

/**
 * The ids in `ids` that name no live row of `table` (themes, organisations, contacts, projects,
 * products). `erased: false` also counts an erased person as missing (unlinkableContacts).
 */
export async function missingIds(db: Executor, table: 'themes' | 'organisations' | 'contacts' | 'projects' | 'products', ids: readonly string[], opts: { erased?: false } = {}): Promise<string[]> {
  if (ids.length === 0) return []
  const found = await db.selectFrom(table).select('id').where('id', 'in', [...ids]).where('deleted_at', 'is', null)
    .$if(opts.erased === false, (q) => q.where(sql<boolean>`erased_at is null`)).execute()
  const live = new Set(found.map((r) => r.id))
  return ids.filter((id) => !live.has(id))
}

/**
 * The contacts among `ids` that cannot be newly linked to anything (a note, a participation, a
 * seat, a membership): none live, or erased — an erased person's record stays an anonymous node,
 * and a new link would say who they were.
 */
export const unlinkableContacts = (db: Executor, ids: readonly string[]): Promise<string[]> => missingIds(db, 'contacts', ids, { erased: false })
