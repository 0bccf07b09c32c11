import { sql } from 'kysely'
import { audit, inTransaction, type Actor, type Executor } from '../db/write.ts'
import { NotFoundError } from '../web/errors.ts'

/**
 * Restriction of processing (GDPR art. 18): the record stays, but leaves lists, search,
 * mailings, exports and the graph for everyone but admins (src/privacy/visibility.ts).
 * Reversible; both directions are audited as `restrict`. Returns whether anything changed.
 */
export async function setRestricted(db: Executor, contactId: string, restricted: boolean, actor: Actor): Promise<boolean> {
  return inTransaction(db, async (tx) => {
    const row = await tx.selectFrom('contacts').select(['restricted', 'erased_at']).where('id', '=', contactId).where('deleted_at', 'is', null).forUpdate().executeTakeFirst()
    if (!row) throw new NotFoundError()
    if (row.restricted === restricted || row.erased_at) return false
    await tx.updateTable('contacts').set({ restricted, version: sql`version + 1`, updated_at: sql`now()` }).where('id', '=', contactId).execute()
    await audit(tx, actor, 'contact', contactId, 'restrict', { restricted: [!restricted, restricted] })
    return true
  })
}
