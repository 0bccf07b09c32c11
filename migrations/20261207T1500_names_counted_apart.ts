import { sql, type Kysely } from 'kysely'

// Frozen once landed: add a new migration instead of editing this one.
// A person's name corrected, counted apart from the rest of their details (src/db/data-version.ts
// NAMED): the network graph and plan progress name people but read none of their e-mail address,
// phone number or notes, yet were read again after every such correction (the whole register's
// view: 3–4 s of CPU at 200 000 contacts).
//
// An update of people that changed none of the counted columns (20261207T1400_details_counted_apart)
// now adds to `contacts:names` where it changed a name (first, last, or the sort name), and to
// `contacts:details` only where it changed neither (e-mail, phone, notes, the search text made of
// them, the row's bookkeeping). Still one counter per write: the data version and the table's
// version move as before.
//
// The network's stored layouts and claims were keyed by the whole data version; from now on by the
// version of what it reads (NAMED), a smaller number, under keys of their own (`fa2:v2|…`,
// src/network/layout.ts viewKey): the stored layouts are renamed and kept as places of an older
// state (version 'old', which no version equals and every one is newer than: the next layout of
// each view starts from them, and a view whose nodes are the same is only marked as of the new
// state; '0' would have been served as current to a register whose NAMED version is still 0).
// Claims live minutes: removed. All instances must run this code: an older one neither follows
// `contacts:names` nor keeps to its own claims (README.md).

const COUNTED = [
  'id', 'title', 'categories', 'influence', 'interest', 'county', 'language', 'tags', 'theme_ids', 'merged_into_id',
  'erased_at', 'created_at', 'deleted_at', 'lawful_basis', 'lawful_basis_note', 'protected_identity', 'restricted',
]
const NAMES = ['id', 'first_name', 'last_name', 'sort_name']

const columns = (names: readonly string[]) => sql.join(names.map((c) => sql.id(c)))

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create or replace function bump_contacts_version() returns trigger language plpgsql as $$
    begin
      if exists (select ${columns(COUNTED)} from new_rows except select ${columns(COUNTED)} from old_rows) then
        perform add_to_data_version(tg_table_name);
      elsif exists (select ${columns(NAMES)} from new_rows except select ${columns(NAMES)} from old_rows) then
        perform add_to_data_version(tg_table_name || ':names');
      else
        perform add_to_data_version(tg_table_name || ':details');
      end if;
      return null;
    end $$`.execute(db)
  await sql`update network_layout_cache set view_key = 'fa2:v2|' || substr(view_key, 8), data_version = 'old' where view_key like 'fa2:v1|%'`.execute(db)
  await sql`delete from network_layout_claims`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`create or replace function bump_contacts_version() returns trigger language plpgsql as $$
    begin
      if exists (select ${columns(COUNTED)} from new_rows except select ${columns(COUNTED)} from old_rows) then
        perform add_to_data_version(tg_table_name);
      else
        perform add_to_data_version(tg_table_name || ':details');
      end if;
      return null;
    end $$`.execute(db)
  await sql`update data_version set tbl = 'contacts:details' where tbl = 'contacts:names'`.execute(db)
  await sql`delete from network_layout_cache where view_key like 'fa2:v1|%'`.execute(db)
  await sql`update network_layout_cache set view_key = 'fa2:v1|' || substr(view_key, 8), data_version = 'old' where view_key like 'fa2:v2|%'`.execute(db)
  await sql`delete from network_layout_claims`.execute(db)
}
