import { sql, type SqlBool } from 'kysely'
import { z } from 'zod'
import { nameThenId } from '../db/pagination.ts'
import { manyOf, searchQuery } from '../register/list-query.ts'
import { oneName, searchFilter } from '../register/search-filter.ts'
import { defineList, filter, rankedFilter, liveOrDeleted, type ListQuery } from '../web/list.ts'
import { seatsOf, type BodyRecord } from './bodies.repo.ts'
import { BODY_KINDS } from './bodies.schema.ts'
import { BODY_CSV_FIELDS, bodyCsvRow, toApiBody } from './bodies.service.ts'
import type { Body } from '../db/schema.ts'
import type { Executor } from '../db/write.ts'
import { visibleContactIds } from '../privacy/visibility.ts'

/** contact_id and organisation_id find the bodies where they hold or held a seat, whatever its period. */
/** A person the reader may not see holds no seat for them (src/privacy/visibility.ts). */
const seatedIn = (column: 'contact_id' | 'organisation_id') => (ids: string[]) =>
  sql<SqlBool>`exists (select 1 from body_seats s where s.body_id = bodies.id and ${sql.ref(`s.${column}`)} = any(${column === 'contact_id' ? visibleContactIds(ids) : sql`${sql.val(ids)}::uuid[]`}))`

async function withSeats(db: Executor, rows: Body[]): Promise<BodyRecord[]> {
  const seats = await seatsOf(db, rows.map((r) => r.id))
  return rows.map((r) => ({ ...r, seats: seats.get(r.id) ?? [] }))
}

/** The list of bodies — page, API and CSV export: its filters, order and columns. */
export const bodyList = defineList({
  path: '/bodies',
  filters: {
    q: rankedFilter(searchQuery, searchFilter('bodies', oneName('name'), { vector: false })),
    kind: filter(manyOf(z.enum(BODY_KINDS)), (v) => sql<SqlBool>`kind = any(${sql.val(v)}::text[])`),
    contact_id: filter(manyOf(z.uuid()), seatedIn('contact_id')),
    organisation_id: filter(manyOf(z.uuid()), seatedIn('organisation_id')),
  },
  sorts: { name: nameThenId<Body>() },
  defaultSort: 'name',
  from: (db, q) => liveOrDeleted(db.selectFrom('bodies').selectAll(), q),
  load: withSeats,
  toApi: toApiBody,
  csv: { filename: 'bodies.csv', columns: BODY_CSV_FIELDS, row: bodyCsvRow },
})

export type BodyQuery = ListQuery<typeof bodyList.filters, keyof typeof bodyList.sorts>
export const pageBodies = bodyList.page
