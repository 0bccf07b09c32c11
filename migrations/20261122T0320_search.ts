import { sql, type Kysely } from 'kysely'

// Frozen once landed: add a new migration instead of editing this one.
// Search at register scale (issue 3).

const SEARCH_GIN = ['organisations_search', 'organisations_fts', 'contacts_search', 'contacts_fts', 'themes_search']

export async function up(db: Kysely<any>): Promise<void> {
  // New rows wait in a GIN index's unsorted pending list until a vacuum or a full list merges
  // them, and every search reads the whole list meanwhile: up to 4 MB by default, which after
  // an import costs each search milliseconds and makes the planner price the index above a
  // sequential scan. A short list keeps searches on the index; inserts merge a little more often.
  for (const index of SEARCH_GIN) await sql`alter index ${sql.id(index)} set (gin_pending_list_limit = 256)`.execute(db)
  // The total under an unfiltered list counts every live organisation: from this narrow index
  // (index-only, once vacuum has marked the pages all-visible) instead of the whole table.
  await sql`create index organisations_live on organisations (id) where deleted_at is null`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index organisations_live`.execute(db)
  for (const index of SEARCH_GIN) await sql`alter index ${sql.id(index)} reset (gin_pending_list_limit)`.execute(db)
}
