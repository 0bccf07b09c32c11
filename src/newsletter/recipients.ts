import { sql, type SqlBool } from 'kysely'
import type { Executor } from '../db/write.ts'
import { segmentMemberIds } from '../segments/segment-members.ts'

/**
 * Contacts that bulk mail may go to: live (not deleted, merged away or erased), with an address,
 * not opted out of all bulk e-mail and not on hold after bounces. Protected-identity and
 * restricted people are never mailed.
 */
export function mailableContacts(db: Executor) {
  return db
    .selectFrom('contacts as c')
    .leftJoin('mail_standing as m', 'm.contact_id', 'c.id')
    .where('c.deleted_at', 'is', null)
    .where('c.merged_into_id', 'is', null)
    .where('c.erased_at', 'is', null)
    .where('c.email', 'is not', null)
    .where('c.protected_identity', '=', false)
    .where('c.restricted', '=', false)
    .where('m.no_bulk_at', 'is', null)
    .where('m.held_at', 'is', null)
}

/**
 * An issue's recipients, once each: the confirmed subscribers of its lists, the members of the
 * segments those lists take recipients from, and the members of the issue's own segment (a
 * one-off audience), as they are now.
 */
export async function issueRecipients(db: Executor, listIds: string[], segmentId: string | null = null): Promise<{ contact_id: string; email: string }[]> {
  const listSegments = listIds.length
    ? (await db.selectFrom('newsletter_lists').select('segment_id').where('id', 'in', listIds).where('deleted_at', 'is', null).where('segment_id', 'is not', null).execute())
        .map((l) => l.segment_id!)
    : []
  const segments = [...new Set([...listSegments, ...(segmentId ? [segmentId] : [])])]
  if (listIds.length === 0 && segments.length === 0) return []
  const rows = await mailableContacts(db)
    .where(({ exists, selectFrom, or }) =>
      or([
        ...(listIds.length ? [exists(
          selectFrom('newsletter_subscriptions as s')
            .select(sql`1`.as('one'))
            .whereRef('s.contact_id', '=', 'c.id')
            .where('s.status', '=', 'subscribed')
            .where('s.list_id', 'in', listIds),
        )] : []),
        ...(segments.length ? [sql<SqlBool>`c.id in (${segmentMemberIds({ ids: segments })})`] : []),
      ]),
    )
    .select(['c.id as contact_id', 'c.email'])
    .orderBy('c.id')
    .execute()
  return rows.map((r) => ({ contact_id: r.contact_id, email: r.email! }))
}
