import { sql, type Kysely } from 'kysely'

// Frozen once landed: add a new migration instead of editing this one.
// The network page may show the last view of the register while the newest is computed, but only
// if no person has since been given protected identity, restricted, erased or deleted
// (src/privacy/visibility.ts privacyState): a few rows of the register, read at every such check,
// where a scan of all 200 000 contacts took 40–50 ms at the suite's scale 1.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index contacts_privacy_state on contacts (id)
    where protected_identity or restricted or erased_at is not null or deleted_at is not null`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index contacts_privacy_state`.execute(db)
}
