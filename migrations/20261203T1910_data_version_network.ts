import { sql, type Kysely } from 'kysely'

// Frozen once landed: add a new migration instead of editing this one.
// The network graph follows the data version too (src/db/data-version.ts): its own fingerprint
// counted the rows and the latest change of fourteen tables on every request (tens of ms on a
// national register) and missed changes that keep a part table's row count. These are the tables
// the graph reads that 20261203T1620_data_version did not track yet.
const TABLES = ['projects', 'project_partners', 'themes', 'organisation_relationships'] as const

export async function up(db: Kysely<any>): Promise<void> {
  for (const table of TABLES) {
    await sql`create trigger bump_data_version after insert or update or delete or truncate on ${sql.table(table)}
      for each statement execute function bump_data_version()`.execute(db)
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of TABLES) await sql`drop trigger bump_data_version on ${sql.table(table)}`.execute(db)
}
