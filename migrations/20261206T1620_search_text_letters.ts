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
 * Every letter of Latin-1, Latin Extended-A and B and the Latin ligatures (ﬁ, ﬃ: text pasted from
 * a PDF) for which PostgreSQL's unaccent rules and taking marks off disagree, as unaccent folds it
 * (in lower case: the text is in lower case when they are folded), listed from its unaccent.rules.
 * Not ƕ, ƞ and ʀ, whose capitals unaccent leaves as they are (fold_name then gives "ƕ" for "Ƕ").
 * The code folds with this table (src/register/search-text.ts); to fold more letters, add a
 * migration with them that rewrites the text again, and join its table there.
 */
export const FOLDED_LETTERS: Readonly<Record<string, string>> = {
  ß: 'ss', æ: 'ae', ð: 'd', ø: 'o', þ: 'th', đ: 'd', ħ: 'h', ı: 'i', ĳ: 'ij', ĸ: 'q', ŀ: 'l', ł: 'l', ŋ: 'n', œ: 'oe', ŧ: 't', ſ: 's',
  ƀ: 'b', ƃ: 'b', ƈ: 'c', ƌ: 'd', ƒ: 'f', ƙ: 'k', ƚ: 'l', ƣ: 'oi', ƥ: 'p', ƫ: 't', ƭ: 't', ƴ: 'y', ƶ: 'z',
  ǆ: 'dz', ǉ: 'lj', ǌ: 'nj', ǥ: 'g', ǳ: 'dz', ȡ: 'd', ȥ: 'z', ȴ: 'l', ȵ: 'n', ȶ: 't', ȷ: 'j', ȸ: 'db', ȹ: 'qp', ȼ: 'c', ȿ: 's',
  ɀ: 'z', ɇ: 'e', ɉ: 'j', ɍ: 'r', ɏ: 'y', ɓ: 'b', ɖ: 'd', ɗ: 'd', ɛ: 'e', ɠ: 'g', ɨ: 'i', ɲ: 'n', ʈ: 't', ʉ: 'u', ʋ: 'v',
  ⱥ: 'a', ⱦ: 't', ﬀ: 'ff', ﬁ: 'fi', ﬂ: 'fl', ﬃ: 'ffi', ﬄ: 'ffl', ﬅ: 'st', ﬆ: 'st',
}

const TABLES = ['activities', 'alliances', 'bodies', 'contacts', 'organisations', 'plans', 'products', 'projects', 'themes']

export async function up(db: Kysely<any>): Promise<void> {
  const letters = Object.keys(FOLDED_LETTERS)
  // Only the rows holding one of them are rewritten (the search_words triggers follow them).
  const folded = letters.reduce((text, l) => sql`replace(${text}, ${l}, ${FOLDED_LETTERS[l]!})`, sql`search_text`)
  for (const table of TABLES) {
    await sql`update ${sql.table(table)} set search_text = ${folded} where search_text ~ ${`[${letters.join('')}]`}`.execute(db)
  }
  await sql`analyze search_words`.execute(db)
}

/**
 * The letters folded cannot be told back: the text stays folded. The code before this then finds
 * such a name typed without the letters (as the database's own fold does), not typed with them.
 */
export async function down(): Promise<void> {}
