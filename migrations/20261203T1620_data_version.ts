import { sql, type Kysely } from 'kysely'

// Frozen once landed: add a new migration instead of editing this one.
// The data version (issue 15): plan progress and the dashboard are cached per version
// (src/db/data-version.ts). Every statement that writes a table they read adds one to the
// version, in its own transaction, so the version a reader sees moves exactly with the data it
// sees: a cached result is never served after a committed write, whichever app instance wrote.
//
// The version is the sum of the rows' counters. A writer adds to a row no other open
// transaction holds (SKIP LOCKED), or inserts one when every row is held: concurrent writers
// never wait for each other here (one hot row would serialise every write until its commit, and
// could deadlock two transactions that also lock each other's rows). A sum is still a version:
// a snapshot sees every transaction committed before it and no other, so two snapshots with the
// same sum have seen the same writes. There are as many rows as writers ever were at once.

/** The tables plan progress, the plan list, the report and the dashboard read. */
export const TRACKED = [
  'plans', 'contacts', 'organisations', 'affiliations', 'activities', 'activity_participants', 'segments',
  'alliances', 'alliance_members', 'alliance_status_changes', 'bodies', 'body_seats', 'newsletter_subscriptions',
] as const

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table data_version (slot serial primary key, n bigint not null default 0)`.execute(db)
  await sql`insert into data_version (n) values (0)`.execute(db)
  await sql`create function bump_data_version() returns trigger language plpgsql as $$
    declare free integer;
    begin
      select slot into free from data_version order by slot limit 1 for update skip locked;
      if free is null then
        insert into data_version (n) values (1);
      else
        update data_version set n = n + 1 where slot = free;
      end if;
      return null;
    end $$`.execute(db)
  for (const table of TRACKED) {
    await sql`create trigger bump_data_version after insert or update or delete or truncate on ${sql.table(table)}
      for each statement execute function bump_data_version()`.execute(db)
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of TRACKED) await sql`drop trigger bump_data_version on ${sql.table(table)}`.execute(db)
  await sql`drop function bump_data_version()`.execute(db)
  await sql`drop table data_version`.execute(db)
}
