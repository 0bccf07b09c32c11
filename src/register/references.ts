import type { Executor } from '../db/write.ts'

/** The ids in `ids` that name no live row of `table` (themes, organisations, contacts, projects, products). */
export async function missingIds(db: Executor, table: 'themes' | 'organisations' | 'contacts' | 'projects' | 'products', ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return []
  const found = await db.selectFrom(table).select('id').where('id', 'in', [...ids]).where('deleted_at', 'is', null).execute()
  const live = new Set(found.map((r) => r.id))
  return ids.filter((id) => !live.has(id))
}

/** Whether any of these contacts was erased: nothing new may be linked to an anonymous record. */
export async function anyErased(db: Executor, ids: readonly string[]): Promise<boolean> {
  if (ids.length === 0) return false
  return Boolean(await db.selectFrom('contacts').select('id').where('id', 'in', [...ids]).where('erased_at', 'is not', null).limit(1).executeTakeFirst())
}
