import type { Executor } from '../db/write.ts'
import { contactVisibleTo, currentAudience } from '../privacy/visibility.ts'
import type { MergeEntity } from './links.ts'

export type MergeRow = Record<string, unknown> & { id: string; version: number; created_at: Date; updated_at: Date }

/**
 * A live record the reader may merge: not deleted, and for a person one the reader may see
 * (src/privacy/visibility.ts) — a person under restricted processing is no editor's to see on
 * the compare page or to merge, as on the person's own page (404).
 */
export async function mergeable(db: Executor, entity: MergeEntity, id: string): Promise<MergeRow | undefined> {
  const row = await db
    .selectFrom(entity as 'organisations')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .$if(entity === 'contacts', (q) => q.where(contactVisibleTo(currentAudience())))
    .executeTakeFirst()
  return row as MergeRow | undefined
}
