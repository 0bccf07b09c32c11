import { sql, type Kysely } from 'kysely'

// Frozen once landed: add a new migration instead of editing this one.
// The letters of 20261206T1620_search_text_letters were those of names written in Europe (ø, æ, ß).
// The header's search still found "Griﬃth" (a ligature, as text pasted from a PDF has it) as an
// exact match for "griffith" and the contacts list nothing, as it had Bjørn for "bjorn": the
// database's fold (unaccent) takes these letters apart too. foldText folds them as well, and this
// rewrites the text stored before.

/**
 * The other letters of Latin-1, Latin Extended-A and B and the Latin ligatures that unaccent folds
 * to letters and taking marks off leaves, as unaccent folds them (in lower case), listed from its
 * unaccent.rules. Not ƕ, ƞ and ʀ: unaccent leaves their capitals as they are ("Ƕ" stays, "ƕ" is
 * "hv"), nor ŉ, which it folds to an apostrophe and n. Letters that taking marks off folds further
 * than unaccent (ǣ, ǿ: to æ, ø and so to ae, o) stay so: no entry here can undo that.
 */
export const MORE_FOLDED_LETTERS: Readonly<Record<string, string>> = {
  ĸ: 'q', ƀ: 'b', ƃ: 'b', ƈ: 'c', ƌ: 'd', ƒ: 'f', ƙ: 'k', ƚ: 'l', ƣ: 'oi', ƥ: 'p', ƫ: 't', ƭ: 't', ƴ: 'y', ƶ: 'z',
  ǆ: 'dz', ǉ: 'lj', ǌ: 'nj', ǥ: 'g', ǳ: 'dz', ȡ: 'd', ȥ: 'z', ȴ: 'l', ȵ: 'n', ȶ: 't', ȷ: 'j', ȸ: 'db', ȹ: 'qp', ȼ: 'c', ȿ: 's',
  ɀ: 'z', ɇ: 'e', ɉ: 'j', ɍ: 'r', ɏ: 'y', ɓ: 'b', ɖ: 'd', ɗ: 'd', ɛ: 'e', ɠ: 'g', ɨ: 'i', ɲ: 'n', ʈ: 't', ʉ: 'u', ʋ: 'v',
  ⱥ: 'a', ⱦ: 't', ﬀ: 'ff', ﬁ: 'fi', ﬂ: 'fl', ﬃ: 'ffi', ﬄ: 'ffl', ﬅ: 'st', ﬆ: 'st',
}

const TABLES = ['activities', 'alliances', 'bodies', 'contacts', 'organisations', 'plans', 'products', 'projects', 'themes']

export async function up(db: Kysely<any>): Promise<void> {
  const letters = Object.keys(MORE_FOLDED_LETTERS)
  // Only the rows holding one of them are rewritten (the search_words triggers follow them).
  const folded = letters.reduce((text, l) => sql`replace(${text}, ${l}, ${MORE_FOLDED_LETTERS[l]!})`, sql`search_text`)
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
