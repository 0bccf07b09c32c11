import { sql } from 'kysely'
import type { Activity, ActivityParticipant } from '../db/schema.ts'
import { contactVisibleTo, currentAudience, type Audience } from '../privacy/visibility.ts'
import type { Executor } from '../db/write.ts'

export type ParticipantView = ActivityParticipant & {
  contact_name: string | null
  contact_email: string | null
  /** A person the audience may not see: no name, no address, no link. */
  contact_hidden: boolean
  organisation_name: string | null
}

/** An activity with its participants: one record to the API, the forms and the audit log. */
export type ActivityRecord = Activity & { participants: ParticipantView[] }

const contactName = sql<string | null>`nullif(trim(coalesce(contacts.first_name, '') || ' ' || coalesce(contacts.last_name, '')), '')`

/**
 * Participants of each activity: organisers and speakers first, then by surname or organisation name.
 * A person the audience may not see (protected identity, restricted) keeps their place but not their
 * name or address: participant lists feed invitations and exports.
 */
export async function participantsOf(db: Executor, activityIds: readonly string[], audience: Audience = 'export'): Promise<Map<string, ParticipantView[]>> {
  const shown = contactVisibleTo(audience)
  const out = new Map<string, ParticipantView[]>(activityIds.map((id) => [id, []]))
  if (activityIds.length === 0) return out
  const rows = await db
    .selectFrom('activity_participants as p')
    .leftJoin('contacts', 'contacts.id', 'p.contact_id')
    .leftJoin('organisations', 'organisations.id', 'p.organisation_id')
    .selectAll('p')
    .select([
      sql<string | null>`case when ${shown} then ${contactName} end`.as('contact_name'),
      sql<string | null>`case when ${shown} then contacts.email end`.as('contact_email'),
      sql<boolean>`coalesce(not (${shown}), false)`.as('contact_hidden'),
      'organisations.name as organisation_name',
    ])
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

/** The last day an activity covers: its end, or its start for a one-day activity. */
export const LAST_DAY = sql`coalesce(activities.end_date, activities.start_date)`


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
    .where(contactVisibleTo(currentAudience()))
    .orderBy('sort_name')
    .execute() as Promise<Option[]>
}

export async function liveOrganisations(db: Executor, ids: readonly string[]): Promise<Option[]> {
  if (ids.length === 0) return []
  return db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', [...ids]).where('deleted_at', 'is', null).orderBy('sort_name').execute()
}
