import { sql, type SelectQueryBuilder, type SqlBool } from 'kysely'
import { z } from 'zod'
import type { Database } from '../db/schema.ts'
import { likePattern, manyOf, searchQuery } from '../register/list-query.ts'
import { foldedContains } from '../register/search-filter.ts'
import { defineList, filter } from '../web/list.ts'
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

export const SUBSCRIBER_STATUSES = ['pending', 'subscribed', 'unsubscribed', 'held'] as const
export type SubscriberStatus = (typeof SUBSCRIBER_STATUSES)[number]

/** What a subscription amounts to: an address on hold after bounces is `held`, one on "no bulk e-mail" `unsubscribed`, whatever it chose. */
const STATUS = sql<SubscriberStatus>`(case when s.status = 'subscribed' and m.held_at is not null then 'held'
  when s.status = 'subscribed' and m.no_bulk_at is not null then 'unsubscribed' else s.status end)`
const EMAIL_KEY = sql<string>`coalesce(lower(c.email), '')`

export type SubscriberRow = { contact_id: string; email: string | null; status: SubscriberStatus; confirmed_at: Date | null; email_key: string }

export const toApiSubscriber = (r: SubscriberRow) => ({
  contact_id: r.contact_id, email: r.email, status: r.status, confirmed_at: r.confirmed_at ? r.confirmed_at.toISOString() : null,
})

/**
 * A list's subscribers — API pages and CSV: by address, filtered by status and a search on
 * address or name. The route sets `list_id` (the list in its path) whatever the query says.
 */
export const subscriberList = defineList({
  path: '/api/v1/newsletter/lists/subscribers',
  filters: {
    list_id: filter(z.uuid().optional(), (v) => sql<SqlBool>`s.list_id = ${v}::uuid`),
    status: filter(manyOf(z.enum(SUBSCRIBER_STATUSES)), (v) => sql<SqlBool>`${STATUS} = any(${sql.val(v)})`),
    // The name folded as every search folds it: "bjorn" finds Bjørn.
    q: filter(searchQuery, (v) => sql<SqlBool>`(c.email ilike ${likePattern(v)} or ${foldedContains(sql`coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')`, v)})`),
  },
  sorts: {
    email: [
      { expr: EMAIL_KEY, of: (r: SubscriberRow) => r.email_key },
      { expr: sql`s.contact_id`, type: 'uuid', of: (r: SubscriberRow) => r.contact_id },
    ],
  },
  defaultSort: 'email',
  from: (db) => db
    .selectFrom('newsletter_subscriptions as s')
    .innerJoin('contacts as c', 'c.id', 's.contact_id')
    .leftJoin('mail_standing as m', 'm.contact_id', 's.contact_id')
    .select(['s.contact_id', 'c.email', STATUS.as('status'), 's.confirmed_at', EMAIL_KEY.as('email_key')])
    .where('c.deleted_at', 'is', null)
    // A mailing list holds no protected or restricted person, whoever reads it (src/privacy/visibility.ts).
    .where(contactVisibleTo('export', 'c')) as unknown as SelectQueryBuilder<Database, any, SubscriberRow>,
  toApi: toApiSubscriber,
  csv: { filename: 'subscribers.csv', columns: ['contact_id', 'email', 'status', 'confirmed_at'] },
})
