import { sql, type SqlBool } from 'kysely'
import { z } from 'zod'
import { nameThenId } from '../db/pagination.ts'
import type { Alliance } from '../db/schema.ts'
import { manyOf, searchQuery } from '../register/list-query.ts'
import { oneName, searchFilter } from '../register/search-filter.ts'
import { formatDate } from '../web/format.ts'
import { defineList, filter, rankedFilter, liveOrDeleted, type ListQuery } from '../web/list.ts'
import { ALLIANCE_CSV_COLUMNS, allianceCsvRow, toApiAlliance } from './alliances.format.ts'
import { withParts } from './alliances.repo.ts'
import { STATUSES } from './alliances.schema.ts'

// Undated reviews sort after every dated one; statuses in the order of an alliance's life.
const NO_REVIEW = '9999-12-31'
const STATUS_ORDER = sql`array_position(array['exploring', 'proposed', 'active', 'dormant', 'ended']::text[], status)`

/** The alliance list — page, API and CSV export: its filters, orders and columns. */
export const allianceList = defineList({
  path: '/alliances',
  filters: {
    q: rankedFilter(searchQuery, searchFilter('alliances', oneName('name'), { vector: false })),
    status: filter(manyOf(z.enum(STATUSES)), (v) => sql<SqlBool>`status = any(${sql.val(v)}::text[])`),
    theme_id: filter(manyOf(z.uuid()), (v) => sql<SqlBool>`theme_ids && ${sql.val(v)}::uuid[]`),
    organisation_id: filter(manyOf(z.uuid()), (v) => sql<SqlBool>`exists (select 1 from alliance_members m
      where m.alliance_id = alliances.id and m.organisation_id = any(${sql.val(v)}::uuid[]))`),
  },
  // Each order ends in (Swedish name, id), so that equal sort values page in a fixed order.
  sorts: {
    name: nameThenId<Alliance>(),
    review: [{ expr: sql`coalesce(review_date, ${sql.lit(NO_REVIEW)}::date)`, type: 'date', of: (a: Alliance) => a.review_date ?? NO_REVIEW }, ...nameThenId<Alliance>()],
    status: [{ expr: STATUS_ORDER, type: 'int', of: (a: Alliance) => String(STATUSES.indexOf(a.status) + 1) }, ...nameThenId<Alliance>()],
  },
  defaultSort: 'name',
  from: (db, q) => liveOrDeleted(db.selectFrom('alliances').selectAll(), q),
  load: withParts,
  toApi: toApiAlliance,
  csv: { filename: 'alliances.csv', columns: ALLIANCE_CSV_COLUMNS, row: (a) => allianceCsvRow(a, formatDate(new Date())) },
})

export type AllianceQuery = ListQuery<typeof allianceList.filters, keyof typeof allianceList.sorts>
export const pageAlliances = allianceList.page
