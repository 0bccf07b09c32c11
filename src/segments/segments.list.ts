import { sql, type SqlBool } from 'kysely'
import { nameThenId } from '../db/pagination.ts'
import type { Executor } from '../db/write.ts'
import { searchQuery } from '../register/list-query.ts'
import { foldedContains } from '../register/search-filter.ts'
import { defineList, filter, liveOrDeleted, type ListQuery } from '../web/list.ts'
import { countMembers, toApiSegment, type Segment } from './segments.service.ts'

export type SegmentRow = Segment & { member_count: number }

/** Each segment of a page with how many people it holds now (one query for the page). */
async function withCounts(db: Executor, rows: Segment[]): Promise<SegmentRow[]> {
  const live = rows.filter((r) => !r.deleted_at).map((r) => r.id)
  const counts = live.length ? await countMembers(db, { ids: live }) : new Map()
  return rows.map((r) => ({ ...r, member_count: counts.get(r.id) ?? 0 }))
}

const toApi = (s: SegmentRow) => ({ ...toApiSegment(s), member_count: s.member_count })

/** The segment list — page, API and CSV: its search, order and columns. */
export const segmentList = defineList({
  path: '/segments',
  filters: {
    q: filter(searchQuery, (v) => sql<SqlBool>`(${foldedContains(sql.ref('name'), v)} or ${foldedContains(sql.ref('description'), v)})`),
  },
  sorts: { name: nameThenId<Segment>() },
  defaultSort: 'name',
  from: (db, q) => liveOrDeleted(db.selectFrom('segments').selectAll(), q),
  load: withCounts,
  toApi,
  csv: {
    filename: 'segments.csv',
    columns: ['id', 'name', 'description', 'member_count', 'filter', 'include_ids', 'exclude_ids', 'version', 'created_at', 'updated_at'],
    row: (s: SegmentRow) => ({ ...toApi(s), filter: JSON.stringify(s.filter) }),
  },
})

export type SegmentQuery = ListQuery<typeof segmentList.filters, keyof typeof segmentList.sorts>
