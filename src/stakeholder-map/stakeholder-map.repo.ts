import { contactVisibleTo } from '../privacy/visibility.ts'
import { sql } from 'kysely'
import type { OrganisationKind } from '../db/schema.ts'
import type { Executor } from '../db/write.ts'
import type { MapType } from './stakeholder-map.schema.ts'

export interface MapPoint {
  type: MapType
  id: string
  name: string
  influence: number | null
  interest: number | null
  sort_name: string
}

export interface PointFilter {
  /** The chosen theme and its sub-themes: a record tagged with any of them matches. */
  themeIds: string[]
  kinds: OrganisationKind[]
  type?: MapType
  /** YYYY-MM-DD: people match a kind through the organisation they work at on this day. */
  today: string
}

async function organisationPoints(db: Executor, f: PointFilter): Promise<MapPoint[]> {
  let q = db.selectFrom('organisations').select(['id', 'name', 'influence', 'interest', 'sort_name']).where('deleted_at', 'is', null)
  if (f.kinds.length) q = q.where('kind', 'in', f.kinds)
  if (f.themeIds.length) q = q.where(sql<boolean>`theme_ids && ${sql.val(f.themeIds)}::uuid[]`)
  const rows = await q.orderBy('sort_name').orderBy('id').execute()
  return rows.map((r) => ({ type: 'organisation' as const, ...r }))
}

async function contactPoints(db: Executor, f: PointFilter): Promise<MapPoint[]> {
  let q = db
    .selectFrom('contacts')
    .select(['id', 'first_name', 'last_name', 'influence', 'interest', 'sort_name'])
    .where('deleted_at', 'is', null)
    .where('erased_at', 'is', null)
    // A map that is printed and shown: never people with protected identity or restricted processing.
    .where(contactVisibleTo('export'))
  if (f.themeIds.length) q = q.where(sql<boolean>`theme_ids && ${sql.val(f.themeIds)}::uuid[]`)
  if (f.kinds.length) {
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('affiliations')
          .innerJoin('organisations', 'organisations.id', 'affiliations.organisation_id')
          .select('affiliations.id')
          .whereRef('affiliations.contact_id', '=', 'contacts.id')
          .where('organisations.kind', 'in', f.kinds)
          .where('organisations.deleted_at', 'is', null)
          .where((eb) => eb.or([eb('affiliations.end_date', 'is', null), eb('affiliations.end_date', '>=', f.today)]))
          .where((eb) => eb.or([eb('affiliations.start_date', 'is', null), eb('affiliations.start_date', '<=', f.today)])),
      ),
    )
  }
  const rows = await q.orderBy('sort_name').orderBy('id').execute()
  return rows.map((r) => ({
    type: 'contact' as const,
    id: r.id,
    name: [r.first_name, r.last_name].filter(Boolean).join(' '),
    influence: r.influence,
    interest: r.interest,
    sort_name: r.sort_name,
  }))
}

/** Every live organisation and person the filter selects, with or without scores. */
export async function mapPoints(db: Executor, f: PointFilter): Promise<MapPoint[]> {
  const [orgs, people] = await Promise.all([
    f.type === 'contact' ? [] : organisationPoints(db, f),
    f.type === 'organisation' ? [] : contactPoints(db, f),
  ])
  return [...orgs, ...people]
}
