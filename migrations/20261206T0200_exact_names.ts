import { sql, type Kysely } from 'kysely'

// Frozen once landed: add a new migration instead of editing this one.
// A person's surname and first name, folded as a search folds them (accents and case aside), in
// name order: the people a one-word search names exactly are read from here, the first page's
// worth in the order they are listed, instead of every match ranked. At 200 000 contacts the
// global search for "andersson" read and ranked all 2 866 people who match it — every one of them
// an exact match — to show 20 (bench/README.md, *Exact names read in name order*).
//
// fold_name is lower(unaccent(...)), declared immutable so that an index may hold it: unaccent is
// only stable, as its rules file could change; ours is the extension's own and is not changed.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create function fold_name(name text) returns text language sql immutable parallel safe strict
    as $$ select lower(public.unaccent('public.unaccent'::regdictionary, name)) $$`.execute(db)
  for (const column of ['last_name', 'first_name']) {
    await sql`create index ${sql.id(`contacts_exact_${column}`)} on contacts (fold_name(${sql.ref(column)}), sort_name, id)
      where deleted_at is null and merged_into_id is null and erased_at is null`.execute(db)
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index contacts_exact_last_name`.execute(db)
  await sql`drop index contacts_exact_first_name`.execute(db)
  await sql`drop function fold_name(text)`.execute(db)
}
