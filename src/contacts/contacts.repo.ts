import { sql, type RawBuilder } from 'kysely'
import type { Contact } from '../db/schema.ts'
import type { Executor } from '../db/write.ts'
import { MANY_ROWS } from '../db/many-rows.ts'
import { textMatch } from '../register/search-filter.ts'
import { today } from '../register/vocabulary.ts'
import { lastEngagedExpr } from '../privacy/last-engaged.ts'
import { contactVisibleTo, currentAudience, type Audience } from '../privacy/visibility.ts'
import { personContextSql } from './person-context.ts'

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

export function isCurrent(a: { end_date: string | null }, day = today()): boolean {
  return !a.end_date || a.end_date >= day
}

/**
 * The affiliations of one contact (`contactId`, an SQL expression) as a JSON array, current before
 * former, the latest start first: the same value from every read of a contact, and part of the
 * statement that reads the rest (withAffiliations) rather than a statement of its own.
 */
function affiliationsJson(contactId: RawBuilder<unknown>) {
  return sql<AffiliationView[]>`coalesce((
    select json_agg(json_build_object(
        'id', af.id, 'contact_id', af.contact_id, 'organisation_id', af.organisation_id, 'organisation_name', o.name,
        'role', af.role, 'start_date', af.start_date, 'end_date', af.end_date, 'is_primary', af.is_primary)
      order by af.end_date desc nulls first, af.start_date desc nulls last, o.sort_name)
    from affiliations af join organisations o on o.id = af.organisation_id
    where af.contact_id = ${contactId}), '[]'::json)`
}

/** The affiliations of each contact: current before former, the latest start first. */
export async function affiliationsOf(db: Executor, contactIds: readonly string[]): Promise<Map<string, AffiliationView[]>> {
  if (contactIds.length === 0) return new Map()
  // One row for every id asked for: those without affiliations get '[]'.
  const { rows } = await sql<{ id: string; affiliations: AffiliationView[] }>`
    select c.id, ${affiliationsJson(sql`c.id`)} as affiliations
    from unnest(${sql.val([...contactIds])}::uuid[]) as c(id)`.execute(db)
  return new Map(rows.map((r) => [r.id, r.affiliations]))
}

/**
 * The names of the organisations each contact works at today, in affiliationsOf's order (the
 * contact list's CSV column): one query for all of `contactIds`.
 */
export async function currentOrganisationNames(db: Executor, contactIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>()
  if (contactIds.length === 0) return out
  const rows = await db
    .selectFrom('affiliations')
    .innerJoin('organisations', 'organisations.id', 'affiliations.organisation_id')
    .select(['affiliations.contact_id', 'organisations.name'])
    .where(sql<boolean>`affiliations.contact_id = any(${sql.val([...contactIds])}::uuid[])`)
    .where((eb) => eb.or([eb('affiliations.end_date', 'is', null), eb('affiliations.end_date', '>=', today())]))
    .orderBy(sql`affiliations.end_date desc nulls first`)
    .orderBy(sql`affiliations.start_date desc nulls last`)
    .orderBy('organisations.sort_name')
    .execute()
  for (const r of rows) {
    const names = out.get(r.contact_id)
    if (names) names.push(r.name)
    else out.set(r.contact_id, [r.name])
  }
  return out
}

/**
 * Contacts as one record each: their affiliations and their last engagement, both read in one
 * statement for all of `rows` (two statements were one more turn on the embedded engine, and a
 * second connection on PostgreSQL, for every contact page and list).
 */
export async function withAffiliations(db: Executor, rows: Contact[]): Promise<ContactRecord[]> {
  if (rows.length === 0) return []
  const { rows: found } = await sql<{ id: string; affiliations: AffiliationView[]; day: string | null }>`
    select c.id, ${affiliationsJson(sql`c.id`)} as affiliations, ${lastEngagedExpr(sql`c.id`)}::text as day
    from unnest(${sql.val(rows.map((r) => r.id))}::uuid[]) as c(id) ${MANY_ROWS}`.execute(db)
  const byId = new Map(found.map((f) => [f.id, f]))
  return rows.map((r) => {
    const extra = byId.get(r.id)
    return { ...r, affiliations: extra?.affiliations ?? [], last_engaged_on: extra?.day ?? null }
  })
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
  /** "Organisation, County" today (src/contacts/person-context.ts), '' when unknown. */
  context: string
  /** Whether the person works at `opts.organisationId` today (when one is given). */
  at_organisation: boolean
}

/**
 * For pickers: live contacts, not erased, whose name, e-mail or title matches, in Swedish surname order, each
 * with their current organisation and county. With `organisationId` (a contact person for that
 * organisation), the people currently affiliated with it come first, and alone when q is empty.
 */
export async function contactOptions(db: Executor, q: string, limit = 30, audience: Audience = currentAudience(), opts: { organisationId?: string } = {}): Promise<ContactOption[]> {
  const day = sql`${today()}::date`
  const orgId = opts.organisationId
  const atOrg = orgId
    ? sql<boolean>`exists (select 1 from affiliations af where af.contact_id = contacts.id and af.organisation_id = ${orgId}::uuid
        and (af.start_date is null or af.start_date <= ${day}) and (af.end_date is null or af.end_date >= ${day}))`
    : sql<boolean>`false`
  let query = db
    .selectFrom('contacts')
    .select(['id', 'first_name', 'last_name', 'title', personContextSql('contacts', day).as('context'), atOrg.as('at_organisation')])
    .where('deleted_at', 'is', null)
    // An erased person cannot be newly linked to anything (unlinkableContacts): not offered either.
    .where('erased_at', 'is', null)
    .where(contactVisibleTo(audience))
  if (q.trim()) query = query.where(textMatch('contacts', q))
  else if (orgId) query = query.where(atOrg)
  if (orgId) query = query.orderBy(sql`${atOrg} desc`)
  return query.orderBy('sort_name').orderBy('id').limit(limit).execute()
}

