import { sql, type Kysely } from 'kysely'

// Frozen once landed: add a new migration instead of editing this one.
// The planner's statistics of the folded search text, cut to ten values (bench/README.md, "Search
// planned on ten sampled texts"). Planning a typo match (pg_trgm's <%) runs word_similarity on every
// sampled value of search_text — 100 most common values and 101 histogram bounds at the default
// target, 1–1.3 ms per table at 50 000 contacts, planned for nine types on every global search —
// and a substring match (LIKE '%…%') its pattern on each of them. What those samples bought was
// worse than nothing: from the histogram the planner put "jonkoping" in 313 of 7 500 organisations
// and scanned them all (3.3 ms) rather than use the trigram index (0.45 ms). Below 100 histogram
// bounds PostgreSQL estimates these operators by their defaults instead, and the indexes win.
// A column target outlives later ANALYZEs (autovacuum, refreshStatistics) and the sample size of
// the table's other columns is unchanged.

const TABLES = ['contacts', 'organisations', 'themes', 'alliances', 'bodies', 'projects', 'products', 'activities', 'plans'] as const
export const SEARCH_TEXT_STATISTICS = 10

export async function up(db: Kysely<any>): Promise<void> {
  for (const table of TABLES) {
    await sql`alter table ${sql.table(table)} alter column search_text set statistics ${sql.lit(SEARCH_TEXT_STATISTICS)}`.execute(db)
    // Replaces the sampled values already kept (a target only applies at the next ANALYZE).
    await sql`analyze ${sql.table(table)} (search_text)`.execute(db)
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of TABLES) {
    await sql`alter table ${sql.table(table)} alter column search_text set statistics -1`.execute(db)
    await sql`analyze ${sql.table(table)} (search_text)`.execute(db)
  }
}
