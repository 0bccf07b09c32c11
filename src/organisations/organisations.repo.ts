import { contactVisibleTo, type Audience } from '../privacy/visibility.ts'
import { sql } from 'kysely'
import type { Organisation } from '../db/schema.ts'
import type { Executor } from '../db/write.ts'
import { textMatch } from '../register/search-filter.ts'

export async function findOrganisation(db: Executor, id: string, opts: { withDeleted?: boolean } = {}): Promise<Organisation | undefined> {
  let q = db.selectFrom('organisations').selectAll().where('id', '=', id)
  if (!opts.withDeleted) q = q.where('deleted_at', 'is', null)
  return q.executeTakeFirst()
}

export async function findByOrgNumber(db: Executor, orgNumber: string): Promise<Organisation | undefined> {
  return db.selectFrom('organisations').selectAll().where('org_number', '=', orgNumber).where('deleted_at', 'is', null).executeTakeFirst()
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
export async function peopleOf(db: Executor, id: string, today: string, audience: Audience = 'export'): Promise<{ current: PersonAtOrganisation[]; former: PersonAtOrganisation[] }> {
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
    .where(contactVisibleTo(audience))
    .orderBy('contacts.sort_name')
    .execute()
  const current = rows.filter((r) => !r.end_date || r.end_date >= today)
  const former = rows.filter((r) => r.end_date && r.end_date < today)
  return { current, former }
}

