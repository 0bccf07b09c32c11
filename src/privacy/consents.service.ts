import { createHash } from 'node:crypto'
import { sql } from 'kysely'
import type { ConsentMethod } from '../db/schema.ts'
import { audit, inTransaction, type Actor, type Executor } from '../db/write.ts'
import { ConflictError, ErasedPersonError, NotFoundError } from '../web/errors.ts'

export interface ConsentInput {
  contact_id: string
  /** What the person agreed to, e.g. `newsletter:<list id>` or `public_contact_point`. */
  purpose: string
  given_at?: Date | string | undefined
  method: ConsentMethod
  /** The exact wording shown to the person; stored once per distinct text and referenced. */
  text: string
}

export interface ConsentView {
  id: string
  contact_id: string
  purpose: string
  given_at: string
  method: ConsentMethod
  text: string
  text_hash: string
  text_version: number
  withdrawn_at: string | null
  withdrawn_method: string | null
}

export function consentTextHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex')
}

/** The stored text with this wording (made the next version of its purpose if new). */
async function textId(tx: Executor, purpose: string, text: string): Promise<string> {
  const hash = consentTextHash(text)
  const found = await tx.selectFrom('consent_texts').select('id').where('hash', '=', hash).executeTakeFirst()
  if (found) return found.id
  const { rows } = await sql<{ v: number }>`select coalesce(max(version), 0)::int + 1 as v from consent_texts where purpose = ${purpose}`.execute(tx)
  const row = await tx
    .insertInto('consent_texts')
    .values({ purpose, version: rows[0]!.v, hash, text })
    .onConflict((oc) => oc.column('hash').doNothing())
    .returning('id')
    .executeTakeFirst()
  if (row) return row.id
  return (await tx.selectFrom('consent_texts').select('id').where('hash', '=', hash).executeTakeFirstOrThrow()).id
}

/**
 * Records that a person gave consent, with the exact text they agreed to, audited on the
 * contact. The one way to record consent: the newsletter sign-up (outreach) calls this too,
 * e.g. `recordConsent(tx, { contact_id, purpose: 'newsletter', method: 'form', text }, actor)`
 * inside its own transaction. Returns the consent as the API shows it.
 */
export async function recordConsent(db: Executor, input: ConsentInput, actor: Actor): Promise<ConsentView> {
  return inTransaction(db, async (tx) => {
    const contact = await tx.selectFrom('contacts').select(['id', 'erased_at']).where('id', '=', input.contact_id).where('deleted_at', 'is', null).executeTakeFirst()
    if (!contact) throw new NotFoundError()
    if (contact.erased_at) throw new ErasedPersonError()
    const text_id = await textId(tx, input.purpose, input.text)
    const row = await tx
      .insertInto('consents')
      .values({
        contact_id: input.contact_id, purpose: input.purpose, given_at: input.given_at ?? new Date(), method: input.method, text_id,
        created_by: actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await audit(tx, actor, 'contact', input.contact_id, 'update', { consent: [null, { id: row.id, purpose: input.purpose, method: input.method }] })
    return (await consentsOf(tx, input.contact_id)).find((c) => c.id === row.id)!
  })
}

/** Marks a consent withdrawn (once); audited on the contact. */
export async function withdrawConsent(
  db: Executor, contactId: string, consentId: string, how: { method: ConsentView['withdrawn_method']; at?: Date | string | undefined }, actor: Actor,
): Promise<ConsentView> {
  return inTransaction(db, async (tx) => {
    const row = await tx.selectFrom('consents').select(['id', 'withdrawn_at', 'purpose'])
      .where('id', '=', consentId).where('contact_id', '=', contactId).forUpdate().executeTakeFirst()
    if (!row) throw new NotFoundError()
    if (row.withdrawn_at) throw new ConflictError(undefined, 'privacy.consent_already_withdrawn')
    const at = how.at ?? new Date()
    await tx.updateTable('consents').set({ withdrawn_at: at, withdrawn_method: (how.method ?? 'other') as ConsentMethod }).where('id', '=', consentId).execute()
    await audit(tx, actor, 'contact', contactId, 'update', { consent_withdrawn: [null, { id: consentId, purpose: row.purpose, method: how.method ?? 'other' }] })
    return (await consentsOf(tx, contactId)).find((c) => c.id === consentId)!
  })
}

/** A person's consents, newest first, each with the text agreed to. */
export async function consentsOf(db: Executor, contactId: string): Promise<ConsentView[]> {
  const rows = await db
    .selectFrom('consents')
    .innerJoin('consent_texts', 'consent_texts.id', 'consents.text_id')
    .select([
      'consents.id', 'consents.contact_id', 'consents.purpose', 'consents.given_at', 'consents.method', 'consents.withdrawn_at', 'consents.withdrawn_method',
      'consent_texts.text', 'consent_texts.hash', 'consent_texts.version',
    ])
    .where('consents.contact_id', '=', contactId)
    .orderBy('consents.given_at', 'desc')
    .orderBy('consents.id', 'desc')
    .execute()
  return rows.map((r) => ({
    id: r.id, contact_id: r.contact_id, purpose: r.purpose, given_at: new Date(r.given_at).toISOString(), method: r.method, text: r.text,
    text_hash: r.hash, text_version: r.version, withdrawn_at: r.withdrawn_at ? new Date(r.withdrawn_at).toISOString() : null,
    withdrawn_method: r.withdrawn_method,
  }))
}

/** Whether the person has a live (given, not withdrawn) consent for `purpose`. */
export async function hasConsent(db: Executor, contactId: string, purpose: string): Promise<boolean> {
  const row = await db.selectFrom('consents').select('id').where('contact_id', '=', contactId).where('purpose', '=', purpose)
    .where('withdrawn_at', 'is', null).executeTakeFirst()
  return !!row
}
