import { sql, type Kysely } from 'kysely'

// Frozen once landed: add a new migration instead of editing this one.
// A word of letters is corrected to a word of letters (src/register/search-filter.ts, typosOf),
// not to one with digits in it: an e-mail address's "andersson1975" is not what "anderson" means
// (and ranked too far below the name to be kept among its corrections anyway). The words with digits
// (the digits of e-mail addresses, organisation numbers, phone numbers, postcodes) were nearly all
// of the words at 50 000 generated contacts (59 372 of 59 692), and a lookup read their trigrams
// too: 4.6 ms for "zeterholm", 0.05 ms in this index of the words without digits
// (bench/README.md, *A typo's corrections among words of letters*). A query's word with digits in
// it is still looked up among all words, in search_words_trgm.

/** The words of this index; a lookup names the same condition so that the planner can use it. */
export const LETTERS_ONLY = "word !~ '[0-9]'"

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index search_words_letters_trgm on search_words using gin (word gin_trgm_ops) where ${sql.raw(LETTERS_ONLY)}`.execute(db)
  await sql`analyze search_words`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index search_words_letters_trgm`.execute(db)
}
