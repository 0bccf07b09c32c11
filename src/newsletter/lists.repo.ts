import { sql } from 'kysely'
import { contactVisibleTo } from '../privacy/visibility.ts'
import type { Executor } from '../db/write.ts'

export async function listLists(db: Executor, opts: { publicOnly?: boolean } = {}) {
  let q = db.selectFrom('newsletter_lists').selectAll().where('deleted_at', 'is', null)
  if (opts.publicOnly) q = q.where('public', '=', true)
  return q.orderBy('name').orderBy('id').execute()
}

export async function findList(db: Executor, id: string) {
  return db.selectFrom('newsletter_lists').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst()
}

export type SubscriberStatus = 'pending' | 'subscribed' | 'unsubscribed' | 'held'

/** A list's subscribers; an address on hold after bounces shows as `held` whatever it chose. */
export async function subscribers(db: Executor, listId: string) {
  const rows = await db
    .selectFrom('newsletter_subscriptions as s')
    .innerJoin('contacts as c', 'c.id', 's.contact_id')
    .leftJoin('mail_standing as m', 'm.contact_id', 's.contact_id')
    .select(['s.contact_id', 'c.email', 's.status', 's.confirmed_at', 'm.held_at', 'm.no_bulk_at'])
    .where('s.list_id', '=', listId)
    .where('c.deleted_at', 'is', null)
    // A mailing list holds no protected or restricted person, whoever reads it (src/privacy/visibility.ts).
    .where(contactVisibleTo('export', 'c'))
    .orderBy(sql`lower(c.email)`)
    .orderBy('s.contact_id')
    .execute()
  return rows.map((r) => ({
    contact_id: r.contact_id,
    email: r.email,
    status: (r.held_at && r.status === 'subscribed' ? 'held' : r.no_bulk_at && r.status === 'subscribed' ? 'unsubscribed' : r.status) as SubscriberStatus,
    confirmed_at: r.confirmed_at ? r.confirmed_at.toISOString() : null,
  }))
}
