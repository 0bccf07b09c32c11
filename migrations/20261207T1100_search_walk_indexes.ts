import { sql, type Kysely } from 'kysely'

// Frozen once landed: add a new migration instead of editing this one.
// A fragment that much of the register holds ("sson": 88 666 of 200 000 people) was ranked match
// by match to show 50 (~200 ms of PostgreSQL). Its first page is now read in two parts
// (src/web/list.ts, splitRankedPage): the people a name or e-mail of whom starts with it, or whose
// words it stems to, found from these prefix indexes and the search vector's, and the rest — ranked
// by how much of the searched text the query covers, shortest first — read in that order from the
// length index. The name indexes take text_pattern_ops: a prefix is a range there, and equality
// with a name (the exact names read in name order, 20261206T0530_exact_names_live) is as before.

const NAMES = ['last_name', 'first_name']

export async function up(db: Kysely<any>): Promise<void> {
  for (const column of NAMES) {
    await sql`drop index ${sql.id(`contacts_exact_${column}`)}`.execute(db)
    await sql`create index ${sql.id(`contacts_exact_${column}`)} on contacts (fold_name(${sql.ref(column)}) text_pattern_ops, sort_name, id)
      where deleted_at is null`.execute(db)
  }
  await sql`create index contacts_prefix_email on contacts (lower(email) text_pattern_ops) where deleted_at is null`.execute(db)
  await sql`create index contacts_search_length on contacts (length(search_text), sort_name, id) where deleted_at is null`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index contacts_search_length`.execute(db)
  await sql`drop index contacts_prefix_email`.execute(db)
  for (const column of NAMES) {
    await sql`drop index ${sql.id(`contacts_exact_${column}`)}`.execute(db)
    await sql`create index ${sql.id(`contacts_exact_${column}`)} on contacts (fold_name(${sql.ref(column)}), sort_name, id)
      where deleted_at is null`.execute(db)
  }
}
