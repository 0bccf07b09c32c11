import type { Db } from '../../src/db/connect.ts'
import { foldForSearch } from '../../src/register/search-text.ts'
import { swedishSortKey } from '../../src/web/format.ts'

// Contacts and themes are written straight into their tables (with the derived columns their
// services keep), so these tests depend only on the schema, not on those features' forms.

export async function insertContact(
  db: Db,
  c: { first_name?: string; last_name?: string; email?: string; title?: string; deleted?: boolean; erased?: boolean },
): Promise<string> {
  const row = await db
    .insertInto('contacts')
    .values({
      first_name: c.first_name ?? null,
      last_name: c.last_name ?? null,
      email: c.email ?? null,
      title: c.title ?? null,
      sort_name: swedishSortKey(`${c.last_name ?? ''} ${c.first_name ?? ''}`),
      search_text: foldForSearch(c.first_name, c.last_name, c.email, c.title),
      deleted_at: c.deleted ? new Date() : null,
      erased_at: c.erased ? new Date() : null,
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function insertTheme(db: Db, t: { name: string; description?: string }): Promise<string> {
  const row = await db
    .insertInto('themes')
    .values({ name: t.name, description: t.description ?? null, sort_name: swedishSortKey(t.name), search_text: foldForSearch(t.name, t.description) } as never)
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}
