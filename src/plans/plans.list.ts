import { sql, type SqlBool } from 'kysely'
import { z } from 'zod'
import { nameThenId } from '../db/pagination.ts'
import type { Plan } from '../db/schema.ts'
import { manyOf, searchQuery } from '../register/list-query.ts'
import { oneName, searchFilter } from '../register/search-filter.ts'
import { formatDate } from '../web/format.ts'
import { defineList, filter, rankedFilter, liveOrDeleted, type ListQuery } from '../web/list.ts'
import { PLAN_CSV_COLUMNS, planCsvRow, toApiPlan } from './plans.format.ts'
import { STATUSES } from './plans.schema.ts'
import { countsOf } from './plans.service.ts'

/** The plan list — page, API and CSV export: its filters, order and columns. */
export const planList = defineList({
  path: '/plans',
  filters: {
    q: rankedFilter(searchQuery, searchFilter('plans', oneName('name'), { vector: false })),
    status: filter(manyOf(z.enum(STATUSES)), (v) => sql<SqlBool>`status = any(${sql.val(v)}::text[])`),
    theme_id: filter(manyOf(z.uuid()), (v) => sql<SqlBool>`theme_ids && ${sql.val(v)}::uuid[]`),
    product_id: filter(manyOf(z.uuid()), (v) => sql<SqlBool>`product_ids && ${sql.val(v)}::uuid[]`),
  },
  sorts: { name: nameThenId<Plan>() },
  defaultSort: 'name',
  from: (db, q) => liveOrDeleted(db.selectFrom('plans').selectAll(), q),
  toApi: toApiPlan,
  csv: {
    filename: 'plans.csv',
    columns: PLAN_CSV_COLUMNS,
    // Progress is counted once for the whole export; a plan found complete is promoted to achieved first.
    async prepare(db, rows) {
      const { plans, counts } = await countsOf(db, rows, formatDate(new Date()))
      return plans.map((p) => planCsvRow(p, counts.get(p.id)))
    },
  },
})

export type PlanQuery = ListQuery<typeof planList.filters, keyof typeof planList.sorts>
export const pagePlans = planList.page
