import { sql } from 'kysely'
import type { Contact } from '../db/schema.ts'
import type { Executor } from '../db/write.ts'
import { textMatch } from '../register/search-filter.ts'
import { formatDate } from '../web/format.ts'
import { lastEngagedOn } from '../privacy/last-engaged.ts'
import { contactVisibleTo, type Audience } from '../privacy/visibility.ts'

export interface AffiliationView {
  id: string
  contact_id: string
  organisation_id: string
  organisation_name: string
  role: string | null
  start_date: string | null
  end_date: string | null
  is_primary: boolean
}

/** A contact with its affiliations: one record to the API, the forms and the audit log. */
export type ContactRecord = Contact & { affiliations: AffiliationView[]; last_engaged_on?: string | null }

/** Today in Sweden, as YYYY-MM-DD: the day that decides whether an affiliation is current. */
export function today(): string {
  return formatDate(new Date())
}

export function isCurrent(a: { end_date: string | null }, day = today()): boolean {
  return !a.end_date || a.end_date >= day
}

/** The affiliations of each contact: current before former, the latest start first. */
export async function affiliationsOf(db: Executor, contactIds: readonly string[]): Promise<Map<string, AffiliationView[]>> {
  const out = new Map<string, AffiliationView[]>(contactIds.map((id) => [id, []]))
  if (contactIds.length === 0) return out
  const rows = await db
    .selectFrom('affiliations')
    .innerJoin('organisations', 'organisations.id', 'affiliations.organisation_id')
    .select([
      'affiliations.id', 'affiliations.contact_id', 'affiliations.organisation_id', 'organisations.name as organisation_name',
      'affiliations.role', 'affiliations.start_date', 'affiliations.end_date', 'affiliations.is_primary',
    ])
    .where('affiliations.contact_id', 'in', [...contactIds])
    .orderBy(sql`affiliations.end_date desc nulls first`)
    .orderBy(sql`affiliations.start_date desc nulls last`)
    .orderBy('organisations.sort_name')
    .execute()
  for (const r of rows) out.get(r.contact_id)?.push(r)
  return out
}

export async function withAffiliations(db: Executor, rows: Contact[]): Promise<ContactRecord[]> {
  const ids = rows.map((r) => r.id)
  const [byContact, engaged] = await Promise.all([affiliationsOf(db, ids), lastEngagedOn(db, ids)])
  return rows.map((r) => ({ ...r, affiliations: byContact.get(r.id) ?? [], last_engaged_on: engaged.get(r.id) ?? null }))
}

export async function findContact(
  db: Executor,
  id: string,
  opts: { withDeleted?: boolean; forUpdate?: boolean } = {},
): Promise<ContactRecord | undefined> {
  let q = db.selectFrom('contacts').selectAll().where('id', '=', id)
  if (!opts.withDeleted) q = q.where('deleted_at', 'is', null)
  if (opts.forUpdate) q = q.forUpdate()
  const row = await q.executeTakeFirst()
  return row && (await withAffiliations(db, [row]))[0]
}

/** The live contact with this e-mail address, whatever its case. */
export async function findContactByEmail(db: Executor, email: string): Promise<ContactRecord | undefined> {
  const row = await db
    .selectFrom('contacts')
    .selectAll()
    .where(sql<boolean>`lower(email) = lower(${email.trim()})`)
    .where('deleted_at', 'is', null)
    .executeTakeFirst()
  return row && (await withAffiliations(db, [row]))[0]
}

export interface ContactOption {
  id: string
  first_name: string | null
  last_name: string | null
  title: string | null
}

/** For pickers: live contacts whose name, e-mail or title matches, in Swedish surname order. */
export async function contactOptions(db: Executor, q: string, limit = 30, audience: Audience = 'editor'): Promise<ContactOption[]> {
  let query = db.selectFrom('contacts').select(['id', 'first_name', 'last_name', 'title']).where('deleted_at', 'is', null).where(contactVisibleTo(audience))
  if (q.trim()) query = query.where(textMatch('contacts', q))
  return query.orderBy('sort_name').orderBy('id').limit(limit).execute()
}

export async function organisationNames(db: Executor, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map()
  const rows = await db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', [...ids]).execute()
  return new Map(rows.map((r) => [r.id, r.name]))
}
