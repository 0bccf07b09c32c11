import { sql, type Kysely } from 'kysely'

// Frozen once landed: add a new migration instead of editing this one.
// The people some readers may not see (protected identity, restricted processing) are a handful of
// the register, asked for by every network view (src/privacy/visibility.ts hiddenContactIds): a
// scan of all 200 000 contacts took 60–120 ms of each cold view at the suite's scale 1.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index contacts_hidden on contacts (id) where protected_identity or restricted`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index contacts_hidden`.execute(db)
}
