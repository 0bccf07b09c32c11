import { sql, type SqlBool } from 'kysely'
import { z } from 'zod'
import { nameThenId, type KeyPart, timestampKey } from '../db/pagination.ts'
import type { Activity } from '../db/schema.ts'
import { isoDate } from '../register/fields.ts'
import { manyOf, searchQuery } from '../register/list-query.ts'
import { oneName, searchFilter } from '../register/search-filter.ts'
import { defineList, filter, rankedFilter, liveOrDeleted, type ListQuery } from '../web/list.ts'
import { ACTIVITY_CSV_COLUMNS, activityCsvRow, toApiActivity } from './activities.format.ts'
import { LAST_DAY, withParticipants } from './activities.repo.ts'
import { LEVELS, STATUSES, TYPES } from './activities.schema.ts'
import { visibleContactIds } from '../privacy/visibility.ts'

/** A person the reader may not see took part in nothing for them (src/privacy/visibility.ts). */
const tookPart = (column: 'contact_id' | 'organisation_id') => (ids: string[]) =>
  sql<SqlBool>`exists (select 1 from activity_participants p where p.activity_id = activities.id and ${sql.ref(`p.${column}`)} = any(${column === 'contact_id' ? visibleContactIds(ids) : sql`${sql.val(ids)}::uuid[]`}))`

// Undated activities come last in either direction.
function byDate(q: { dir: 'asc' | 'desc' }): KeyPart<Activity>[] {
  const undated = q.dir === 'desc' ? '0001-01-01' : '9999-12-31'
  return [{ expr: sql`coalesce(start_date, ${sql.lit(undated)}::date)`, type: 'date', of: (a) => a.start_date ?? undated }, ...nameThenId<Activity>()]
}

/** The activity list — page, API and CSV export: its filters, orders and columns. */
export const activityList = defineList({
  path: '/activities',
  filters: {
    q: rankedFilter(searchQuery, searchFilter('activities', oneName('title'), { vector: false })),
    type: filter(manyOf(z.enum(TYPES)), (v) => sql<SqlBool>`type = any(${sql.val(v)}::text[])`),
    status: filter(manyOf(z.enum(STATUSES)), (v) => sql<SqlBool>`status = any(${sql.val(v)}::text[])`),
    level: filter(manyOf(z.enum(LEVELS)), (v) => sql<SqlBool>`level = any(${sql.val(v)}::text[])`),
    theme_id: filter(manyOf(z.uuid()), (v) => sql<SqlBool>`theme_ids && ${sql.val(v)}::uuid[]`),
    product_id: filter(manyOf(z.uuid()), (v) => sql<SqlBool>`product_ids && ${sql.val(v)}::uuid[]`),
    contact_id: filter(manyOf(z.uuid()), tookPart('contact_id')),
    organisation_id: filter(manyOf(z.uuid()), tookPart('organisation_id')),
    // A period filter keeps what overlaps it: a conference that began the day before `from` is still in it.
    from: filter(isoDate.optional(), (v) => sql<SqlBool>`${LAST_DAY} >= ${v}::date`),
    to: filter(isoDate.optional(), (v) => sql<SqlBool>`activities.start_date <= ${v}::date`),
  },
  // Each order ends in (Swedish title, id), so that equal sort values page in a fixed order.
  sorts: {
    date: byDate,
    title: nameThenId<Activity>(),
    updated: [timestampKey<Activity>('updated_at', (a) => a.updated_at), ...nameThenId<Activity>()],
  },
  defaultSort: 'date',
  defaultDir: 'desc',
  from: (db, q) => liveOrDeleted(db.selectFrom('activities').selectAll(), q),
  load: withParticipants,
  toApi: toApiActivity,
  csv: { filename: 'activities.csv', columns: ACTIVITY_CSV_COLUMNS, row: activityCsvRow },
})

export type ActivityQuery = ListQuery<typeof activityList.filters, keyof typeof activityList.sorts>
export const pageActivities = activityList.page
