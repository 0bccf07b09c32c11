import { createHash } from 'node:crypto'
import { sql } from 'kysely'
import type { Executor } from '../db/write.ts'

/**
 * A cheap fingerprint of everything the network graph is read from: the latest change and row
 * count of each record table (every audited write bumps updated_at — deletes, restores and
 * merges included — and a record's parts, like a contact's affiliations, are written with it)
 * and the row counts of the tables that are parts of records, hashed. Equal versions: the same graph.
 */
export async function dataVersion(db: Executor): Promise<string> {
  const records = ['organisations', 'contacts', 'alliances', 'bodies', 'projects', 'activities', 'themes', 'organisation_relationships', 'plans']
  const parts = ['affiliations', 'alliance_members', 'body_seats', 'project_partners', 'activity_participants']
  const cols = [
    ...records.map((t) => sql`(select coalesce(max(updated_at)::text, '') || '/' || count(*) from ${sql.table(t)})`),
    ...parts.map((t) => sql`(select count(*)::text from ${sql.table(t)})`),
  ]
  const { rows } = await sql<{ v: string }>`select concat_ws('|', ${sql.join(cols)}) as v`.execute(db)
  return createHash('sha256').update(rows[0]!.v).digest('base64url').slice(0, 22)
}
