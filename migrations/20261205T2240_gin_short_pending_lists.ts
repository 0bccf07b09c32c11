import { sql, type Kysely } from 'kysely'

// Frozen once landed: add a new migration instead of editing this one.
// A GIN index keeps new and changed rows' entries in an unsorted pending list until a vacuum, or
// the list outgrowing gin_pending_list_limit (4 MB by default), merges them; every search and every
// filter through the index reads the whole list meanwhile. After the generator's bulk load the
// lists held 106 pages on activities_search, 133 on search_words_trgm and all 50 000 contacts on
// contacts_themes; the embedded engine has no autovacuum, so there they stayed. Merged, side by side
// at ten connections, a common word's global search answered 233–263 → 278–323 requests a second on
// PostgreSQL, and a place 202–235 → 289–327 on PGlite (bench/README.md, *Short GIN pending lists,
// merged after a bulk load*).
//
// Each list is capped at 64 kB (8 pages, the least allowed) instead of switched off: without a
// list (fastupdate = off) an import of 10 000 organisations ran at 2 431–2 681 rows/s against
// 3 886–4 318, and with 64 kB at 3 864–4 298. What a bulk load leaves in them is merged at its end
// (src/db/statistics.ts, refreshStatistics). 20261122T0320_search's 256 kB on five indexes is
// lowered with the rest.

/** Every GIN index of ours; one added later is given the same limit (tests/db/gin-pending-lists.test.ts). */
const ginIndexes = async (db: Kysely<any>) =>
  (await sql<{ name: string }>`select c.relname as name from pg_class c join pg_am a on a.oid = c.relam
    where a.amname = 'gin' and c.relnamespace = 'public'::regnamespace order by 1`.execute(db)).rows.map((r) => r.name)

export async function up(db: Kysely<any>): Promise<void> {
  for (const index of await ginIndexes(db)) {
    await sql`alter index ${sql.id(index)} set (gin_pending_list_limit = 64)`.execute(db)
    await sql`select gin_clean_pending_list(${index}::regclass)`.execute(db)
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const index of await ginIndexes(db)) await sql`alter index ${sql.id(index)} reset (gin_pending_list_limit)`.execute(db)
  for (const index of ['organisations_search', 'organisations_fts', 'contacts_search', 'contacts_fts', 'themes_search', 'alliances_search']) {
    await sql`alter index ${sql.id(index)} set (gin_pending_list_limit = 256)`.execute(db)
  }
}
