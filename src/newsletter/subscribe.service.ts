import { sql } from 'kysely'
import { contactFromPublicForm } from '../contacts/public-form-contact.ts'
import { inTransaction, type Executor } from '../db/write.ts'
import type { Jobs } from '../jobs/jobs.ts'
import { recordConsent } from '../privacy/consents.service.ts'
import { ValidationError } from '../web/errors.ts'
import type { SubscribeInput } from './lists.schema.ts'
import { hashToken, TOKEN } from './tokens.ts'

export const CONFIRM_JOB = 'newsletter-confirm'
export const consentPurpose = (listId: string) => `newsletter:${listId}`
export const CONFIRM_DAYS = 7

/**
 * A public sign-up: the address becomes (or is matched to) a contact, each chosen list gets a
 * pending subscription, and the confirmation mail is queued in the same transaction. The answer
 * is the same whether or not the address was known, so the form reveals nobody.
 */
export async function subscribe(db: Executor, jobs: Jobs, input: SubscribeInput, consentText: string, lang: 'sv' | 'en'): Promise<void> {
  await inTransaction(db, async (tx) => {
    const listIds = [...new Set(input.list_ids)]
    const lists = await tx.selectFrom('newsletter_lists').select('id')
      .where('id', 'in', listIds).where('public', '=', true).where('deleted_at', 'is', null).execute()
    if (lists.length !== listIds.length) throw new ValidationError({ list_ids: 'newsletter.choose_list' })
    const contactId = await contactFromPublicForm(tx, input, 'newsletter.organisation_note', lang)
    for (const listId of listIds) {
      await tx.insertInto('newsletter_subscriptions')
        .values({ list_id: listId, contact_id: contactId, consent_text: consentText })
        .onConflict((oc) => oc.columns(['list_id', 'contact_id']).doUpdateSet({
          status: sql`case when newsletter_subscriptions.status = 'subscribed' then 'subscribed' else 'pending' end`,
          consent_text: consentText,
          updated_at: sql`now()`,
        }))
        .execute()
    }
    await jobs.send(CONFIRM_JOB, { contact_id: contactId, list_ids: listIds.join(','), lang }, { tx })
  })
}

export type ConfirmResult = 'confirmed' | 'already' | 'expired' | 'invalid'

/** Confirms by a token from the e-mail: once; a second use is still a success for the person. */
export async function confirmSubscription(db: Executor, token: string): Promise<ConfirmResult> {
  if (!TOKEN.test(token)) return 'invalid'
  return inTransaction(db, async (tx) => {
    const row = await tx.selectFrom('mail_tokens').selectAll()
      .where('token_hash', '=', hashToken(token)).where('purpose', '=', 'confirm').forUpdate().executeTakeFirst()
    if (!row) return 'invalid'
    if (row.used_at) return 'already'
    if (row.expires_at.getTime() < Date.now()) return 'expired'
    const confirmed = row.list_ids.length === 0 ? [] : await tx.updateTable('newsletter_subscriptions')
      .set({ status: 'subscribed', confirmed_at: sql`now()`, unsubscribed_at: null, updated_at: sql`now()` })
      .where('contact_id', '=', row.contact_id).where('list_id', 'in', row.list_ids)
      .where('status', '=', 'pending')
      .returning(['list_id', 'consent_text'])
      .execute()
    // The consent record (issue 11's): per list, with the exact text the person agreed to.
    for (const s of confirmed) {
      if (s.consent_text) await recordConsent(tx, { contact_id: row.contact_id, purpose: consentPurpose(s.list_id), method: 'form', text: s.consent_text }, { userId: null })
    }
    // A fresh, explicit opt-in lifts an earlier "no bulk e-mail".
    await tx.updateTable('mail_standing').set({ no_bulk_at: null, updated_at: sql`now()` }).where('contact_id', '=', row.contact_id).execute()
    await tx.updateTable('mail_tokens').set({ used_at: sql`now()` }).where('id', '=', row.id).execute()
    return 'confirmed'
  })
}
