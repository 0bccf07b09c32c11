import type { Product } from '../db/schema.ts'
import type { Executor } from '../db/write.ts'

/** A product with the name of its project (a deleted project is still named). */
export type ProductRecord = Product & { project_name: string | null }

export async function withProject(db: Executor, rows: Product[]): Promise<ProductRecord[]> {
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
