import { sql, type SelectQueryBuilder } from 'kysely'
import type { Contact, Database } from '../db/schema.ts'
import type { Executor } from '../db/write.ts'
import { keysetPage, nameThenId, type KeyPart } from '../db/pagination.ts'
import { textMatch } from '../register/search-filter.ts'
import { formatDate } from '../web/format.ts'
import type { ContactQuery } from './contacts.schema.ts'
import { lastEngagedOn } from '../privacy/last-engaged.ts'

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

async function withAffiliations(db: Executor, rows: Contact[]): Promise<ContactRecord[]> {
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

type ContactSelect = SelectQueryBuilder<Database, 'contacts', Contact>

function filtered(db: Executor, f: ContactQuery): ContactSelect {
  let q = db.selectFrom('contacts').selectAll() as ContactSelect
  q = f.deleted ? q.where('deleted_at', 'is not', null).where('merged_into_id', 'is', null) : q.where('deleted_at', 'is', null)
  if (f.q) q = q.where(textMatch('contacts', f.q))
  if (f.category.length) q = q.where(sql<boolean>`categories && ${sql.val(f.category)}::text[]`)
  if (f.county.length) q = q.where('county', 'in', f.county)
  if (f.theme_id.length) q = q.where(sql<boolean>`theme_ids && ${sql.val(f.theme_id)}::uuid[]`)
  if (f.tag.length) q = q.where(sql<boolean>`tags && ${sql.val(f.tag)}::text[]`)
  if (f.organisation_id.length) {
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('affiliations')
          .select(sql`1`.as('one'))
          .whereRef('affiliations.contact_id', '=', 'contacts.id')
          .where('affiliations.organisation_id', 'in', f.organisation_id)
          .where((eb) => eb.or([eb('affiliations.end_date', 'is', null), eb('affiliations.end_date', '>=', today())])),
      ),
    )
  }
  return q
}

/** Each order ends in (Swedish name, id), so that equal sort values page in a fixed order. */
const SORT_KEY: Record<ContactQuery['sort'], KeyPart<Contact>> = {
  name: { expr: sql`sort_name`, of: (c) => c.sort_name },
  county: { expr: sql`coalesce(county, '')`, of: (c) => c.county ?? '' },
  updated: { expr: sql`updated_at`, type: 'timestamptz', of: (c) => c.updated_at.toISOString() },
}

export interface ContactPage {
  data: ContactRecord[]
  next_cursor: string | null
  total: number
}

/** One page in the chosen order, by keyset on (sort value, Swedish name, id); with the total count. */
export async function pageContacts(db: Executor, f: ContactQuery): Promise<ContactPage> {
  const page = await keysetPage(filtered(db, f), [SORT_KEY[f.sort], ...nameThenId<Contact>()], f)
  const countRow = await filtered(db, { ...f, cursor: undefined })
    .clearSelect()
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow()
  return { data: await withAffiliations(db, page.data), next_cursor: page.next_cursor, total: Number(countRow.n) }
}

export interface ContactOption {
  id: string
  first_name: string | null
  last_name: string | null
  title: string | null
}

/** For pickers: live contacts whose name, e-mail or title matches, in Swedish surname order. */
export async function contactOptions(db: Executor, q: string, limit = 30): Promise<ContactOption[]> {
  let query = db.selectFrom('contacts').select(['id', 'first_name', 'last_name', 'title']).where('deleted_at', 'is', null)
  if (q.trim()) query = query.where(textMatch('contacts', q))
  return query.orderBy('sort_name').orderBy('id').limit(limit).execute()
}

export async function organisationNames(db: Executor, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map()
  const rows = await db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', [...ids]).execute()
  return new Map(rows.map((r) => [r.id, r.name]))
}
