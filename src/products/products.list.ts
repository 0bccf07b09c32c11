import { sql, type SqlBool } from 'kysely'
import { z } from 'zod'
import { nameThenId } from '../db/pagination.ts'
import type { Product } from '../db/schema.ts'
import { manyOf, searchQuery } from '../register/list-query.ts'
import { oneName, searchFilter } from '../register/search-filter.ts'
import { defineList, filter, rankedFilter, liveOrDeleted, type ListQuery } from '../web/list.ts'
import { withProject } from './products.repo.ts'
import { GOOD_PRACTICE, KINDS } from './products.schema.ts'
import { PRODUCT_CSV_COLUMNS, productCsvRow, toApiProduct } from './products.service.ts'

/** The product list — page, API and CSV export: its filters, order and columns. */
export const productList = defineList({
  path: '/products',
  filters: {
    q: rankedFilter(searchQuery, searchFilter('products', oneName('title'), { vector: false })),
    kind: filter(manyOf(z.enum(KINDS)), (v) => sql<SqlBool>`kind = any(${sql.val(v)}::text[])`),
    project_id: filter(manyOf(z.uuid()), (v) => sql<SqlBool>`project_id = any(${sql.val(v)}::uuid[])`),
    theme_id: filter(manyOf(z.uuid()), (v) => sql<SqlBool>`theme_ids && ${sql.val(v)}::uuid[]`),
    good_practice_status: filter(manyOf(z.enum(GOOD_PRACTICE)), (v) => sql<SqlBool>`good_practice_status = any(${sql.val(v)}::text[])`),
    // Both values asked for means either: no filter.
    public: filter(manyOf(z.enum(['true', 'false'])), (v) => (new Set(v).size === 1 ? sql<SqlBool>`public = ${v[0] === 'true'}` : sql<SqlBool>`true`)),
  },
  sorts: { name: nameThenId<Product>() },
  defaultSort: 'name',
  from: (db, q) => liveOrDeleted(db.selectFrom('products').selectAll(), q),
  load: withProject,
  toApi: toApiProduct,
  csv: { filename: 'products.csv', columns: PRODUCT_CSV_COLUMNS, row: productCsvRow },
})

export type ProductQuery = ListQuery<typeof productList.filters, keyof typeof productList.sorts>
export const pageProducts = productList.page
