import { sql, type Kysely } from 'kysely'

// Frozen once landed: add a new migration instead of editing this one.
// Which activities' participation may have changed, and in which transaction (src/network/
// co-participation.ts): the network graph's co-participation links are kept and, after a write,
// only the activities marked since they were read are read again. Before, an attendance recorded
// read every participation of the register again (2.5 s of PostgreSQL at 200 000 contacts, 542 000
// pairs of organisations sent and parsed again).
//
// A mark is the activity and the transaction that wrote (`xid`): a reader keeps the snapshot it
// read in, and later reads the marks of the transactions that snapshot did not see. Sequence
// numbers would not do: a transaction that began first may commit last. Writers only insert, so
// they never wait for each other here. Statement triggers with transition tables: one insert per
// statement, however many rows it changed. What marks an activity:
// - its participants inserted, updated or deleted;
// - the activity's own status, date or deletion (which make it count or not);
// - an affiliation of one of its participants inserted, updated or deleted (through whom the
//   participant's organisation is found);
// - one of its participants deleted or restored, or gone for good.
// A truncate marks everything (an activity_id of null). An organisation deleted or restored is
// not marked: the graph reads co-participation again when `organisations:deleted_at` moves.
//
// participation_marks_pruned holds the largest xid of the marks removed (upkeep, src/network/
// co-participation.ts pruneParticipationMarks): a reader whose snapshot did not see that
// transaction reads everything again.
const WATCHED: { table: string; key: string; columns: string; marks: (changed: string) => string }[] = [
  { table: 'activity_participants', key: 'id', columns: 'activity_id, contact_id, organisation_id, attendance', marks: (c) => `select activity_id from ${c}` },
  { table: 'activities', key: 'id', columns: 'status, start_date, deleted_at', marks: (c) => `select id from ${c}` },
  {
    table: 'affiliations',
    key: 'id',
    columns: 'contact_id, organisation_id, start_date, end_date',
    marks: (c) => `select ap.activity_id from activity_participants ap where ap.contact_id in (select contact_id from ${c})`,
  },
  { table: 'contacts', key: 'id', columns: 'deleted_at', marks: (c) => `select ap.activity_id from activity_participants ap where ap.contact_id in (select id from ${c})` },
]

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table participation_marks (
    xid xid8 not null default pg_current_xact_id(),
    at timestamptz not null default now(),
    activity_id uuid
  )`.execute(db)
  await sql`create index participation_marks_xid on participation_marks (xid)`.execute(db)
  await sql`create table participation_marks_pruned (
    one boolean primary key default true check (one),
    xid xid8
  )`.execute(db)
  await sql`insert into participation_marks_pruned (one, xid) values (true, null)`.execute(db)
  for (const w of WATCHED) {
    // The rows where a watched column changed (or every row inserted or deleted), as `changed`.
    const changed = `changed as (
        select ${w.key}, ${w.columns} from new_rows except select ${w.key}, ${w.columns} from old_rows
        union all
        select ${w.key}, ${w.columns} from old_rows except select ${w.key}, ${w.columns} from new_rows)`
    const mark = (rows: string) => `insert into participation_marks (activity_id) select distinct m.* from (${w.marks(rows)}) m`
    await sql`create function ${sql.id(`mark_participation_${w.table}`)}() returns trigger language plpgsql as ${sql.lit(`
      begin
        if tg_op = 'UPDATE' then
          with ${changed} ${mark('changed')};
        elsif tg_op = 'INSERT' then
          ${mark('new_rows')};
        else
          ${mark('old_rows')};
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
