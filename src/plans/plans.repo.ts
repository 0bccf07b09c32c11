import { sql } from 'kysely'
import type { Plan } from '../db/schema.ts'
import type { Executor } from '../db/write.ts'

export async function findPlan(db: Executor, id: string, opts: { withDeleted?: boolean; forUpdate?: boolean } = {}): Promise<Plan | undefined> {
  let q = db.selectFrom('plans').selectAll().where('id', '=', id)
  if (!opts.withDeleted) q = q.where('deleted_at', 'is', null)
  if (opts.forUpdate) q = q.forUpdate()
  return q.executeTakeFirst()
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
