import { sql } from 'kysely'
import type { Executor } from '../db/write.ts'

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

/** The confirmed subscribers of any of these lists, once each. */
export async function issueRecipients(db: Executor, listIds: string[]): Promise<{ contact_id: string; email: string }[]> {
  if (listIds.length === 0) return []
  const rows = await mailableContacts(db)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('newsletter_subscriptions as s')
          .select(sql`1`.as('one'))
          .whereRef('s.contact_id', '=', 'c.id')
          .where('s.status', '=', 'subscribed')
          .where('s.list_id', 'in', listIds),
      ),
    )
    .select(['c.id as contact_id', 'c.email'])
    .orderBy('c.id')
    .execute()
  return rows.map((r) => ({ contact_id: r.contact_id, email: r.email! }))
}
