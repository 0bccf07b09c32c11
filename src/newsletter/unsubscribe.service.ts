import { sql, type RawBuilder } from 'kysely'
import { inTransaction, type Executor } from '../db/write.ts'
import { withdrawConsent } from '../privacy/consents.service.ts'
import { consentPurpose } from './subscribe.service.ts'
import { hashToken, TOKEN } from './tokens.ts'

/** The delivery an e-mail's token stands for: whose copy of which issue, and the lists. */
export async function deliveryByToken(db: Executor, token: string) {
  if (!TOKEN.test(token)) return undefined
  return db.selectFrom('newsletter_deliveries as d')
    .innerJoin('newsletter_issues as i', 'i.id', 'd.issue_id')
    .select(['d.id', 'd.contact_id', 'd.issue_id', 'i.list_ids'])
    .where('d.token_hash', '=', hashToken(token))
    .executeTakeFirst()
}

async function standing(tx: Executor, contactId: string, set: { no_bulk_at?: RawBuilder<Date>; hard_bounces?: RawBuilder<number> }) {
  await tx.insertInto('mail_standing').values({ contact_id: contactId })
    .onConflict((oc) => oc.column('contact_id').doNothing()).execute()
  await tx.updateTable('mail_standing').set({ ...set, updated_at: sql`now()` }).where('contact_id', '=', contactId).execute()
}

export type UnsubscribeScope = { kind: 'issue' } | { kind: 'list'; listId: string } | { kind: 'all' }

/**
 * Leaves the lists (one-click), one list, or all bulk e-mail ("no bulk e-mail" is kept on
 * the address, apart from the lists, and only a fresh confirmed sign-up lifts it). At once.
 */
export async function unsubscribe(db: Executor, token: string, scope: UnsubscribeScope): Promise<boolean> {
  const delivery = await deliveryByToken(db, token)
  if (!delivery) return false
  await inTransaction(db, async (tx) => {
    if (scope.kind === 'all') {
      await standing(tx, delivery.contact_id, { no_bulk_at: sql<Date>`coalesce(no_bulk_at, now())` })
      await withdrawNewsletterConsents(tx, delivery.contact_id, null)
      return
    }
    const lists = scope.kind === 'list' ? [scope.listId] : delivery.list_ids
    if (lists.length === 0) return
    await tx.updateTable('newsletter_subscriptions')
      .set({ status: 'unsubscribed', unsubscribed_at: sql`now()`, updated_at: sql`now()` })
      .where('contact_id', '=', delivery.contact_id).where('list_id', 'in', lists).where('status', '!=', 'unsubscribed')
      .execute()
    await withdrawNewsletterConsents(tx, delivery.contact_id, lists)
  })
  return true
}

/** Leaving a list withdraws its consent (all newsletter consents when `lists` is null). */
async function withdrawNewsletterConsents(tx: Executor, contactId: string, lists: string[] | null) {
  let q = tx.selectFrom('consents').select('id').where('contact_id', '=', contactId).where('withdrawn_at', 'is', null)
  q = lists ? q.where('purpose', 'in', lists.map(consentPurpose)) : q.where('purpose', 'like', 'newsletter:%')
  for (const c of await q.execute()) await withdrawConsent(tx, contactId, c.id, { method: 'email' }, { userId: null })
}

/** The lists a person is subscribed to, for the unsubscribe page's choices. */
export async function subscribedLists(db: Executor, contactId: string) {
  return db.selectFrom('newsletter_subscriptions as s').innerJoin('newsletter_lists as l', 'l.id', 's.list_id')
    .select(['l.id', 'l.name']).where('s.contact_id', '=', contactId).where('s.status', '=', 'subscribed')
    .where('l.deleted_at', 'is', null).orderBy('l.name').execute()
}

/**
 * A hard bounce counts against the address; after `holdAfter` of them it is put on hold. One copy
 * bounces once: a report about a copy already counted (the same message read again from the
 * mailbox, a duplicate report) changes nothing.
 */
export async function recordHardBounce(db: Executor, token: string, holdAfter: number): Promise<'held' | 'counted' | 'already_counted' | 'unknown'> {
  const delivery = await deliveryByToken(db, token)
  if (!delivery) return 'unknown'
  return inTransaction(db, async (tx) => {
    // The row lock makes a second report about this copy wait, then find it counted.
    const first = await tx.updateTable('newsletter_deliveries').set({ status: 'failed', error: 'bounced' })
      .where('id', '=', delivery.id).where((eb) => eb('error', 'is', null).or('error', '!=', 'bounced'))
      .returning('id').executeTakeFirst()
    if (!first) return 'already_counted'
    await standing(tx, delivery.contact_id, { hard_bounces: sql<number>`hard_bounces + 1` })
    const row = await tx.updateTable('mail_standing')
      .set({ held_at: sql`coalesce(held_at, now())` })
      .where('contact_id', '=', delivery.contact_id).where('hard_bounces', '>=', holdAfter)
      .returning('held_at').executeTakeFirst()
    return row ? 'held' : 'counted'
  })
}
