import { sql, type Expression, type RawBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely'
import { foldForSearch } from './search-text.ts'
import { likePattern } from './list-query.ts'
import { untyped, type Executor } from '../db/write.ts'
import { rowLimit } from '../db/pagination.ts'
import type { Database } from '../db/schema.ts'
import { PLAN_EACH_TIME } from '../db/prepared.ts'
import { LETTERS_ONLY } from '../../migrations/20261205T2000_search_words_letters.ts'

/**
 * A column that holds the query, case, marks and letters such as ø aside, as every search folds
 * them (fold_name in the database, foldText for the query), or as typed, case aside: the two folds
 * agree on Latin names but not everywhere (й, ǿ, spaces doubled), and a name typed as it is
 * stored is always found. For a list without a searched text of its own (users, segments, a
 * newsletter list's subscribers). Not indexed: for small tables, or rows already narrowed to one list.
 */
export function foldedContains(column: Expression<string | null>, q: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`(fold_name(coalesce(${column}, '')) like ${likePattern(foldForSearch(q))} or ${column} ilike ${likePattern(q)})`
}

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
  return sql<SqlBool>`(${col('search_text')} ilike ${likePattern(folded)} ${PLAN_EACH_TIME}
    ${stemmed}
    ${typos})`
}

/**
 * The precise arms of textMatch: folded substring or Swedish stemming. Search asks these first
 * and falls back on typo matches (fuzzyMatch) only when they find too little: those cost a lookup
 * of the query's corrections first, and whatever they alone find ranks below them anyway.
 */
export function preciseMatch(table: string, q: string, opts: TextMatchOptions = {}): Expression<SqlBool> {
  const folded = foldForSearch(q)
  const col = (name: string) => sql.ref(`${table}.${name}`)
  const stemmed = opts.vector === false ? sql`` : sql`or ${col('search_vector')} @@ websearch_to_tsquery('swedish', ${q})`
  // Under three characters there is no trigram to look up: "MV" finds what starts with it, or the word.
  const short = folded.length < TRIGRAM
  const pattern = short ? likePattern(folded).slice(1) : likePattern(folded)
  // From three characters on, every pattern is looked up the same way — both GIN indexes, the
  // matches ranked — so the statement may be prepared (src/db/prepared.ts); a shorter one has no
  // trigram to look up, and a plan made for longer ones would read the whole trigram index.
  const planning = short ? PLAN_EACH_TIME : sql``
  return sql<SqlBool>`(${textHolds(table, pattern)} ${planning} ${stemmed})`
}

/**
 * Whether a record's searched text holds `pattern` (a LIKE pattern of folded text): preciseMatch's
 * substring arm, and the condition every match below a rank's high tier holds (RankTiers.holds).
 * search_text is folded to lower case already, so LIKE does what ILIKE would, for less.
 */
const textHolds = (table: string, pattern: string): RawBuilder<SqlBool> => sql<SqlBool>`${sql.ref(`${table}.search_text`)} like ${pattern}`

/** A word of a table's live records that a query's word is likely a typo of, and how close it is (trigram similarity). */
export interface Correction {
  word: string
  similarity: number
}

/** One word of a query, folded, and its corrections in a table (none for a word under three characters). */
export interface TypoWord {
  typed: string
  corrections: readonly Correction[]
}

/**
 * How a query's typos are matched in one table (typosOf): every word of it as typed or as one of
 * its corrections, at least one word corrected. Empty when no word of the query has a correction
 * there: then the table has no typo matches.
 */
export type Typos = readonly TypoWord[]

/**
 * At most this many corrections of a word per table. A query of one word keeps those nearly as
 * close as the closest (within CORRECTION_SPREAD): its corrections alone decide what is read. In a
 * query of several words the other words decide too, and the closest correction may be held by
 * nobody who also holds them ("sara andersn": "anders" 0.67, "andersson" 0.5), so all are kept.
 */
const CORRECTIONS = 8
const CORRECTION_SPREAD = 0.1
/** The words of a query whose corrections are looked up; the rest must match as typed. */
const CORRECTED_WORDS = 6

/** A digit as search_words_letters_trgm's condition (LETTERS_ONLY) reads one. */
const DIGIT = /[0-9]/

/**
 * The words of a folded query: letters, digits and underscores, as the stored words are
 * (WORD_SEPARATORS), and with a letter or digit in them: "%_" typed is not a word to match.
 */
const wordsOf = (folded: string) => folded.split(/[^\p{L}\p{N}_]+/u).filter((w) => /[\p{L}\p{N}]/u.test(w))

/**
 * Per table, the corrections of each word of a query: the words of the table's live records
 * (search_words, kept by triggers) that are a typo away from it (pg_trgm's <%, the same threshold
 * as before) and do not hold it (those records match it as typed), the closest first — for a
 * one-word query only those within CORRECTION_SPREAD of the closest. "anderson" becomes
 * "andersson", not also "anders": the records a typo then reads are those of the likely meant
 * word — not every record of every word one letter away, each scored (1 631 at 50 000 contacts;
 * bench/README.md).
 */
export async function typosOf(db: Executor, q: string, tables: readonly string[]): Promise<Map<string, Typos>> {
  const folded = foldForSearch(q)
  const typed = wordsOf(folded)
  // A query is at most 200 characters; its first few words are what a typo is looked for in.
  const looked = [...new Set(typed.filter((w) => w.length >= TRIGRAM))].slice(0, CORRECTED_WORDS)
  if (folded.length < TRIGRAM || looked.length === 0) return new Map(tables.map((t) => [t, []]))
  // A word of letters is corrected to words of letters, looked up in their own index; one with
  // digits in it among all words (migrations/20261205T2000_search_words_letters.ts).
  const near = looked.map((w) => sql`select ${w}::text as typed, source, word, similarity(${w}, word) as s from search_words
    where source = any(${sql.val(tables)}::text[]) and ${w} <% word ${PLAN_EACH_TIME} and strpos(word, ${w}) = 0
    ${DIGIT.test(w) ? sql`` : sql`and ${sql.raw(LETTERS_ONLY)}`}`)
  const { rows } = await sql<{ typed: string; source: string; word: string; similarity: number }>`
    select typed, source, word, s as similarity from (
      select typed, source, word, s, max(s) over (partition by typed, source) as best, row_number() over (partition by typed, source order by s desc, word) as n
      from (${sql.join(near, sql` union all `)}) as near
    ) as ranked
    where s >= best - ${typed.length > 1 ? 1 : CORRECTION_SPREAD} and n <= ${CORRECTIONS}
    order by typed, source, s desc, word`.execute(db)
  const found = new Map<string, Correction[]>()
  for (const r of rows) {
    const key = `${r.source}\0${r.typed}`
    if (!found.has(key)) found.set(key, [])
    found.get(key)!.push({ word: r.word, similarity: Number(r.similarity) })
  }
  return new Map(
    tables.map((table) => {
      const words = typed.map((w): TypoWord => ({ typed: w, corrections: found.get(`${table}\0${w}`) ?? [] }))
      return [table, words.some((w) => w.corrections.length > 0) ? words : []]
    }),
  )
}

/**
 * Typo tolerance: a record holding every word of the query as typed or as one of its corrections
 * (typosOf), that the precise arms missed. A one-word query is its corrections alone (as typed,
 * it is precise).
 */
export function fuzzyMatch(table: string, q: string, typos: Typos, opts: TextMatchOptions = {}): Expression<SqlBool> {
  if (typos.length === 0) return sql<SqlBool>`false`
  const text = sql.ref(`${table}.search_text`)
  const each = typos.map(({ typed, corrections }) => {
    if (corrections.length === 0) return sql`${text} like ${likePattern(typed)}`
    const corrected = sql`${text} ~ ${wordsPattern(corrections)}`
    return typos.length === 1 ? corrected : sql`(${text} like ${likePattern(typed)} or ${corrected})`
  })
  // Its corrections and their scores (fuzzyScore) are in the statement's text: one text per query.
  return sql<SqlBool>`(${sql.join(each, sql` and `)} ${PLAN_EACH_TIME} and not ${preciseMatch(table, q, opts)})`
}

/** Any of the words, whole. They are letters, digits and underscores (WORD_SEPARATORS): nothing in them a pattern reads. */
const wordsPattern = (words: readonly Correction[]) => `\\m(${words.map((c) => c.word).join('|')})\\M`

/** How a record's own names are compared with the query when ranking. */
export interface ScoreNames {
  /**
   * Name-like fields: equal to the folded query is an exact match, starting with it a prefix match.
   * The likeliest first: they are tried in this order, and a row stops at the first that matches.
   */
  names: Expression<string | null>[]
  /**
   * The names joined by spaces (a person's "first last"), compared only with a query that has a
   * space in it. A query of one word equals the joined names only when it equals one of them, and
   * starts them only when it starts one: comparing it once more cost a fold (unaccent) of every
   * matching row (bench/README.md, *A person's names folded once, not three times*).
   */
  joined?: Expression<string | null>
  /** Compared case-insensitively as they are (an e-mail address): equal is exact, starting with the query a prefix. */
  codes?: Expression<string | null>[]
  /**
   * The names (of `names` and `joined`, the same expressions) that the searched text starts with:
   * the record's service folds them first into search_text (foldForSearch(name, …)). Where that
   * text's first characters are plain ASCII, such a name starts with the query only when the text
   * does, so its fold (unaccent) is skipped for a row whose text does not (textScore). A fragment
   * in the titles of 7 500 of 60 000 activities ("kommun") spent half its rank folding each title
   * (bench/README.md, *A name folded only where the text starts with the query*).
   */
  leading?: readonly Expression<string | null>[]
}

/** The names of a record with one name, which its searched text starts with (ScoreNames.leading). */
export function oneName(column: string): ScoreNames {
  const name = sql.ref<string | null>(column)
  return { names: [name], leading: [name] }
}

/**
 * A score for ordering the rows preciseMatch found, best first: exact name or e-mail (4) >
 * prefix (3) > Swedish full-text match (2) > folded substring (1). Below an exact match a fraction
 * under 1 is added for how much of the searched text the query covers (a short name that is nearly
 * the query first). Exact matches score alike and so come in name order: the people a common
 * surname names are read in that order from an index, the first page's worth, not every one of
 * them ranked (searchContacts; bench/README.md, *Exact names read in name order*). Cheap per row:
 * no trigram work.
 */
export function textScore(table: string, q: string, score: ScoreNames, opts: TextMatchOptions = {}): RawBuilder<number> {
  const folded = foldForSearch(q)
  const plain = q.trim().toLowerCase()
  const prefix = likePattern(folded).slice(1)
  const plainPrefix = likePattern(plain).slice(1)
  const col = (name: string) => sql.ref(`${table}.${name}`)
  // A leading name (ScoreNames.leading) is folded only where the text starts with the query, or
  // where the text's first characters, as many as the query's, are not plain ASCII. Folded to plain
  // ASCII (foldText: marks off, ø → o, æ → ae), a name reads as the database's fold reads it. Where
  // foldText keeps a character, unaccent may still fold it to one a user types: ’ → ', – → -, a
  // fullwidth letter to its ASCII letter. There "D’Andre" starts with the query "d'andre" only in
  // the database's fold, so such a text is folded as before. The first place the two folds part is
  // within the query's length; a ’ later in the text (an activity's outcome) does not matter. The
  // length in bytes and in characters tell, cheaply. (PostgreSQL evaluates an AND left to right
  // and stops at the first false; SQL does not promise that order, and only the speed depends on it.)
  const text = col('search_text')
  const head = sql`left(${text}, ${[...folded].length}::int)`
  const leads = (n: Expression<string | null>) => score.leading?.includes(n) ?? false
  const startsName = (n: Expression<string | null>) =>
    leads(n) ? sql`((${text} like ${prefix} or octet_length(${head}) <> length(${head})) and ${folding(n)} like ${prefix})` : sql`${folding(n)} like ${prefix}`
  const starts = anyOf([...namesFor(folded, score).map(startsName), ...(score.codes ?? []).map((c) => sql`lower(${c}) like ${plainPrefix}`)])
  // The query parsed once (an InitPlan), not on every row: on a prepared statement's generic plan the
  // call is not folded to a constant, and a fragment ranking 88 000 rows parsed it 88 000 times.
  const stemmed = opts.vector === false ? sql`false` : sql`${col('search_vector')} @@ (select websearch_to_tsquery('swedish', ${q}))`
  const covered = sql`0.99 * least(1.0, ${folded.length}::float8 / greatest(length(${col('search_text')}), 1))`
  const exact = sql`${sql.lit(EXACT_SCORE)}::float8`
  // An exact name starts with the query too: asked only of a row with a name that starts with it.
  // Most rows a search ranks are not exact: a row exact on a name that fills a page is read from
  // the name indexes, not ranked (exactNamedPage in src/web/list.ts, searchContacts), so a person's
  // names are asked this way too (bench/README.md, *A fragment's matches ranked on narrow rows*).
  return sql<number>`(case when ${starts} then (case when ${exactMatch(q, score)} then ${exact} else 3 + ${covered} end)
    else (case when ${stemmed} then 2 else 1 end) + ${covered} end)`
}

/** The score textScore gives an exact match (and nothing else reaches): the query named a record as typed. */
export const EXACT_SCORE = 4

/**
 * A name folded as search_text and fold_name() fold it. The dictionary is named: unaccent(text)
 * alone looks its default dictionary up by name at every call: some 15 % of the rank's time over the
 * 88 000 rows a fragment like "sson" matches at 200 000 contacts (bench/README.md, *A list search prepared*).
 */
const folding = (e: Expression<string | null>) => sql`lower(unaccent('public.unaccent'::regdictionary, coalesce(${e}, '')))`
/** The names a folded query is compared with: the joined names first when it has a space (ScoreNames.joined). */
const namesFor = (folded: string, score: ScoreNames) => (score.joined && folded.includes(' ') ? [score.joined, ...score.names] : score.names)
const anyOf = (parts: RawBuilder<unknown>[]) => (parts.length ? sql.join(parts, sql` or `) : sql`false`)

/** A name of the record is the query, accents and case aside, or a code (an e-mail address) is, case aside. */
export function exactMatch(q: string, score: ScoreNames): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${anyOf(exactComparisons(q, score, folding))})`
}

/** A query's exact comparisons, each readable from its own index: with the names, which many records may share, and with the codes (an e-mail address), which one has. */
export interface ExactArms<E = RawBuilder<SqlBool>> {
  names: E[]
  codes: E[]
}

/**
 * exactMatch's comparisons one by one, for a query of one word, each name folded by fold_name (the
 * form the name indexes hold, migrations/20261206T0530_exact_names_live.ts): each can be read from
 * its own index in name order. None for several words (or none), whose exact matches are not one
 * name. A one-word query is compared with the names alone (namesFor), then the codes.
 */
export function oneWordExactArms(q: string, score: ScoreNames): ExactArms {
  const folded = foldForSearch(q)
  if (folded.length === 0 || folded.includes(' ')) return { names: [], codes: [] }
  const arms = exactComparisons(q, score, (n) => sql`fold_name(${n})`)
  return { names: arms.slice(0, score.names.length), codes: arms.slice(score.names.length) }
}

function exactComparisons(q: string, score: ScoreNames, fold: (e: Expression<string | null>) => RawBuilder<unknown>): RawBuilder<SqlBool>[] {
  const folded = foldForSearch(q)
  const plain = q.trim().toLowerCase()
  return [...namesFor(folded, score).map((n) => sql<SqlBool>`${fold(n)} = ${folded}`), ...(score.codes ?? []).map((c) => sql<SqlBool>`lower(${c}) = ${plain}`)]
}

/**
 * A one-word query's rank (textScore) in tiers, for a first page that does not rank every
 * match (src/web/list.ts, splitRanked). `high`: the rows that rank 2 or more — a name or code
 * starts with the query, or the record's words stem to it — each arm readable from an index (a
 * prefix as a range of a text_pattern_ops index: a prepared statement's pattern is not one the
 * planner can read a range from). Every other match ranks 1 plus how much of the searched text the
 * query covers, which only the text's length sets: `lowOrder` ascending is their rank descending
 * (equal lengths rank alike, then come in name order as the rank's ties do). None for several
 * words (the joined names), under three characters, or with a character outside the Basic
 * Multilingual Plane (the rank counts the query's length in UTF-16 units, the text's in characters;
 * a lone surrogate is not a character PostgreSQL keeps).
 */
export interface RankTiers {
  /** The table whose columns the conditions name (the walk's rows are read under its name). */
  table: string
  /** The high tier's arms, each read from an index of its own; the tier is any of them. */
  high: Expression<SqlBool>[]
  /** Those of its arms that are a name's prefix, the first of `high` (one index range each). */
  names: number
  lowOrder: Expression<number>
  /**
   * A condition on the searched text alone that every match below the high tier holds, so that the
   * rest may be walked in the length index alone, which includes the text (restWalkOf): the
   * search's precise match (preciseMatch, with the same options) is this substring or the stem,
   * and a match by the stem is in the high tier, whose last arm is the same stem.
   */
  holds: Expression<SqlBool>
}

export function oneWordTiers(table: string, q: string, score: ScoreNames, opts: TextMatchOptions = {}): RankTiers | undefined {
  const folded = foldForSearch(q)
  const plain = q.trim().toLowerCase()
  if (folded.length < TRIGRAM || /\s/.test(folded) || /\s/.test(plain) || /[\uD800-\uDFFF]/.test(q)) return undefined
  // textScore's `starts` and `stemmed`, arm by arm: fold_name(n) is folding(n) for a name that is
  // there, and null (not true) for one that is not, where folding's '' starts with no query.
  const starts = (e: RawBuilder<unknown>, text: string) => {
    const above = after(text)
    return sql`(${e} ~>=~ ${text} ${above === undefined ? sql`` : sql`and ${e} ~<~ ${above}`} and ${e} like ${likePattern(text).slice(1)})`
  }
  const arms = [...score.names.map((n) => starts(sql`fold_name(${n})`, folded)), ...(score.codes ?? []).map((c) => starts(sql`lower(${c})`, plain))]
  if (opts.vector !== false) arms.push(sql`${sql.ref(`${table}.search_vector`)} @@ websearch_to_tsquery('swedish', ${q})`)
  return { table, high: arms as RawBuilder<SqlBool>[], names: score.names.length, lowOrder: sql<number>`length(${sql.ref(`${table}.search_text`)})`, holds: textHolds(table, likePattern(folded)) }
}

/**
 * A search that matches more than this many rows may be read in tiers (splitRanked): fewer are
 * ranked as quickly as the tiers are read, and a rare word's walk through the length index would
 * find too few of them to fill a page.
 */
export const DENSE_MATCHES = 1000
/**
 * The rows of the length index a page read in tiers looks at, through the table, for a high tier
 * too large to rank (walkOf, beside the exact names: "ber"), at most. Each is a row read; the rest
 * is walked in the index alone (WALKED_ENTRIES).
 */
export const WALKED_ROWS = 3000
/**
 * The entries of the length index a page read in tiers looks at for the rest, at most, in the
 * index alone (restWalkOf): "sson" fills a page from the first 2 050 at 200 000 contacts, "kommun"
 * (mostly in e-mail domains) from the first 46 903, and all 50 000 take ~6 ms to read where none
 * holds the query. A fixed number: in a larger register "kommun" is again ranked the general way.
 */
export const WALKED_ENTRIES = 50_000
/**
 * A high tier of at most this many rows is ranked whole (one more is read to tell); a larger one is
 * walked (the list) or every match ranked (the global search): at 200 000 contacts "ber" starts
 * 14 298 surnames, and ranking them alone took as long as ranking every match.
 */
export const HIGH_RANKED = 1000
/** Whether more than `n` rows of `rows` hold `condition`, read up to one more (the limit in the text: on a generic plan a parameter limit is planned as a tenth of the table). */
export function moreThan(rows: SelectQueryBuilder<Database, any, any>, n: number, conditions: Expression<SqlBool>[] = []): RawBuilder<SqlBool> {
  const each = (conditions.length ? conditions : [sql<SqlBool>`true`]).map((c) => sql`(${rows.clearSelect().select(sql`1`.as('one')).where(c).limit(rowLimit(n + 1))})`)
  return sql<SqlBool>`((select count(*) from (${sql.join(each, sql` union all `)}) as counted) > ${sql.lit(n)})`
}

/**
 * Whether a fixed sample of a table's live rows shows the query common: of its rows in at most
 * SAMPLED_PAGES pages (TABLESAMPLE SYSTEM, REPEATABLE: the same pages every time, as long as the
 * table's blocks and its `relpages`, from the last vacuum or analyse, stay), at most SAMPLED_ROWS
 * read and at least SAMPLED_AT_LEAST, one in COMMON_SHARE holds it (`tiers.holds`: the searched
 * text, the index's own condition aside). A cheap first answer to "more than DENSE_MATCHES match"
 * (moreThan), whose one plan for every value builds the trigram index's bitmap of every match
 * before its first row: for "sson" at 200 000 contacts 88 666 rows, 7 of the list's 9.5 ms of
 * PostgreSQL, where a query it finds in none of the sample's rows costs ~0.15 ms (bench/README.md,
 * *A fragment told common from a sample*). Only a way to read the page, never what it holds: each
 * way checks that it read the page whole, and a sample that misjudges costs time (a statement or
 * two more), never a match. The text of people a reader may not see (hidden, merged, erased:
 * deleted rows are not read) is only counted.
 */
export function commonInSample(tiers: RankTiers): RawBuilder<SqlBool> {
  const t = sql.table(tiers.table)
  // A share of the pages the table had when last vacuumed or analysed (the upkeep's); none known,
  // all of them (the row limit still holds).
  const share = sql`(select least(100, ${sql.lit(100 * SAMPLED_PAGES)}::float4 / greatest(relpages, 1)) from pg_class where oid = ${sql.lit(tiers.table)}::regclass)`
  const sample = sql`(select search_text from ${t} tablesample system (${share}) repeatable (0) where deleted_at is null limit ${sql.lit(SAMPLED_ROWS)})`
  return sql<SqlBool>`(select count(*) >= ${sql.lit(SAMPLED_AT_LEAST)} and count(*) filter (where ${tiers.holds}) * ${sql.lit(COMMON_SHARE)} >= count(*) from ${sample} as ${t})`
}
/** The pages commonInSample reads (about 23 people each at 200 000 contacts), the rows of them at most, and at least. */
export const SAMPLED_PAGES = 8
export const SAMPLED_ROWS = 200
export const SAMPLED_AT_LEAST = 50
/** Common in a sample: held by one row in this many, or more (at 200 000 contacts, ~10 000 matches). */
export const COMMON_SHARE = 20

/** Whether more than HIGH_RANKED of `rows` have a name that starts with the query, each name's arm read from its index. */
export const manyNamesStart = (rows: SelectQueryBuilder<Database, any, any>, tiers: RankTiers): RawBuilder<SqlBool> => moreThan(rows, HIGH_RANKED, tiers.high.slice(0, tiers.names))

/**
 * The high tier's rows of `rows` (the list's rows, the search aside), at most `n`, under the
 * table's own name: read from the tier's own indexes, the search's condition (`match`) checked on
 * each after. Given both at once, the planner also read the search's trigram index and ANDed its
 * bitmap with the tier's few rows: for "sson" at 200 000 contacts, 88 666 rows and 5 of the
 * statement's 10 ms, for a tier of none (bench/README.md, *A fragment's rest walked in the index
 * alone, and its high tier from its own indexes*). `offset 0` keeps the condition out of the subquery.
 */
export function highTierOf(db: Executor, rows: SelectQueryBuilder<Database, any, any>, tiers: RankTiers, match: Expression<SqlBool>, n: number): SelectQueryBuilder<Database, any, any> {
  const tier = rows.where(anyOfArms(tiers.high)).offset(0)
  return untyped(db).selectFrom(tier.as(tiers.table)).selectAll().where(match).limit(rowLimit(n))
}

/** A tier's arms as one condition: any of them. */
export const anyOfArms = (arms: Expression<SqlBool>[]) => sql<SqlBool>`(${sql.join(arms, sql` or `)})`

/** The columns a walk's rows carry its order in (the length index's key: the text's length, sort name, id). */
export const WALK_ORDER = ['walk_order', 'walk_sort', 'walk_id'] as const
/** A table's rows' WALK_ORDER columns, selected. */
const walkColumns = (tiers: RankTiers) => [sql`${tiers.lowOrder}`.as('walk_order'), sql`sort_name`.as('walk_sort'), sql`id`.as('walk_id')]
/** A query ordered by the walk's order (WALK_ORDER). */
export const inWalkOrder = <Q extends SelectQueryBuilder<Database, any, any>>(q: Q): Q => WALK_ORDER.reduce((o, c) => o.orderBy(c) as Q, q)

/**
 * The rows of a list (`rows`: its rows, the search aside) below a search's high tier, in the length
 * index's order, read first from the index alone: of its first `n` entries (every live row's, the
 * text included: migrations/20261207T1900_search_walk_text), those whose text holds the query
 * (`tiers.holds`), and then the list's rows of those by key, as the walk goes on. Walked through the
 * table, every entry read its row: "kommun", mostly in e-mail domains, has its first 51 such rows
 * within the first 46 903 entries at 200 000 contacts (93 ms through the table, 6 ms in the index
 * alone), so the table walk (walkOf) stopped at its first 3 000 rows and every match was ranked
 * (bench/README.md, *A fragment's rest walked in the index alone, …*). Under the table's own name, with
 * the walk's order as columns (WALK_ORDER), as walkOf: ordered by them, the rows come as the index
 * gives them, and a page's worth ends the walk (ordered by the list's own sort name and key, a plan
 * that sorted every held row instead was as good to the planner). The caller checks the search's
 * condition and the tier on each row; `rows` are some of the table's rows with `deleted_at is null`
 * (the index's), and only the contacts have the index.
 */
export function restWalkOf(db: Executor, rows: SelectQueryBuilder<Database, any, any>, tiers: RankTiers, n: number): SelectQueryBuilder<Database, any, any> {
  const t = tiers.table
  // Only the index's own columns, and its predicate: an index-only scan (the limit in the text, as walkOf's).
  const entries = inWalkOrder(untyped(db).selectFrom(t).select([...walkColumns(tiers), 'search_text']).where('deleted_at', 'is', null)).limit(sql.lit(n))
  // Under the table's name, which `holds` names.
  const held = untyped(db).selectFrom(entries.as(t)).select(WALK_ORDER).where(tiers.holds)
  // Each entry's row by its key, entry by entry (`offset 0`: not joined otherwise; on a small table
  // the planner hashed the search's matches against every entry instead).
  const row = rows.where(sql<SqlBool>`${sql.ref(`${t}.id`)} = walk.walk_id`).offset(0)
  return untyped(db)
    .selectFrom(held.as('walk'))
    .innerJoinLateral(row.as(t), (join) => join.onTrue())
    .selectAll(t)
    .select(WALK_ORDER.map((c) => `walk.${c}`))
}

/**
 * The first `n` rows of a list (`rows`: its rows, the search aside) in the length index's order,
 * under the table's own name (which the search's conditions and the keys name), carrying that order
 * as columns (WALK_ORDER): ordered by them, a tier is read in the walk's order and stops at a page's
 * worth (ordered by the expression again, every walked row was checked and sorted).
 */
export function walkOf(db: Executor, rows: SelectQueryBuilder<Database, any, any>, tiers: RankTiers, n: number): SelectQueryBuilder<Database, any, any> {
  // The limit in the text (not a parameter): a generic plan guesses a tenth of the table for a
  // parameter, and might sort every row instead of reading the index's first (src/db/pagination.ts).
  const walk = inWalkOrder(rows.select(walkColumns(tiers))).limit(sql.lit(n))
  return untyped(db).selectFrom(walk.as(tiers.table)).selectAll()
}

/**
 * The first text after every text that starts with `text`, in code point order (which is the byte
 * order of UTF-8, as text_pattern_ops compares): its last character one higher, or undefined when
 * every character is the highest.
 */
export function after(text: string): string | undefined {
  const chars = [...text]
  while (chars.length > 0) {
    const last = chars.pop()!.codePointAt(0)!
    if (last < 0x10ffff) return chars.join('') + String.fromCodePoint(last + 1 === 0xd800 ? 0xe000 : last + 1)
  }
  return undefined
}

/**
 * The score of a row only fuzzyMatch found: below every precise match. By the closest correction
 * the row holds (the first of them, closest first, that it holds), so that the records of the
 * word meant come first in name order, without a similarity computed for each of them. Without
 * corrections (a list's page ranking the typo matches it was given), by whole-text similarity.
 */
export function fuzzyScore(table: string, q: string, typos?: Typos): RawBuilder<number> {
  const text = sql.ref(`${table}.search_text`)
  if (!typos) return sql<number>`(0.99 * similarity(${foldForSearch(q)}, ${text}))`
  const corrections = typos.flatMap((w) => w.corrections).sort((a, b) => b.similarity - a.similarity)
  if (corrections.length <= 1) return sql<number>`${sql.lit(0.99 * (corrections[0]?.similarity ?? 0))}::float8`
  const arms = corrections.map((c) => sql`when ${text} ~ ${wordsPattern([c])} then ${sql.lit(0.99 * c.similarity)}::float8`)
  return sql<number>`(case ${sql.join(arms, sql` `)} else 0 end)`
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
 * not precise, with its score, once the query's corrections are looked up (typosOf; a list adds
 * the best few of those only when the precise ones are fewer than FUZZY_FILL_BELOW and none of
 * them is `exact`), and `rank` scores a row — exact name or e-mail > prefix > word > substring >
 * typo — for the list's `relevance` order, the default whenever `q` is given.
 */
export function searchFilter(table: string, names: ScoreNames, opts: TextMatchOptions = {}) {
  const precise = (q: string) => preciseMatch(table, q, opts)
  return {
    where: precise,
    // Both GIN indexes whatever the query from three characters on; shorter, and typos, mark themselves.
    plansAlike: true,
    exact: (q: string) => exactMatch(q, names),
    // textScore gives an exact match EXACT_SCORE and more, anything else less.
    exactRank: EXACT_SCORE,
    // The typo condition for this table and its score, or none when nothing is a typo away (no statement to run).
    fuzzy: async (q: string, db: Executor) => {
      const typos = (await typosOf(db, q, [table])).get(table)!
      return typos.length === 0 ? undefined : { where: fuzzyMatch(table, q, typos, opts), rank: fuzzyScore(table, q, typos) }
    },
    rank: (q: string, withTypos: boolean): RawBuilder<number> =>
      withTypos ? sql<number>`(case when ${precise(q)} then ${textScore(table, q, names, opts)} else ${fuzzyScore(table, q)} end)` : textScore(table, q, names, opts),
  }
}
