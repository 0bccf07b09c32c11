import { sql, type SelectQueryBuilder } from 'kysely'
import type { Database, Product } from '../db/schema.ts'
import { keysetPage, nameThenId, type Page } from '../db/pagination.ts'
import type { Executor } from '../db/write.ts'
import { textMatch } from '../register/search-filter.ts'
import type { ProductQuery } from './products.schema.ts'

/** A product with the name of its project (a deleted project is still named). */
export type ProductRecord = Product & { project_name: string | null }

async function withProject(db: Executor, rows: Product[]): Promise<ProductRecord[]> {
  const ids = [...new Set(rows.flatMap((r) => (r.project_id ? [r.project_id] : [])))]
  const projects = ids.length ? await db.selectFrom('projects').select(['id', 'name']).where('id', 'in', ids).execute() : []
  const names = new Map(projects.map((p) => [p.id, p.name]))
  return rows.map((r) => ({ ...r, project_name: r.project_id ? (names.get(r.project_id) ?? null) : null }))
}

export async function findProduct(db: Executor, id: string, opts: { withDeleted?: boolean; forUpdate?: boolean } = {}): Promise<ProductRecord | undefined> {
  let q = db.selectFrom('products').selectAll().where('id', '=', id)
  if (!opts.withDeleted) q = q.where('deleted_at', 'is', null)
  if (opts.forUpdate) q = q.forUpdate()
  const row = await q.executeTakeFirst()
  return row && (await withProject(db, [row]))[0]
}

type ProductSelect = SelectQueryBuilder<Database, 'products', Product>

function filtered(db: Executor, f: ProductQuery): ProductSelect {
  let q = db.selectFrom('products').selectAll() as ProductSelect
  q = f.deleted ? q.where('deleted_at', 'is not', null) : q.where('deleted_at', 'is', null)
  if (f.q) q = q.where(textMatch('products', f.q, { vector: false }))
  if (f.kind.length) q = q.where('kind', 'in', f.kind)
  if (f.project_id.length) q = q.where('project_id', 'in', f.project_id)
  if (f.theme_id.length) q = q.where(sql<boolean>`theme_ids && ${sql.val(f.theme_id)}::uuid[]`)
  if (f.good_practice_status.length) q = q.where('good_practice_status', 'in', f.good_practice_status)
  // Both values asked for means either: no filter.
  const visibility = new Set(f.public)
  if (visibility.size === 1) q = q.where('public', '=', visibility.has('true'))
  return q
}

export interface ProductPage extends Page<ProductRecord> {
  total: number
}

/** One page in Swedish title order, by keyset on (sort_name, id); with the total count. */
export async function pageProducts(db: Executor, f: ProductQuery): Promise<ProductPage> {
  const page = await keysetPage(filtered(db, f), nameThenId(), f)
  const countRow = await filtered(db, { ...f, cursor: undefined })
    .clearSelect()
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow()
  return { data: await withProject(db, page.data), next_cursor: page.next_cursor, total: Number(countRow.n) }
}

export type ProjectProduct = Pick<Product, 'id' | 'title' | 'kind' | 'good_practice_status' | 'public'>

/** The live products of a project, in Swedish title order. */
export async function productsOfProject(db: Executor, projectId: string): Promise<ProjectProduct[]> {
  return db
    .selectFrom('products')
    .select(['id', 'title', 'kind', 'good_practice_status', 'public'])
    .where('project_id', '=', projectId)
    .where('deleted_at', 'is', null)
    .orderBy('sort_name')
    .orderBy('id')
    .limit(500)
    .execute()
}
