import { sql } from 'kysely'
import type { Body, Database } from '../db/schema.ts'
import type { Executor } from '../db/write.ts'
import { byPeriod } from '../register/period.ts'
import { contactHiddenFrom, visibleContactName } from '../privacy/visibility.ts'

export interface SeatView {
  id: string
  body_id: string
  contact_id: string
  /** Null for a person the reader may not see (src/privacy/visibility.ts). */
  contact_name: string | null
  contact_hidden: boolean
  /** The person was deleted since: named, but no longer linked. */
  contact_deleted: boolean
  organisation_id: string | null
  organisation_name: string | null
  role: Database['body_seats']['role']
  start_date: string | null
  end_date: string | null
}

/** A body with its seats: one record to the API, the forms and the audit log. */
export type BodyRecord = Body & { seats: SeatView[] }


/** Seats of each body: those still held first, then by the latest start, then by name. */
export async function seatsOf(db: Executor, bodyIds: readonly string[]): Promise<Map<string, SeatView[]>> {
  const out = new Map<string, SeatView[]>(bodyIds.map((id) => [id, []]))
  if (bodyIds.length === 0) return out
  const rows = await db
    .selectFrom('body_seats')
    .innerJoin('contacts', 'contacts.id', 'body_seats.contact_id')
    .leftJoin('organisations', 'organisations.id', 'body_seats.organisation_id')
    .select([
      'body_seats.id', 'body_seats.body_id', 'body_seats.contact_id', visibleContactName().as('contact_name'), contactHiddenFrom().as('contact_hidden'),
      sql<boolean>`contacts.deleted_at is not null`.as('contact_deleted'),
      'body_seats.organisation_id', 'organisations.name as organisation_name', 'body_seats.role',
      'body_seats.start_date', 'body_seats.end_date',
    ])
    .where('body_seats.body_id', 'in', [...bodyIds])
    .orderBy(sql`body_seats.end_date desc nulls first`)
    .orderBy(sql`body_seats.start_date desc nulls last`)
    .orderBy('contacts.sort_name')
    .orderBy('body_seats.id')
    .execute()
  for (const r of rows) out.get(r.body_id)?.push(r)
  return out
}

export async function findBody(db: Executor, id: string, opts: { withDeleted?: boolean; forUpdate?: boolean } = {}): Promise<BodyRecord | undefined> {
  let q = db.selectFrom('bodies').selectAll().where('id', '=', id)
  if (!opts.withDeleted) q = q.where('deleted_at', 'is', null)
  if (opts.forUpdate) q = q.forUpdate()
  const row = await q.executeTakeFirst()
  if (!row) return undefined
  return { ...row, seats: (await seatsOf(db, [row.id])).get(row.id) ?? [] }
}

/** A seat seen from the person's or the organisation's page. */
export interface HeldSeat {
  id: string
  body_id: string
  body_name: string
  body_kind: Body['kind']
  contact_id: string
  contact_name: string | null
  contact_hidden: boolean
  organisation_id: string | null
  organisation_name: string | null
  role: SeatView['role']
  start_date: string | null
  end_date: string | null
}

/** The seats in live bodies held by a contact, or by people representing an organisation. */
export async function seatsHeldBy(db: Executor, by: { contact_id: string } | { organisation_id: string }): Promise<HeldSeat[]> {
  let q = db
    .selectFrom('body_seats')
    .innerJoin('bodies', 'bodies.id', 'body_seats.body_id')
    .innerJoin('contacts', 'contacts.id', 'body_seats.contact_id')
    .leftJoin('organisations', 'organisations.id', 'body_seats.organisation_id')
    .select([
      'body_seats.id', 'body_seats.body_id', 'bodies.name as body_name', 'bodies.kind as body_kind',
      'body_seats.contact_id', visibleContactName().as('contact_name'), contactHiddenFrom().as('contact_hidden'), 'body_seats.organisation_id', 'organisations.name as organisation_name',
      'body_seats.role', 'body_seats.start_date', 'body_seats.end_date',
    ])
    .where('bodies.deleted_at', 'is', null)
  q = 'contact_id' in by
    ? q.where('body_seats.contact_id', '=', by.contact_id)
    : q.where('body_seats.organisation_id', '=', by.organisation_id).where('contacts.deleted_at', 'is', null)
  return q
    .orderBy(sql`body_seats.end_date desc nulls first`)
    .orderBy(sql`body_seats.start_date desc nulls last`)
    .orderBy('bodies.sort_name')
    .orderBy('body_seats.id')
    .execute()
}

export async function namesOf(db: Executor, table: 'contacts' | 'organisations', ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map()
  if (table === 'organisations') {
    const rows = await db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', [...ids]).execute()
    return new Map(rows.map((r) => [r.id, r.name]))
  }
  const rows = await db.selectFrom('contacts').select(['id', visibleContactName().as('name')]).where('id', 'in', [...ids]).execute()
  return new Map(rows.map((r) => [r.id, r.name ?? '']))
}

/** A contact's or an organisation's seats for its page: current, upcoming and past on `day`. */
export async function seatsForPage(db: Executor, by: { contact_id: string } | { organisation_id: string }, day: string) {
  return byPeriod(await seatsHeldBy(db, by), day)
}
