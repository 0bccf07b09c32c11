import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely'
import { foldForSearch } from './search-text.ts'
import { likePattern } from './list-query.ts'

/** The shortest query trigram indexes can look up. */
const TRIGRAM = 3

export interface TextMatchOptions {
  /** False for tables without a `search_vector` (themes): folded substring and trigrams only. */
  vector?: boolean
  /** False leaves out the trigram arm: what matches as typed (folded or stemmed) only. */
  typos?: boolean
}

/**
 * The register's text match, used by list filters and by search: a folded substring (accents
 * and case ignored), Swedish stemming on the words, and trigram word similarity for typos.
 * Each arm is backed by a GIN index (search_text trigram, search_vector).
 */
export function textMatch(table: string, q: string, opts: TextMatchOptions = {}): Expression<SqlBool> {
  const folded = foldForSearch(q)
  const col = (name: string) => sql.ref(`${table}.${name}`)
  const stemmed = opts.vector === false ? sql`` : sql`or ${col('search_vector')} @@ websearch_to_tsquery('swedish', ${q})`
  const typos = opts.typos === false ? sql`` : sql`or ${folded} <% ${col('search_text')}`
  return sql<SqlBool>`(${col('search_text')} ilike ${likePattern(folded)}
    ${stemmed}
    ${typos})`
}

/**
 * The precise arms of textMatch: folded substring or Swedish stemming. Search asks these first
 * and falls back on trigram similarity (fuzzyMatch) only when they find too little, because the
 * similarity check is what costs per row, and whatever it alone finds ranks below them anyway.
 */
export function preciseMatch(table: string, q: string, opts: TextMatchOptions = {}): Expression<SqlBool> {
  const folded = foldForSearch(q)
  const col = (name: string) => sql.ref(`${table}.${name}`)
  const stemmed = opts.vector === false ? sql`` : sql`or ${col('search_vector')} @@ websearch_to_tsquery('swedish', ${q})`
  // Under three characters there is no trigram to look up: "MV" finds what starts with it, or the word.
  const pattern = folded.length < TRIGRAM ? likePattern(folded).slice(1) : likePattern(folded)
  // search_text is folded to lower case already, so LIKE does what ILIKE would, for less.
  return sql<SqlBool>`(${col('search_text')} like ${pattern} ${stemmed})`
}

/** Typo tolerance: some word of the text is similar to the query (pg_trgm's <%), and the precise arms missed it. */
export function fuzzyMatch(table: string, q: string, opts: TextMatchOptions = {}): Expression<SqlBool> {
  const folded = foldForSearch(q)
  if (folded.length < TRIGRAM) return sql<SqlBool>`false`
  return sql<SqlBool>`(${folded} <% ${sql.ref(`${table}.search_text`)} and not ${preciseMatch(table, q, opts)})`
}

/** How a record's own names are compared with the query when ranking. */
export interface ScoreNames {
  /** Name-like fields: equal to the folded query is an exact match, starting with it a prefix match. */
  names: Expression<string | null>[]
  /** Compared case-insensitively as they are (an e-mail address): equal is exact, starting with the query a prefix. */
  codes?: Expression<string | null>[]
}

/**
 * A score for ordering the rows preciseMatch found, best first: exact name or e-mail (4) >
 * prefix (3) > Swedish full-text match (2) > folded substring (1), plus a fraction below 1 for
 * how much of the searched text the query covers (a short name that is nearly the query
 * first). Cheap per row: no trigram work.
 */
export function textScore(table: string, q: string, score: ScoreNames, opts: TextMatchOptions = {}): RawBuilder<number> {
  const folded = foldForSearch(q)
  const plain = q.trim().toLowerCase()
  const prefix = likePattern(folded).slice(1)
  const plainPrefix = likePattern(plain).slice(1)
  const col = (name: string) => sql.ref(`${table}.${name}`)
  const starts = anyOf([...score.names.map((n) => sql`${folding(n)} like ${prefix}`), ...(score.codes ?? []).map((c) => sql`lower(${c}) like ${plainPrefix}`)])
  const stemmed = opts.vector === false ? sql`false` : sql`${col('search_vector')} @@ websearch_to_tsquery('swedish', ${q})`
  return sql<number>`(case when ${exactMatch(q, score)} then ${sql.lit(EXACT_SCORE)} when ${starts} then 3 when ${stemmed} then 2 else 1 end
    + 0.99 * least(1.0, ${folded.length}::float8 / greatest(length(${col('search_text')}), 1)))`
}

/** The score textScore gives from an exact match up (4 and its fraction): the query named a record as typed. */
export const EXACT_SCORE = 4

const folding = (e: Expression<string | null>) => sql`lower(unaccent(coalesce(${e}, '')))`
const anyOf = (parts: RawBuilder<unknown>[]) => (parts.length ? sql.join(parts, sql` or `) : sql`false`)

/** A name of the record is the query, accents and case aside, or a code (an e-mail address) is, case aside. */
export function exactMatch(q: string, score: ScoreNames): RawBuilder<SqlBool> {
  const folded = foldForSearch(q)
  const plain = q.trim().toLowerCase()
  return sql<SqlBool>`(${anyOf([...score.names.map((n) => sql`${folding(n)} = ${folded}`), ...(score.codes ?? []).map((c) => sql`lower(${c}) = ${plain}`)])})`
}

/**
 * The score of a row only fuzzyMatch found: below every precise match, by trigram similarity.
 * Whole-text similarity rather than word similarity: it orders the same typo matches nearly
 * alike (the closer word shares more trigrams) at half the cost, and the filter has already
 * paid for one word similarity per row.
 */
export function fuzzyScore(table: string, q: string): RawBuilder<number> {
  return sql<number>`(0.99 * similarity(${foldForSearch(q)}, ${sql.ref(`${table}.search_text`)}))`
}

/**
 * Below this many precise matches a list's search fills in with the best typo matches, up to this
 * many rows (as search does per type) — unless one of them is an exact match (exactMatch): the
 * query then named a record as typed, and others a letter or two away from it are noise, not a
 * correction (and finding them costs a similarity check on every row near a common name).
 */
export const FUZZY_FILL_BELOW = 20

/**
 * A list's search box (`q`) that ranks: `where` is the precise match, `fuzzy` a typo match that is
 * not precise (a list adds the best few of those only when the precise ones are fewer than
 * FUZZY_FILL_BELOW and none of them is `exact`), and `rank` scores a row — exact name or e-mail > prefix > word > substring >
 * typo — for the list's `relevance` order, the default whenever `q` is given.
 */
export function searchFilter(table: string, names: ScoreNames, opts: TextMatchOptions = {}) {
  const precise = (q: string) => preciseMatch(table, q, opts)
  return {
    where: precise,
    exact: (q: string) => exactMatch(q, names),
    fuzzy: (q: string) => fuzzyMatch(table, q, opts),
    rank: (q: string, withTypos: boolean): RawBuilder<number> =>
      withTypos ? sql<number>`(case when ${precise(q)} then ${textScore(table, q, names, opts)} else ${fuzzyScore(table, q)} end)` : textScore(table, q, names, opts),
    // Rows `fuzzy` found are typo matches only: their score without checking the precise arms again.
    typoRank: (q: string): RawBuilder<number> => fuzzyScore(table, q),
  }
}
