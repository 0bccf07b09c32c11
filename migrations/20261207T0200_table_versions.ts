import { sql, type Kysely } from 'kysely'

// Frozen once landed: add a new migration instead of editing this one.
// The data version per table (src/db/data-version.ts tableVersions): the network graph keeps each
// of its parts (a node type, a source of links, co-participation) until a table that part reads is
// written, instead of reading the whole register again after every write (an organisation renamed:
// 11 s of the server's CPU at 200 000 contacts, most of it links the rename did not touch).
//
// Each data_version row now counts the writes of one table (`tbl`); the data version is still the
// sum of every row, so it moves exactly as before. A writer adds to a row of its own table that no
// other open transaction holds, or inserts one: writers still never wait for each other here.
//
// Links read of a person or an organisation only whether it is live (and an organisation's parent):
// those columns get counters of their own, `contacts:deleted_at`, `organisations:deleted_at` and
// `organisations:parent_id`. An update moves one only where the value changed (a form writes every
// column every time): a statement trigger compares the transition tables as a set difference, as
// 20261206T2300_privacy_version does — a row trigger added to one counter row per row, which a bulk
// update of 50 000 people took 48 s over. A delete moves them all; an insert moves the parent's (a
// new organisation may have one), not the others (nothing links to a new row yet).
const LIVE: Record<string, readonly string[]> = {
  contacts: ['deleted_at'],
  organisations: ['deleted_at', 'parent_id'],
}

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table data_version add column tbl text not null default ''`.execute(db)
  await sql`create index data_version_tbl on data_version (tbl, slot)`.execute(db)
  // Adds one to a counter of `what` that no other open transaction holds (a new one when all are held).
  await sql`create function add_to_data_version(what text) returns void language plpgsql as $$
    declare free integer;
    begin
      select slot into free from data_version where tbl = what order by slot limit 1 for update skip locked;
      if free is null then
        insert into data_version (tbl, n) values (what, 1);
      else
        update data_version set n = n + 1 where slot = free;
      end if;
    end $$`.execute(db)
  await sql`create or replace function bump_data_version() returns trigger language plpgsql as $$
    begin
      perform add_to_data_version(tg_table_name);
      return null;
    end $$`.execute(db)
  // tg_argv[0]: the column. An update counts only where it changed for some row.
  await sql`create function bump_column_version() returns trigger language plpgsql as $$
    declare changed boolean := true;
    begin
      if tg_op = 'UPDATE' then
        execute format('select exists (select id, %1$I from new_rows except select id, %1$I from old_rows)', tg_argv[0]) into changed;
      end if;
      if changed then
        perform add_to_data_version(tg_table_name || ':' || tg_argv[0]);
      end if;
      return null;
    end $$`.execute(db)
  for (const [table, columns] of Object.entries(LIVE)) {
    for (const column of columns) {
      const arg = sql.lit(column)
      await sql`create trigger ${sql.id(`bump_${column}_version`)} after update on ${sql.table(table)}
        referencing old table as old_rows new table as new_rows for each statement execute function bump_column_version(${arg})`.execute(db)
      await sql`create trigger ${sql.id(`bump_${column}_version_rows`)} after ${column === 'parent_id' ? sql`insert or delete or truncate` : sql`delete or truncate`}
        on ${sql.table(table)} for each statement execute function bump_column_version(${arg})`.execute(db)
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [table, columns] of Object.entries(LIVE)) {
    for (const column of columns) {
      await sql`drop trigger ${sql.id(`bump_${column}_version_rows`)} on ${sql.table(table)}`.execute(db)
      await sql`drop trigger ${sql.id(`bump_${column}_version`)} on ${sql.table(table)}`.execute(db)
    }
  }
  await sql`drop function bump_column_version()`.execute(db)
  await sql`create or replace function bump_data_version() returns trigger language plpgsql as $$
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
  await sql`drop function add_to_data_version(text)`.execute(db)
  await sql`drop index data_version_tbl`.execute(db)
  await sql`alter table data_version drop column tbl`.execute(db)
}
