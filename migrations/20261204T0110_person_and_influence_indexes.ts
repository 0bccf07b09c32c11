import { sql, type Kysely } from 'kysely'

// Frozen once landed: add a new migration instead of editing this one.
// Reads by one person or one organisation that scanned a whole table (EXPLAIN at a million
// contacts, bench/README.md): an organisation's page lists the activities that sought to influence
// it (a scan of 300 000 activities, 104 ms); a register extract, an erasure and the retention sweep
// read a person's event registrations, invitations, newsletter deliveries and mail tokens, tables
// that grow with every mailing and event.

const INDEXES: [name: string, table: string, column: string][] = [
  ['activities_influence_organisation', 'activities', 'influence_organisation_id'],
  ['activities_influence_body', 'activities', 'influence_body_id'],
  ['event_registrations_contact', 'event_registrations', 'contact_id'],
  ['event_invitations_contact', 'event_invitations', 'contact_id'],
  ['newsletter_deliveries_contact', 'newsletter_deliveries', 'contact_id'],
  ['mail_tokens_contact', 'mail_tokens', 'contact_id'],
]

export async function up(db: Kysely<any>): Promise<void> {
  for (const [name, table, column] of INDEXES) {
    await sql`create index ${sql.id(name)} on ${sql.table(table)} (${sql.ref(column)})`.execute(db)
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [name] of INDEXES) await sql`drop index ${sql.id(name)}`.execute(db)
}
