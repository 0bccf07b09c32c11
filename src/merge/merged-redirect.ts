import type { Executor } from '../db/write.ts'

/**
 * Where a merged-away record lives on: follows merged_into_id (a chain, bounded) to the live
 * survivor. Old links and bookmarks to the merged record then still lead somewhere.
 */
export async function survivorOf(db: Executor, table: 'organisations' | 'contacts', id: string): Promise<string | undefined> {
  let current = id
  for (let hop = 0; hop < 10; hop++) {
    const row = await db.selectFrom(table).select(['merged_into_id', 'deleted_at']).where('id', '=', current).executeTakeFirst()
    if (!row) return undefined
    if (!row.deleted_at) return current === id ? undefined : current
    if (!row.merged_into_id) return undefined
    current = row.merged_into_id
  }
  return undefined
}
