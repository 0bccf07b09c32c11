import { sql } from 'kysely'
import type { Executor } from '../db/write.ts'
import { anonymiseContact } from './anonymise.ts'
import { readErasures } from './erasure-log.ts'

export interface ReplaySummary {
  anonymised: number
  restricted: number
  unrestricted: number
}

/**
 * Applies the erasure log to the database again: anyone anonymised is anonymised again (by the
 * system), and each person's latest restriction state is restored. Run at every start and after
 * `npm run restore`; a database that already reflects the log is left as it is.
 */
export async function replayErasureLog(db: Executor, file: string): Promise<ReplaySummary> {
  const summary: ReplaySummary = { anonymised: 0, restricted: 0, unrestricted: 0 }
  const entries = readErasures(file)
  if (!entries.length) return summary
  const anonymise = new Map<string, string | null>()
  const restriction = new Map<string, boolean>()
  for (const e of entries) {
    if (e.mode === 'anonymise') anonymise.set(e.contact_id, e.decision_id ?? null)
    else restriction.set(e.contact_id, e.mode === 'restrict')
  }
  for (const [id, decisionId] of anonymise) {
    await db.transaction().execute(async (tx) => {
      const row = await tx.selectFrom('contacts').select(['erased_at']).where('id', '=', id).forUpdate().executeTakeFirst()
      if (!row || row.erased_at) return
      // The decision may be newer than the backup: the erasure stands without the reference.
      const decision = decisionId ? await tx.selectFrom('retention_decisions').select('id').where('id', '=', decisionId).executeTakeFirst() : undefined
      await anonymiseContact(tx, id, decision?.id ?? null, { userId: null })
      summary.anonymised++
    })
  }
  for (const [id, restricted] of restriction) {
    if (anonymise.has(id)) continue
    const res = await sql`update contacts set restricted = ${restricted}, version = version + 1, updated_at = now()
      where id = ${id} and restricted <> ${restricted} and erased_at is null`.execute(db)
    if (Number(res.numAffectedRows ?? 0) > 0) {
      await db.insertInto('audit_log').values({ user_id: null, entity_type: 'contact', entity_id: id, action: 'restrict', changes: JSON.stringify({ restricted: [!restricted, restricted] }) }).execute()
      summary[restricted ? 'restricted' : 'unrestricted']++
    }
  }
  return summary
}
