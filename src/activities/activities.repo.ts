import { sql, type SelectQueryBuilder } from 'kysely'
import type { Activity, ActivityParticipant, Database } from '../db/schema.ts'
import { keysetPage, nameThenId, type KeyPart } from '../db/pagination.ts'
import type { Executor } from '../db/write.ts'
import { textMatch } from '../register/search-filter.ts'
import type { ActivityQuery } from './activities.schema.ts'

export type ParticipantView = ActivityParticipant & {
  contact_name: string | null
  contact_email: string | null
  organisation_name: string | null
}

/** An activity with its participants: one record to the API, the forms and the audit log. */
export type ActivityRecord = Activity & { participants: ParticipantView[] }

const contactName = sql<string | null>`nullif(trim(coalesce(contacts.first_name, '') || ' ' || coalesce(contacts.last_name, '')), '')`

/** Participants of each activity: organisers and speakers first, then by surname or organisation name. */
export async function participantsOf(db: Executor, activityIds: readonly string[]): Promise<Map<string, ParticipantView[]>> {
  const out = new Map<string, ParticipantView[]>(activityIds.map((id) => [id, []]))
  if (activityIds.length === 0) return out
  const rows = await db
    .selectFrom('activity_participants as p')
    .leftJoin('contacts', 'contacts.id', 'p.contact_id')
    .leftJoin('organisations', 'organisations.id', 'p.organisation_id')
    .selectAll('p')
    .select([contactName.as('contact_name'), 'contacts.email as contact_email', 'organisations.name as organisation_name'])
    .where('p.activity_id', 'in', [...activityIds])
    .orderBy(sql`array_position(array['organiser', 'speaker', 'participant', 'recipient'], p.role)`)
    .orderBy(sql`coalesce(contacts.sort_name, organisations.sort_name)`)
    .orderBy('p.id')
    .execute()
  for (const r of rows) out.get(r.activity_id)?.push(r)
  return out
}

export async function withParticipants(db: Executor, rows: Activity[]): Promise<ActivityRecord[]> {
  const byActivity = await participantsOf(db, rows.map((r) => r.id))
  return rows.map((r) => ({ ...r, participants: byActivity.get(r.id) ?? [] }))
}

export async function findActivity(
  db: Executor,
  id: string,
  opts: { withDeleted?: boolean; forUpdate?: boolean } = {},
): Promise<ActivityRecord | undefined> {
  let q = db.selectFrom('activities').selectAll().where('id', '=', id)
  if (!opts.withDeleted) q = q.where('deleted_at', 'is', null)
  if (opts.forUpdate) q = q.forUpdate()
  const row = await q.executeTakeFirst()
  return row && (await withParticipants(db, [row]))[0]
}

type ActivitySelect = SelectQueryBuilder<Database, 'activities', Activity>

/** The last day an activity covers: its end, or its start for a one-day activity. */
export const LAST_DAY = sql`coalesce(activities.end_date, activities.start_date)`

function filtered(db: Executor, f: ActivityQuery): ActivitySelect {
  let q = db.selectFrom('activities').selectAll() as ActivitySelect
  q = f.deleted ? q.where('deleted_at', 'is not', null) : q.where('deleted_at', 'is', null)
  if (f.q) q = q.where(textMatch('activities', f.q, { vector: false }))
  if (f.type.length) q = q.where('type', 'in', f.type)
  if (f.status.length) q = q.where('status', 'in', f.status)
  if (f.level.length) q = q.where('level', 'in', f.level)
  if (f.theme_id.length) q = q.where(sql<boolean>`theme_ids && ${sql.val(f.theme_id)}::uuid[]`)
  if (f.product_id.length) q = q.where(sql<boolean>`product_ids && ${sql.val(f.product_id)}::uuid[]`)
  // A period filter keeps what overlaps it: a conference that began the day before `from` is still in it.
  if (f.from) q = q.where(sql<boolean>`${LAST_DAY} >= ${f.from}::date`)
  if (f.to) q = q.where(sql<boolean>`activities.start_date <= ${f.to}::date`)
  for (const [column, ids] of [['contact_id', f.contact_id], ['organisation_id', f.organisation_id]] as const) {
    if (!ids.length) continue
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('activity_participants as p')
          .select(sql`1`.as('one'))
          .whereRef('p.activity_id', '=', 'activities.id')
          .where(`p.${column}`, 'in', ids),
      ),
    )
  }
  return q
}

// Undated activities come last in either direction. Each order ends in (Swedish title, id).
function sortKey(f: ActivityQuery): KeyPart<Activity> {
  if (f.sort === 'title') return { expr: sql`sort_name`, of: (a) => a.sort_name }
  if (f.sort === 'updated') return { expr: sql`updated_at`, type: 'timestamptz', of: (a) => a.updated_at.toISOString() }
  const undated = f.dir === 'desc' ? '0001-01-01' : '9999-12-31'
  return { expr: sql`coalesce(start_date, ${sql.lit(undated)}::date)`, type: 'date', of: (a) => a.start_date ?? undated }
}

export interface ActivityPage {
  data: ActivityRecord[]
  next_cursor: string | null
  total: number
}

/** One page in the chosen order, by keyset on (sort value, title, id); with the total count. */
export async function pageActivities(db: Executor, f: ActivityQuery): Promise<ActivityPage> {
  const page = await keysetPage(filtered(db, f), [sortKey(f), ...nameThenId<Activity>()], f)
  const countRow = await filtered(db, { ...f, cursor: undefined })
    .clearSelect()
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow()
  return { data: await withParticipants(db, page.data), next_cursor: page.next_cursor, total: Number(countRow.n) }
}

/** Live activities that cover any day from `from` to `to` (both inclusive), by start date. */
export async function activitiesBetween(db: Executor, from: string, to: string): Promise<Activity[]> {
  return db
    .selectFrom('activities')
    .selectAll()
    .where('deleted_at', 'is', null)
    .where('start_date', 'is not', null)
    .where(sql<boolean>`${LAST_DAY} >= ${from}::date`)
    .where('start_date', '<=', to)
    .orderBy('start_date')
    .orderBy('sort_name')
    .orderBy('id')
    .limit(2000)
    .execute()
}

/** Live dated activities on the side of `day` asked for: upcoming (ongoing included) in date order, past newest first. */
export async function agenda(db: Executor, day: string, side: 'upcoming' | 'past', limit: number): Promise<Activity[]> {
  let q = db.selectFrom('activities').selectAll().where('deleted_at', 'is', null).where('start_date', 'is not', null)
  q = side === 'upcoming' ? q.where(sql<boolean>`${LAST_DAY} >= ${day}::date`) : q.where(sql<boolean>`${LAST_DAY} < ${day}::date`)
  const dir = side === 'upcoming' ? 'asc' : 'desc'
  return q.orderBy('start_date', dir).orderBy('sort_name').orderBy('id').limit(limit).execute()
}

/** Counts of participants by attendance, for lists that show them without loading every row. */
export async function participantCounts(db: Executor, activityIds: readonly string[]): Promise<Map<string, number>> {
  if (activityIds.length === 0) return new Map()
  const rows = await db
    .selectFrom('activity_participants')
    .select(['activity_id', (eb) => eb.fn.countAll().as('n')])
    .where('activity_id', 'in', [...activityIds])
    .groupBy('activity_id')
    .execute()
  return new Map(rows.map((r) => [r.activity_id, Number(r.n)]))
}

export interface Option {
  id: string
  name: string
}

/** Live products and bodies to choose from in the form, in Swedish name order. */
export async function formChoices(db: Executor): Promise<{ products: Option[]; bodies: Option[] }> {
  const [products, bodies] = await Promise.all([
    db.selectFrom('products').select(['id', 'title as name']).where('deleted_at', 'is', null).orderBy('sort_name').limit(2000).execute(),
    db.selectFrom('bodies').select(['id', 'name']).where('deleted_at', 'is', null).orderBy('sort_name').limit(2000).execute(),
  ])
  return { products, bodies }
}

/** Names of products by id, deleted ones included (an activity keeps naming what it spread). */
export async function productNames(db: Executor, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map()
  const rows = await db.selectFrom('products').select(['id', 'title']).where('id', 'in', [...ids]).execute()
  return new Map(rows.map((r) => [r.id, r.title]))
}

export async function bodyName(db: Executor, id: string | null): Promise<string | null> {
  if (!id) return null
  const row = await db.selectFrom('bodies').select('name').where('id', '=', id).executeTakeFirst()
  return row?.name ?? null
}

/** The live contacts among `ids`, with their names, in Swedish surname order (pre-filled participants). */
export async function liveContacts(db: Executor, ids: readonly string[]): Promise<Option[]> {
  if (ids.length === 0) return []
  return db
    .selectFrom('contacts')
    .select(['id', contactName.as('name')])
    .where('id', 'in', [...ids])
    .where('deleted_at', 'is', null)
    .orderBy('sort_name')
    .execute() as Promise<Option[]>
}

export async function liveOrganisations(db: Executor, ids: readonly string[]): Promise<Option[]> {
  if (ids.length === 0) return []
  return db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', [...ids]).where('deleted_at', 'is', null).orderBy('sort_name').execute()
}
