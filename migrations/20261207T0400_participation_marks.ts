import { sql, type Kysely } from 'kysely'

// Frozen once landed: add a new migration instead of editing this one.
// Which activities' participation may have changed, and in which transaction (src/network/
// co-participation.ts): the network graph's co-participation links are kept and, after a write,
// only the activities marked since they were read are read again. Before, an attendance recorded
// read every participation of the register again (2.5 s of PostgreSQL at 200 000 contacts, 542 000
// pairs of organisations sent and parsed again).
//
// A mark is an activity, or a person, and the transaction that wrote (`xid`): a reader keeps the
// snapshot it read in, and later reads the marks of the transactions that snapshot did not see.
// Sequence numbers would not do: a transaction that began first may commit last. A person's mark
// stands for every activity they take part in, found by the reader in its own snapshot: found by
// the writer, it would miss a participation another transaction added meanwhile. Writers only
// insert, so they never wait for each other here. Statement triggers with transition tables: one
// insert per statement, however many rows it changed. What marks:
// - an activity: its participants inserted, updated or deleted; its own status, date or deletion
//   (which make it count or not);
// - a person: an affiliation of theirs inserted, updated or deleted (through whom a participant's
//   organisation is found), on either side of an update (a merge moves a person's affiliations to
//   another); their deletion or restoration.
// A truncate marks everything (neither). An organisation deleted or restored is not marked: the
// graph reads co-participation again when `organisations:deleted_at` moves.
//
// participation_marks_pruned holds the largest xid of the marks removed (housekeeping, src/network/
// co-participation.ts pruneParticipationMarks) and the xid of the transaction that removed them
// (`by`). A mark removed was committed before the removal's snapshot, so a snapshot that sees the
// removal saw it too; one that does not, and may not have seen every mark removed (that largest
// xid not below its oldest transaction), reads everything again.
const WATCHED: { table: string; columns: string; mark: 'activity_id' | 'contact_id'; value: string }[] = [
  { table: 'activity_participants', columns: 'activity_id, contact_id, organisation_id, attendance', mark: 'activity_id', value: 'activity_id' },
  { table: 'activities', columns: 'status, start_date, deleted_at', mark: 'activity_id', value: 'id' },
  { table: 'affiliations', columns: 'contact_id, organisation_id, start_date, end_date', mark: 'contact_id', value: 'contact_id' },
  { table: 'contacts', columns: 'deleted_at', mark: 'contact_id', value: 'id' },
]

export async function up(db: Kysely<any>): Promise<void> {
  // A key of its own: rows are deleted hourly, and a server publishing every table (change data capture) refuses deletes from a table without one.
  await sql`create table participation_marks (
    id bigint generated always as identity primary key,
    xid xid8 not null default pg_current_xact_id(),
    at timestamptz not null default now(),
    activity_id uuid,
    contact_id uuid
  )`.execute(db)
  await sql`create index participation_marks_xid on participation_marks (xid)`.execute(db)
  await sql`create table participation_marks_pruned (
    one boolean primary key default true check (one),
    xid xid8,
    by xid8
  )`.execute(db)
  await sql`insert into participation_marks_pruned (one) values (true)`.execute(db)
  for (const w of WATCHED) {
    // The rows where a watched column changed (either version of each), or every row inserted or deleted.
    const changed = `(select id, ${w.columns} from new_rows except select id, ${w.columns} from old_rows)
        union all
        (select id, ${w.columns} from old_rows except select id, ${w.columns} from new_rows)`
    const mark = (rows: string) => `insert into participation_marks (${w.mark}) select distinct ${w.value} from (${rows}) m where ${w.value} is not null`
    await sql`create function ${sql.id(`mark_participation_${w.table}`)}() returns trigger language plpgsql as ${sql.lit(`
      begin
        if tg_op = 'UPDATE' then
          ${mark(changed)};
        elsif tg_op = 'INSERT' then
          ${mark('select * from new_rows')};
        else
          ${mark('select * from old_rows')};
        end if;
        return null;
      end`)}`.execute(db)
    const fn = sql.id(`mark_participation_${w.table}`)
    await sql`create trigger mark_participation_update after update on ${sql.table(w.table)}
      referencing old table as old_rows new table as new_rows for each statement execute function ${fn}()`.execute(db)
    if (w.table !== 'contacts') {
      await sql`create trigger mark_participation_insert after insert on ${sql.table(w.table)}
        referencing new table as new_rows for each statement execute function ${fn}()`.execute(db)
    }
    await sql`create trigger mark_participation_delete after delete on ${sql.table(w.table)}
      referencing old table as old_rows for each statement execute function ${fn}()`.execute(db)
  }
  await sql`create function mark_participation_everything() returns trigger language plpgsql as $$
    begin
      insert into participation_marks (activity_id) values (null);
      return null;
    end $$`.execute(db)
  for (const w of WATCHED) {
    await sql`create trigger mark_participation_truncate after truncate on ${sql.table(w.table)}
      for each statement execute function mark_participation_everything()`.execute(db)
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const w of WATCHED) {
    for (const op of ['update', 'insert', 'delete', 'truncate']) await sql`drop trigger if exists ${sql.id(`mark_participation_${op}`)} on ${sql.table(w.table)}`.execute(db)
    await sql`drop function ${sql.id(`mark_participation_${w.table}`)}()`.execute(db)
  }
  await sql`drop function mark_participation_everything()`.execute(db)
  await sql`drop table participation_marks_pruned`.execute(db)
  await sql`drop table participation_marks`.execute(db)
}
