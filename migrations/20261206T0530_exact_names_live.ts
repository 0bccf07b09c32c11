import { sql, type Kysely } from 'kysely'

// Frozen once landed: add a new migration instead of editing this one.
// The name indexes of 20261206T0200_exact_names held the people search shows: live, not merged
// away, not erased. The contacts list shows every live row (deleted_at is null), and reads a page
// that one name fills from these indexes (src/web/list.ts, searchFirstPage): a live row that an
// index leaves out would be missing from that page and, ranked before its cursor, from every
// page after it. A merged person is deleted and an erased one has no name as the app leaves them,
// but a restore or an edit can bring one back with a name (a review found both); the indexes now
// hold every live row, as the list's own rows are, and search filters out the rest as it reads.

export async function up(db: Kysely<any>): Promise<void> {
  for (const column of ['last_name', 'first_name']) {
    await sql`drop index ${sql.id(`contacts_exact_${column}`)}`.execute(db)
    await sql`create index ${sql.id(`contacts_exact_${column}`)} on contacts (fold_name(${sql.ref(column)}), sort_name, id)
      where deleted_at is null`.execute(db)
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ['last_name', 'first_name']) {
    await sql`drop index ${sql.id(`contacts_exact_${column}`)}`.execute(db)
    await sql`create index ${sql.id(`contacts_exact_${column}`)} on contacts (fold_name(${sql.ref(column)}), sort_name, id)
      where deleted_at is null and merged_into_id is null and erased_at is null`.execute(db)
  }
}
