import type { Expression, SqlBool } from 'kysely'
import { inTransaction, untyped, updateRecord, type Actor, type Executor } from './write.ts'

/** The tables whose records carry tags and themes and can be chosen many at a time on their list. */
export type Taggable = 'contacts' | 'organisations'

export interface Additions {
  tags?: string[]
  theme_ids?: string[]
}

/**
 * Adds tags and/or themes to many records at once (a list's selected rows), in one transaction.
 * Each record that gains one is updated at the version just read: versioned and audited as the
 * actor's update, like an edit. A record that already has them is left alone, and so is one that
 * is deleted or that `visible` leaves out (a person the reader may not see or change). Returns
 * how many changed.
 */
export async function addToMany(db: Executor, table: Taggable, ids: readonly string[], add: Additions, actor: Actor, visible?: Expression<SqlBool>): Promise<number> {
  return inTransaction(db, async (tx) => {
    let changed = 0
    for (const id of ids) {
      // `table` is one of two names: untyped (db/write.ts), its columns typed below.
      const r = (await untyped(tx)
        .selectFrom(table)
        .select(['version', 'tags', 'theme_ids'])
        .where('id', '=', id)
        .where('deleted_at', 'is', null)
        .$if(visible !== undefined, (q) => q.where(visible!))
        .executeTakeFirst()) as { version: number; tags: string[]; theme_ids: string[] } | undefined
      if (!r) continue
      const tags = [...new Set([...r.tags, ...(add.tags ?? [])])]
      const themeIds = [...new Set([...r.theme_ids, ...(add.theme_ids ?? [])])]
      if (tags.length === r.tags.length && themeIds.length === r.theme_ids.length) continue
      await updateRecord(tx, table, id, r.version, { tags, theme_ids: themeIds }, actor)
      changed++
    }
    return changed
  })
}
