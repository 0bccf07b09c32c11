import type { Theme } from '../db/schema.ts'
import type { Executor } from '../db/write.ts'

export interface ThemeNode {
  id: string
  name: string
  parent_id: string | null
  depth: number
}

/** Every live theme, parents before their children, siblings in Swedish order. */
export async function themeTree(db: Executor): Promise<ThemeNode[]> {
  const rows = await db
    .selectFrom('themes')
    .select(['id', 'name', 'parent_id', 'sort_name'])
    .where('deleted_at', 'is', null)
    .orderBy('sort_name')
    .execute()
  const byParent = new Map<string | null, typeof rows>()
  const ids = new Set(rows.map((r) => r.id))
  for (const r of rows) {
    // A theme whose parent is deleted shows at the top rather than disappearing.
    const key = r.parent_id && ids.has(r.parent_id) ? r.parent_id : null
    byParent.set(key, [...(byParent.get(key) ?? []), r])
  }
  const out: ThemeNode[] = []
  const walk = (parent: string | null, depth: number) => {
    for (const r of byParent.get(parent) ?? []) {
      out.push({ id: r.id, name: r.name, parent_id: r.parent_id, depth })
      if (depth < 10) walk(r.id, depth + 1)
    }
  }
  walk(null, 0)
  return out
}

export async function findTheme(db: Executor, id: string, opts: { withDeleted?: boolean } = {}): Promise<Theme | undefined> {
  let q = db.selectFrom('themes').selectAll().where('id', '=', id)
  if (!opts.withDeleted) q = q.where('deleted_at', 'is', null)
  return q.executeTakeFirst()
}
