import { sql, type Kysely } from 'kysely'

// Frozen once landed: add a new migration instead of editing this one.
// The searched text (search_text, written by foldForSearch in src/register/search-text.ts) folded
// accents by taking marks off (é → e, ö → o), so letters that are not a letter and a mark stayed as
// they were: "Bjørn" was stored as "bjørn", and the list did not find him for "bjorn" — while the
// database's own fold (lower(unaccent(…)), fold_name: the rank and the exact-name indexes) made him
// an exact match for it. The global search, which reads exact names from those indexes, showed
// him; the contacts list did not. foldForSearch now folds these letters as unaccent does, and this
// rewrites the text stored before.

/**
 * Letters of names written in Europe that unaccent folds and taking marks off does not, each as
 * unaccent folds it (in lower case; the text is in lower case when they are folded). Not the
 * whole of unaccent's table: letters of other alphabets' transcriptions are left as typed.
 */
export const FOLDED_LETTERS: Readonly<Record<string, string>> = {
  ß: 'ss', æ: 'ae', ð: 'd', ø: 'o', þ: 'th', đ: 'd', ħ: 'h', ı: 'i', ĳ: 'ij', ŀ: 'l', ł: 'l', ŋ: 'n', œ: 'oe', ŧ: 't', ſ: 's',
}

const TABLES = ['activities', 'alliances', 'bodies', 'contacts', 'organisations', 'plans', 'products', 'projects', 'themes']

export async function up(db: Kysely<any>): Promise<void> {
  const letters = Object.keys(FOLDED_LETTERS)
  // Only the rows holding one of them are rewritten (the search_words triggers follow them).
  const folded = letters.reduce((text, l) => sql`replace(${text}, ${l}, ${FOLDED_LETTERS[l]!})`, sql`search_text`)
  for (const table of TABLES) {
    await sql`update ${sql.table(table)} set search_text = ${folded} where search_text ~ ${`[${letters.join('')}]`}`.execute(db)
  }
}

/** The letters folded cannot be told back: the text stays folded, which the code before this also finds by its other letters. */
export async function down(): Promise<void> {}
