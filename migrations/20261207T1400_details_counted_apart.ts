import { sql, type Kysely } from 'kysely'

// Frozen once landed: add a new migration instead of editing this one.
// A record's details corrected, counted apart (src/db/data-version.ts COUNTED): plan progress
// counts and the dashboard's figures were counted again after every write to people, organisations
// and activities — a person's e-mail address corrected cost 6–10 s of CPU at 200 000 contacts,
// 34.5 s at 1 000 000 — though they read none of the columns such a correction changes.
//
// An update of a table below that changed none of its counted columns (only names, contact
// details, notes, descriptions and the row's bookkeeping) now adds to `<table>:details` instead of
// `<table>`. Every write still adds to exactly one counter of its table, so the data version and
// the table's version (tableVersions, which sums both) move as before, and no write adds a counter
// row it did not. Inserts, deletes and truncates add to `<table>` as before.
//
// A column added to one of these tables later is a detail until a migration names it here
// (tests/plans/counted-scope.test.ts fails until it is named or listed as a detail). Compared as a
// set difference of the transition tables (20261206T2300_privacy_version: a join of them was a
// nested loop).
const COUNTED_COLUMNS: Record<string, readonly string[]> = {
  contacts: [
    'id', 'title', 'categories', 'influence', 'interest', 'county', 'language', 'tags', 'theme_ids', 'merged_into_id',
    'erased_at', 'created_at', 'deleted_at', 'lawful_basis', 'lawful_basis_note', 'protected_identity', 'restricted',
  ],
  organisations: [
    'id', 'name', 'kind', 'country', 'county', 'parent_id', 'influence', 'interest', 'tags', 'theme_ids', 'sort_name',
    'merged_into_id', 'created_at', 'deleted_at',
  ],
  activities: [
    'id', 'type', 'status', 'start_date', 'end_date', 'level', 'product_ids', 'theme_ids', 'influence_organisation_id',
    'influence_body_id', 'influence_result', 'influence_result_date', 'created_at', 'deleted_at',
  ],
}

export async function up(db: Kysely<any>): Promise<void> {
  for (const [table, counted] of Object.entries(COUNTED_COLUMNS)) {
    const columns = sql.join(counted.map((c) => sql.id(c)))
    await sql`create function ${sql.id(`bump_${table}_version`)}() returns trigger language plpgsql as $$
      begin
        if exists (select ${columns} from new_rows except select ${columns} from old_rows) then
          perform add_to_data_version(tg_table_name);
        else
          perform add_to_data_version(tg_table_name || ':details');
        end if;
        return null;
      end $$`.execute(db)
    await sql`drop trigger bump_data_version on ${sql.table(table)}`.execute(db)
    await sql`create trigger bump_data_version after insert or delete or truncate on ${sql.table(table)}
      for each statement execute function bump_data_version()`.execute(db)
    await sql`create trigger bump_data_version_update after update on ${sql.table(table)}
      referencing old table as old_rows new table as new_rows for each statement execute function ${sql.id(`bump_${table}_version`)}()`.execute(db)
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of Object.keys(COUNTED_COLUMNS)) {
    await sql`drop trigger bump_data_version_update on ${sql.table(table)}`.execute(db)
    await sql`drop trigger bump_data_version on ${sql.table(table)}`.execute(db)
    await sql`create trigger bump_data_version after insert or update or delete or truncate on ${sql.table(table)}
      for each statement execute function bump_data_version()`.execute(db)
    await sql`drop function ${sql.id(`bump_${table}_version`)}()`.execute(db)
    await sql`update data_version set tbl = ${table} where tbl = ${`${table}:details`}`.execute(db)
  }
}
