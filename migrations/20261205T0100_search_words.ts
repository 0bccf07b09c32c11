import { sql, type Kysely } from 'kysely'

// Frozen once landed: add a new migration instead of editing this one.
// The words of the register's searchable text, per table (issue 15): a typo is corrected to the
// closest words first (src/register/search-filter.ts, typosOf), and only the records holding
// those words are then read. Before, a typo was matched by trigram similarity against every
// record's whole text: a query one letter from a common name ("anderson") checked and scored
// every Andersson and every Anders — 1 631 rows at 50 000 contacts, 350 ms at 10 connections.
//
// A table's words are those of its live rows only (not deleted, merged or erased), kept by
// statement-level triggers over the statement's transition tables: words a statement brings are
// added (`on conflict do nothing` takes no lock on a word already there, so concurrent writers
// never wait for each other on a common word); words a statement takes away (a text changed, a
// record deleted, merged or erased) are removed when no live row of the table still holds them —
// an erased person's name does not stay behind in the index of corrections.

/** Each searchable table, and what makes one of its rows live (`r` is the row). */
export const SEARCHED: Record<string, string> = {
  organisations: 'r.deleted_at is null and r.merged_into_id is null',
  contacts: 'r.deleted_at is null and r.merged_into_id is null and r.erased_at is null',
  themes: 'r.deleted_at is null',
  alliances: 'r.deleted_at is null',
  bodies: 'r.deleted_at is null',
  projects: 'r.deleted_at is null',
  products: 'r.deleted_at is null',
  activities: 'r.deleted_at is null',
  plans: 'r.deleted_at is null',
}

/**
 * What a word is: letters, digits and the underscore — what a regular expression's \m and \M
 * bound, so that `search_text ~ '\mword\M'` finds exactly the rows whose words include it.
 */
export const WORD_SEPARATORS = '[^[:alnum:]_]+'

/** Up to this many words gone in one statement are looked up one by one; more, in one pass over the table. */
const WORDS_LOOKED_UP_ONE_BY_ONE = 200

export async function up(db: Kysely<any>): Promise<void> {
  // The word first: a lookup is by the word's trigrams within some tables, and a key led by the
  // table was taken instead, a scan of every word of those tables (70 ms, before statistics).
  await sql`create table search_words (source text not null, word text not null, primary key (word, source))`.execute(db)
  await sql`create index search_words_trgm on search_words using gin (word gin_trgm_ops)`.execute(db)
  // TG_ARGV[0]: the table's live condition on `r`. The statement's rows are new_rows (insert,
  // update) and old_rows (update, delete); a row whose text and liveness did not change is left
  // alone. The app only soft-deletes; a row deleted by hand takes its words with it all the same.
  await sql`create function search_words_kept() returns trigger language plpgsql as $fn$
    declare
      live text := TG_ARGV[0];
      changed text;
      gone text[];
      word text;
    begin
      if TG_OP = 'INSERT' then
        execute format($q$
          insert into search_words (source, word)
          select distinct %1$L, w from new_rows r, regexp_split_to_table(r.search_text, %2$L) w
          where w <> '' and (%3$s) order by 2 on conflict do nothing$q$, TG_TABLE_NAME, ${sql.lit(WORD_SEPARATORS)}, live);
        return null;
      end if;
      -- The live words before and after, of the rows deleted or whose text or liveness changed.
      if TG_OP = 'DELETE' then
        changed := format($q$
          with before as (select distinct w from old_rows r, regexp_split_to_table(r.search_text, %1$L) w where (%2$s) and w <> ''),
          after as (select w from before where false)$q$, ${sql.lit(WORD_SEPARATORS)}, live);
      else
        changed := format($q$
          with o as (select r.id, r.search_text, (%2$s) as live from old_rows r),
          n as (select r.id, r.search_text, (%2$s) as live from new_rows r),
          changed as (select o.id from o join n using (id) where o.search_text is distinct from n.search_text or o.live <> n.live),
          before as (select distinct w from o, regexp_split_to_table(o.search_text, %1$L) w where o.live and o.id in (select id from changed) and w <> ''),
          after as (select distinct w from n, regexp_split_to_table(n.search_text, %1$L) w where n.live and n.id in (select id from changed) and w <> '')$q$,
          ${sql.lit(WORD_SEPARATORS)}, live);
      end if;
      -- In one statement (the rows compared once): the words brought are added, and the words
      -- gone from these rows are returned.
      execute changed || format($q$,
        added as (insert into search_words (source, word) select %L, w from after order by 2 on conflict do nothing)
        select array_agg(w) from (select w from before except select w from after) g$q$, TG_TABLE_NAME) into gone;
      -- Those no other live row of the table holds go. A few (an edit, an erasure) are each looked
      -- up as itself: a constant the planner estimates through the table's trigram index. Many (a
      -- batch deleted, an import undone) are found in one pass over the table's live rows instead:
      -- a lookup each was 0.65 ms, 3.2 s for 5 000 contacts.
      if cardinality(gone) <= ${sql.lit(WORDS_LOOKED_UP_ONE_BY_ONE)} then
        foreach word in array gone loop
          execute format($q$
            delete from search_words where source = %1$L and word = %2$L
              and not exists (select 1 from %1$I r where (%3$s) and r.search_text ~ %4$L)$q$,
            TG_TABLE_NAME, word, live, '\\m' || word || '\\M');
        end loop;
      elsif gone is not null then
        execute format($q$
          select array_agg(w) from (
            select unnest($1) as w
            except
            select x.w from %1$I r, regexp_split_to_table(r.search_text, %2$L) x(w) where (%3$s) and x.w in (select unnest($1))) as dead$q$,
          TG_TABLE_NAME, ${sql.lit(WORD_SEPARATORS)}, live) into gone using gone;
        delete from search_words s where s.source = TG_TABLE_NAME and s.word = any(gone);
      end if;
      return null;
    end $fn$`.execute(db)
  for (const [table, live] of Object.entries(SEARCHED)) {
    await sql`create trigger search_words_added after insert on ${sql.table(table)}
      referencing new table as new_rows for each statement execute function search_words_kept(${sql.lit(live)})`.execute(db)
    await sql`create trigger search_words_changed after update on ${sql.table(table)}
      referencing old table as old_rows new table as new_rows for each statement execute function search_words_kept(${sql.lit(live)})`.execute(db)
    await sql`create trigger search_words_removed after delete on ${sql.table(table)}
      referencing old table as old_rows for each statement execute function search_words_kept(${sql.lit(live)})`.execute(db)
    await sql`insert into search_words (source, word)
      select distinct ${table}, w from ${sql.table(table)} r, regexp_split_to_table(r.search_text, ${WORD_SEPARATORS}) w
      where w <> '' and ${sql.raw(live)} on conflict do nothing`.execute(db)
  }
  await sql`analyze search_words`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of Object.keys(SEARCHED)) {
    await sql`drop trigger search_words_added on ${sql.table(table)}`.execute(db)
    await sql`drop trigger search_words_changed on ${sql.table(table)}`.execute(db)
    await sql`drop trigger search_words_removed on ${sql.table(table)}`.execute(db)
  }
  await sql`drop function search_words_kept()`.execute(db)
  await sql`drop table search_words`.execute(db)
}
