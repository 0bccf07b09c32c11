import type { Contact } from '../db/schema.ts'
import {
  createRecord, inTransaction, restoreRecord, softDeleteRecord, updateRecord, type Actor, type Executor, type ExtraChanges,
} from '../db/write.ts'
import { missingIds } from '../register/references.ts'
import { foldForSearch } from '../register/search-text.ts'
import { ErasedPersonError, NotFoundError, ValidationError } from '../web/errors.ts'
import { swedishSortKey } from '../web/format.ts'
import { findContact, findContactByEmail, isCurrent, type AffiliationView, type ContactRecord } from './contacts.repo.ts'
import { lacksName, type AffiliationInput, type ContactInput } from './contacts.schema.ts'
import { today } from '../register/vocabulary.ts'

export { findContact, findContactByEmail, type ContactRecord }

/** "Anna Åberg"; empty for a person whose name was erased. */
export function contactName(c: Pick<Contact, 'first_name' | 'last_name'>): string {
  return [c.first_name, c.last_name].filter(Boolean).join(' ')
}

export function toApiContact(c: ContactRecord) {
  return {
    id: c.id,
    first_name: c.first_name,
    last_name: c.last_name,
    email: c.email,
    phone: c.phone,
    title: c.title,
    categories: c.categories,
    influence: c.influence,
    interest: c.interest,
    county: c.county,
    language: c.language,
    affiliations: c.affiliations.map((a) => ({
      id: a.id,
      organisation_id: a.organisation_id,
      role: a.role,
      start_date: a.start_date,
      end_date: a.end_date,
      primary: a.is_primary,
    })),
    tags: c.tags,
    theme_ids: c.theme_ids,
    notes: c.notes,
    lawful_basis: c.lawful_basis,
    lawful_basis_note: c.lawful_basis_note,
    protected_identity: c.protected_identity,
    restricted: c.restricted,
    last_engaged_on: c.last_engaged_on ?? null,
    merged_into_id: c.merged_into_id,
    version: c.version,
    created_at: c.created_at.toISOString(),
    updated_at: c.updated_at.toISOString(),
  }
}

type Names = Pick<ContactInput, 'first_name' | 'last_name' | 'email' | 'title'>

/** Derived columns kept in step with the fields they come from. Swedish lists sort by surname. */
export function derived(values: Partial<Names>, current?: Contact) {
  const pick = <K extends keyof Names>(k: K) => (values[k] !== undefined ? values[k] : (current?.[k] ?? null))
  const [first, last] = [pick('first_name'), pick('last_name')]
  return {
    sort_name: swedishSortKey(`${last ?? ''} ${first ?? ''}`),
    search_text: foldForSearch(first, last, pick('email'), pick('title')),
  }
}

/** Without a primary one marked, a single current affiliation is the primary one. */
export function withPrimary(list: AffiliationInput[]): AffiliationInput[] {
  if (list.some((a) => a.primary)) return list
  const day = today()
  const current = list.filter((a) => isCurrent(a, day))
  return current.length === 1 ? list.map((a) => ({ ...a, primary: a === current[0] })) : list
}

type Comparable = Pick<AffiliationInput, 'organisation_id' | 'role' | 'start_date' | 'end_date'> & { primary?: boolean; is_primary?: boolean }

/** The affiliations as the audit log keeps them: without ids, in a stable order. */
function auditValue(list: readonly Comparable[]) {
  return list
    .map((a) => ({ organisation_id: a.organisation_id, role: a.role, start_date: a.start_date, end_date: a.end_date, primary: a.primary ?? a.is_primary ?? false }))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))
}

export function affiliationChange(before: readonly Comparable[], after: readonly Comparable[] | undefined): ExtraChanges {
  if (!after) return {}
  const [a, b] = [auditValue(before), auditValue(after)]
  return JSON.stringify(a) === JSON.stringify(b) ? {} : { affiliations: [before.length ? a : null, b] }
}

/** Checks what a single field cannot: a name, a unique e-mail, references that exist. */
async function checkRules(db: Executor, values: Partial<ContactInput>, current?: ContactRecord): Promise<void> {
  const fields: Record<string, string> = {}
  const first = values.first_name !== undefined ? values.first_name : current?.first_name
  const last = values.last_name !== undefined ? values.last_name : current?.last_name
  if (lacksName(first, last)) fields.first_name = fields.last_name = 'contact.name_required'
  if (values.email) {
    const other = await findContactByEmail(db, values.email)
    if (other && other.id !== current?.id) fields.email = 'validation.email_taken'
  }
  if (values.theme_ids?.length && (await missingIds(db, 'themes', values.theme_ids)).length) {
    fields.theme_ids = 'validation.unknown_reference'
  }
  // An affiliation kept as it was may name an organisation deleted since: only new links must be live.
  const kept = new Set(current?.affiliations.map((a) => `${a.id}/${a.organisation_id}`))
  const added = (values.affiliations ?? []).map((a, i) => ({ i, a })).filter(({ a }) => !kept.has(`${a.id}/${a.organisation_id}`))
  const missing = new Set(await missingIds(db, 'organisations', [...new Set(added.map(({ a }) => a.organisation_id))]))
  for (const { i, a } of added) if (missing.has(a.organisation_id)) fields[`affiliations.${i}.organisation_id`] = 'validation.unknown_reference'
  if (Object.keys(fields).length) throw new ValidationError(fields)
}

/** Makes the contact's affiliations exactly `list`, keeping the ids of those sent back. */
async function replaceAffiliations(tx: Executor, contactId: string, list: AffiliationInput[], existing: AffiliationView[]): Promise<void> {
  const unclaimed = new Set(existing.map((a) => a.id))
  const keep = list.map((a) => (a.id && unclaimed.delete(a.id) ? a.id : null))
  if (unclaimed.size) await tx.deleteFrom('affiliations').where('id', 'in', [...unclaimed]).execute()
  for (const [i, a] of list.entries()) {
    const row = { organisation_id: a.organisation_id, role: a.role, start_date: a.start_date, end_date: a.end_date, is_primary: a.primary }
    const id = keep[i]
    if (id) await tx.updateTable('affiliations').set(row).where('id', '=', id).where('contact_id', '=', contactId).execute()
    else await tx.insertInto('affiliations').values({ ...row, contact_id: contactId }).execute()
  }
}

async function reload(tx: Executor, id: string): Promise<ContactRecord> {
  const c = await findContact(tx, id, { withDeleted: true })
  if (!c) throw new NotFoundError()
  return c
}

export async function createContact(db: Executor, input: ContactInput, actor: Actor): Promise<ContactRecord> {
  return inTransaction(db, async (tx) => {
    await checkRules(tx, input)
    const { affiliations, ...fields } = input
    const list = withPrimary(affiliations)
    const row = await createRecord(tx, 'contacts', { ...fields, ...derived(fields) }, actor, affiliationChange([], list.length ? list : undefined))
    // Without affiliations the inserted row is the whole record: nothing else can point at a person
    // made in this transaction. Reading it back was three of a create's eight statements.
    if (list.length === 0) return { ...row, affiliations: [], last_engaged_on: null }
    await replaceAffiliations(tx, row.id, list, [])
    return reload(tx, row.id)
  })
}

export async function updateContact(
  db: Executor,
  id: string,
  version: number,
  patch: Partial<ContactInput>,
  actor: Actor,
): Promise<ContactRecord> {
  return inTransaction(db, async (tx) => {
    // Locked first, so the affiliations compared for the audit are the ones being replaced.
    const current = await findContact(tx, id, { forUpdate: true })
    if (!current) throw new NotFoundError()
    if (current.erased_at) throw new ErasedPersonError()
    await checkRules(tx, patch, current)
    const { affiliations, ...fields } = patch
    const list = affiliations && withPrimary(affiliations)
    await updateRecord(tx, 'contacts', id, version, { ...fields, ...derived(fields, current) }, actor, affiliationChange(current.affiliations, list))
    if (list) await replaceAffiliations(tx, id, list, current.affiliations)
    return reload(tx, id)
  })
}

export async function deleteContact(db: Executor, id: string, actor: Actor, version?: number): Promise<void> {
  await softDeleteRecord(db, 'contacts', id, actor, version)
}

export async function restoreContact(db: Executor, id: string, actor: Actor): Promise<ContactRecord> {
  return inTransaction(db, async (tx) => {
    const c = await findContact(tx, id, { withDeleted: true })
    if (c?.email) {
      const other = await findContactByEmail(tx, c.email)
      if (other && other.id !== id) throw new ValidationError({ email: 'validation.email_taken' })
    }
    await restoreRecord(tx, 'contacts', id, actor)
    return reload(tx, id)
  })
}
