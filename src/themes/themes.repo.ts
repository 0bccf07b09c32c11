import { sql } from 'kysely'
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

/** Deleted themes in Swedish order, for the admin's deleted view. */
export async function deletedThemes(db: Executor, limit = 200): Promise<Theme[]> {
  return db.selectFrom('themes').selectAll().where('deleted_at', 'is not', null).orderBy('sort_name').orderBy('id').limit(limit).execute()
}

/** A live theme under the same parent with this name, case ignored (the unique index's rule). */
export async function findSibling(db: Executor, parentId: string | null, name: string): Promise<Theme | undefined> {
  let q = db.selectFrom('themes').selectAll().where('deleted_at', 'is', null).where(sql<boolean>`lower(name) = lower(${name})`)
  q = parentId ? q.where('parent_id', '=', parentId) : q.where('parent_id', 'is', null)
  return q.executeTakeFirst()
}

export async function subThemes(db: Executor, id: string): Promise<Pick<Theme, 'id' | 'name' | 'description'>[]> {
  return db
    .selectFrom('themes')
    .select(['id', 'name', 'description'])
    .where('parent_id', '=', id)
    .where('deleted_at', 'is', null)
    .orderBy('sort_name')
    .execute()
}

/** The chain of parents above `id`, nearest first (bounded, so bad data cannot loop). */
export async function themeAncestors(db: Executor, id: string): Promise<Pick<Theme, 'id' | 'name'>[]> {
  const result = await sql<{ id: string; name: string; depth: number }>`
    with recursive up(id, name, parent_id, depth) as (
      select t.id, t.name, t.parent_id, 1 from themes t
        where t.id = (select parent_id from themes where id = ${id})
      union all
      select t.id, t.name, t.parent_id, up.depth + 1 from themes t join up on t.id = up.parent_id
        where up.depth < 20
    )
    select id, name, depth from up order by depth`.execute(db)
  return result.rows.map(({ id, name }) => ({ id, name }))
}

/** How many live organisations and contacts are tagged with the theme. */
export async function taggedCounts(db: Executor, id: string): Promise<{ organisations: number; contacts: number }> {
  const count = async (table: 'organisations' | 'contacts') => {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll().as('n'))
      .where('deleted_at', 'is', null)
      .where(sql<boolean>`theme_ids @> array[${id}]::uuid[]`)
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }
  const [organisations, contacts] = await Promise.all([count('organisations'), count('contacts')])
  return { organisations, contacts }
}
