import { sql, type SelectQueryBuilder } from 'kysely'
import type { Database, Plan } from '../db/schema.ts'
import { keysetPage, nameThenId, type Page } from '../db/pagination.ts'
import type { Executor } from '../db/write.ts'
import { textMatch } from '../register/search-filter.ts'
import type { PlanQuery } from './plans.schema.ts'

export async function findPlan(db: Executor, id: string, opts: { withDeleted?: boolean; forUpdate?: boolean } = {}): Promise<Plan | undefined> {
  let q = db.selectFrom('plans').selectAll().where('id', '=', id)
  if (!opts.withDeleted) q = q.where('deleted_at', 'is', null)
  if (opts.forUpdate) q = q.forUpdate()
  return q.executeTakeFirst()
}

type PlanSelect = SelectQueryBuilder<Database, 'plans', Plan>

function filtered(db: Executor, f: PlanQuery): PlanSelect {
  let q = db.selectFrom('plans').selectAll() as PlanSelect
  q = f.deleted ? q.where('deleted_at', 'is not', null) : q.where('deleted_at', 'is', null)
  if (f.q) q = q.where(textMatch('plans', f.q, { vector: false }))
  if (f.status.length) q = q.where('status', 'in', f.status)
  if (f.theme_id.length) q = q.where(sql<boolean>`theme_ids && ${sql.val(f.theme_id)}::uuid[]`)
  if (f.product_id.length) q = q.where(sql<boolean>`product_ids && ${sql.val(f.product_id)}::uuid[]`)
  return q
}

export type PlanPage = Page<Plan> & { total: number }

/** One page by Swedish name (keyset on sort_name, id), with the total count. */
export async function pagePlans(db: Executor, f: PlanQuery): Promise<PlanPage> {
  const [page, count] = await Promise.all([
    keysetPage(filtered(db, f), nameThenId<Plan>(), f),
    filtered(db, { ...f, cursor: undefined }).clearSelect().select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
  ])
  return { ...page, total: Number(count.n) }
}

/** Live plans that are under way or done, for the dashboard and the report. */
export async function currentPlans(db: Executor, limit = 50): Promise<Plan[]> {
  return db
    .selectFrom('plans')
    .selectAll()
    .where('deleted_at', 'is', null)
    .where('status', 'in', ['active', 'achieved'])
    .orderBy(sql`deadline asc nulls last`)
    .orderBy('sort_name')
    .orderBy('id')
    .limit(limit)
    .execute()
}

/** Names of activities, for "reached through" links. */
export async function activityTitles(db: Executor, ids: readonly string[]): Promise<Map<string, { title: string; start_date: string | null }>> {
  if (ids.length === 0) return new Map()
  const rows = await db.selectFrom('activities').select(['id', 'title', 'start_date']).where('id', 'in', [...ids]).execute()
  return new Map(rows.map((r) => [r.id, { title: r.title, start_date: r.start_date }]))
}

export async function productTitles(db: Executor, ids: readonly string[]): Promise<{ id: string; title: string }[]> {
  if (ids.length === 0) return []
  return db.selectFrom('products').select(['id', 'title']).where('id', 'in', [...ids]).where('deleted_at', 'is', null).orderBy('sort_name').execute()
}

/** Products to choose from in the plan form. */
export async function productChoices(db: Executor, limit = 500): Promise<{ id: string; title: string }[]> {
  return db.selectFrom('products').select(['id', 'title']).where('deleted_at', 'is', null).orderBy('sort_name').orderBy('id').limit(limit).execute()
}
