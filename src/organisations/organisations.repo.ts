import { sql, type SelectQueryBuilder } from 'kysely'
import type { Database, Organisation } from '../db/schema.ts'
import type { Executor } from '../db/write.ts'
import { keysetPage, nameThenId, type KeyPart } from '../db/pagination.ts'
import { textMatch } from '../register/search-filter.ts'
import type { OrganisationQuery } from './organisations.schema.ts'

export async function findOrganisation(db: Executor, id: string, opts: { withDeleted?: boolean } = {}): Promise<Organisation | undefined> {
  let q = db.selectFrom('organisations').selectAll().where('id', '=', id)
  if (!opts.withDeleted) q = q.where('deleted_at', 'is', null)
  return q.executeTakeFirst()
}

export async function findByOrgNumber(db: Executor, orgNumber: string): Promise<Organisation | undefined> {
  return db.selectFrom('organisations').selectAll().where('org_number', '=', orgNumber).where('deleted_at', 'is', null).executeTakeFirst()
}

type OrgSelect = SelectQueryBuilder<Database, 'organisations', Organisation>

function filtered(db: Executor, f: OrganisationQuery, typos = true): OrgSelect {
  let q = db.selectFrom('organisations').selectAll() as OrgSelect
  q = f.deleted ? q.where('deleted_at', 'is not', null).where('merged_into_id', 'is', null) : q.where('deleted_at', 'is', null)
  if (f.q) q = q.where(textMatch('organisations', f.q, { typos }))
  if (f.kind.length) q = q.where('kind', 'in', f.kind)
  if (f.county.length) q = q.where('county', 'in', f.county)
  if (f.theme_id.length) q = q.where(sql<boolean>`theme_ids && ${sql.val(f.theme_id)}::uuid[]`)
  if (f.tag.length) q = q.where(sql<boolean>`tags && ${sql.val(f.tag)}::text[]`)
  if (f.parent_id) q = q.where('parent_id', '=', f.parent_id)
  return q
}

/** Each order ends in (Swedish name, id), so that equal sort values page in a fixed order. */
const SORT_KEY: Record<OrganisationQuery['sort'], KeyPart<Organisation>> = {
  name: { expr: sql`sort_name`, of: (o) => o.sort_name },
  kind: { expr: sql`kind`, of: (o) => o.kind },
  county: { expr: sql`coalesce(county, '')`, of: (o) => o.county ?? '' },
  updated: { expr: sql`updated_at`, type: 'timestamptz', of: (o) => o.updated_at.toISOString() },
}

export interface OrganisationPage {
  data: Organisation[]
  next_cursor: string | null
  total: number
}

/** One page in the chosen order, by keyset on (sort value, Swedish name, id); with the total count. */
export async function pageOrganisations(db: Executor, f: OrganisationQuery): Promise<OrganisationPage> {
  // Typo matches only when nothing matches as typed: their similarity check per row is most of
  // what a text filter costs, and beside real matches they are noise (jonkoping ≠ Linköping).
  let typos = false
  let total = await countOrganisations(db, f, false)
  if (f.q && total === 0) {
    typos = true
    total = await countOrganisations(db, f, true)
  }
  const page = await keysetPage(filtered(db, f, typos), [SORT_KEY[f.sort], ...nameThenId<Organisation>()], f)
  return { ...page, total }
}

async function countOrganisations(db: Executor, f: OrganisationQuery, typos: boolean): Promise<number> {
  const row = await filtered(db, { ...f, cursor: undefined }, typos)
    .clearSelect()
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** For pickers: live organisations whose name matches, best first. */
export async function organisationOptions(db: Executor, q: string, limit = 30): Promise<Pick<Organisation, 'id' | 'name' | 'county'>[]> {
  let query = db.selectFrom('organisations').select(['id', 'name', 'county']).where('deleted_at', 'is', null)
  if (q.trim()) query = query.where(textMatch('organisations', q))
  return query.orderBy('sort_name').limit(limit).execute()
}

export async function childrenOf(db: Executor, id: string): Promise<Pick<Organisation, 'id' | 'name' | 'kind'>[]> {
  return db.selectFrom('organisations').select(['id', 'name', 'kind']).where('parent_id', '=', id).where('deleted_at', 'is', null).orderBy('sort_name').execute()
}

/** The chain of parents above `id`, nearest first (bounded, so bad data cannot loop). */
export async function ancestorsOf(db: Executor, id: string): Promise<Pick<Organisation, 'id' | 'name'>[]> {
  const result = await sql<{ id: string; name: string; depth: number }>`
    with recursive up(id, name, parent_id, depth) as (
      select o.id, o.name, o.parent_id, 1 from organisations o
        where o.id = (select parent_id from organisations where id = ${id})
      union all
      select o.id, o.name, o.parent_id, up.depth + 1 from organisations o join up on o.id = up.parent_id
        where up.depth < 20
    )
    select id, name, depth from up order by depth`.execute(db)
  return result.rows.map(({ id, name }) => ({ id, name }))
}

export interface PersonAtOrganisation {
  contact_id: string
  name: string
  role: string | null
  title: string | null
  start_date: string | null
  end_date: string | null
  is_primary: boolean
}

/** People affiliated with the organisation: current ones (no end, or ending today or later) and former. */
export async function peopleOf(db: Executor, id: string, today: string): Promise<{ current: PersonAtOrganisation[]; former: PersonAtOrganisation[] }> {
  const rows = await db
    .selectFrom('affiliations')
    .innerJoin('contacts', 'contacts.id', 'affiliations.contact_id')
    .select([
      'contacts.id as contact_id',
      sql<string>`trim(coalesce(contacts.first_name, '') || ' ' || coalesce(contacts.last_name, ''))`.as('name'),
      'contacts.title',
      'affiliations.role',
      'affiliations.start_date',
      'affiliations.end_date',
      'affiliations.is_primary',
    ])
    .where('affiliations.organisation_id', '=', id)
    .where('contacts.deleted_at', 'is', null)
    .orderBy('contacts.sort_name')
    .execute()
  const current = rows.filter((r) => !r.end_date || r.end_date >= today)
  const former = rows.filter((r) => r.end_date && r.end_date < today)
  return { current, former }
}

export async function themeNames(db: Executor, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map()
  const rows = await db.selectFrom('themes').select(['id', 'name']).where('id', 'in', [...ids]).where('deleted_at', 'is', null).execute()
  return new Map(rows.map((r) => [r.id, r.name]))
}
