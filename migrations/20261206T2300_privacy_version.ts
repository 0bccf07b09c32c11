import { sql, type Kysely } from 'kysely'

// Frozen once landed: add a new migration instead of editing this one.
// The privacy version (src/privacy/visibility.ts privacyState): a number that every committed
// change of a person's protected identity, restricted processing, erasure or deletion makes larger,
// in the writer's own transaction. The network page may show the last view of the register while
// the newest is computed only while this is what it was when that view was read: then the view
// names nobody it may no longer name. A number that only grows, not a digest of the flags: a flag
// turned off while a view was read and on again would give the digest it had, and the view (read
// with the flag off) would be shown again. Kept as data_version is (20261203T1620): the sum of
// rows, a writer adding to a row no other open transaction holds, so writers never wait here.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table privacy_version (slot serial primary key, n bigint not null default 0)`.execute(db)
  await sql`insert into privacy_version (n) values (0)`.execute(db)
  await sql`create function bump_privacy_version() returns trigger language plpgsql as $$
    declare free integer;
    begin
      -- An update counts only where one of the four changed (a form writes them all every time).
      -- A set difference, not a join of the two transition tables: they have no statistics, and
      -- the join was a nested loop (20 000 rows updated: 104 s instead of 3.4 s).
      if tg_op = 'UPDATE' then
        if not exists (
          select id, protected_identity, restricted, erased_at, deleted_at from new_rows
          except
          select id, protected_identity, restricted, erased_at, deleted_at from old_rows
        ) then
          return null;
        end if;
      end if;
      select slot into free from privacy_version order by slot limit 1 for update skip locked;
      if free is null then
        insert into privacy_version (n) values (1);
      else
        update privacy_version set n = n + 1 where slot = free;
      end if;
      return null;
    end $$`.execute(db)
  await sql`create trigger bump_privacy_version_update after update on contacts
    referencing old table as old_rows new table as new_rows for each statement execute function bump_privacy_version()`.execute(db)
  await sql`create trigger bump_privacy_version_delete after delete or truncate on contacts
    for each statement execute function bump_privacy_version()`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger bump_privacy_version_delete on contacts`.execute(db)
  await sql`drop trigger bump_privacy_version_update on contacts`.execute(db)
  await sql`drop function bump_privacy_version()`.execute(db)
  await sql`drop table privacy_version`.execute(db)
}
