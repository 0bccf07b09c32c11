import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely'
import { foldForSearch } from './search-text.ts'
import { likePattern } from './list-query.ts'

export interface TextMatchOptions {
  /** False for tables without a `search_vector` (themes): folded substring and trigrams only. */
  vector?: boolean
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
  return sql<SqlBool>`(${col('search_text')} ilike ${likePattern(folded)}
    ${stemmed}
    or ${folded} <% ${col('search_text')})`
}

/** How a record's own names are compared with the query when ranking. */
export interface ScoreNames {
  /** Name-like fields: equal to the folded query is an exact match, starting with it a prefix match. */
  names: Expression<string | null>[]
  /** Compared case-insensitively as they are (an e-mail address): equal is exact, starting with the query a prefix. */
  codes?: Expression<string | null>[]
}

/**
 * A score for ordering search results, best first: exact name or e-mail (4) > prefix (3) >
 * Swedish full-text match (2) > folded substring (1) > trigram similarity only (0), plus a
 * fraction below 1 from trigram similarity that orders records within a tier. Computed only on
 * the rows `textMatch` found, so it costs nothing per row of the table.
 */
export function textScore(table: string, q: string, score: ScoreNames, opts: TextMatchOptions = {}): RawBuilder<number> {
  const folded = foldForSearch(q)
  const plain = q.trim().toLowerCase()
  const prefix = likePattern(folded).slice(1)
  const plainPrefix = likePattern(plain).slice(1)
  const col = (name: string) => sql.ref(`${table}.${name}`)
  const fold = (e: Expression<string | null>) => sql`lower(unaccent(coalesce(${e}, '')))`
  const any = (parts: RawBuilder<unknown>[]) => (parts.length ? sql.join(parts, sql` or `) : sql`false`)
  const codes = score.codes ?? []
  const exact = any([...score.names.map((n) => sql`${fold(n)} = ${folded}`), ...codes.map((c) => sql`lower(${c}) = ${plain}`)])
  const starts = any([...score.names.map((n) => sql`${fold(n)} like ${prefix}`), ...codes.map((c) => sql`lower(${c}) like ${plainPrefix}`)])
  const stemmed = opts.vector === false ? sql`false` : sql`${col('search_vector')} @@ websearch_to_tsquery('swedish', ${q})`
  return sql<number>`(case
      when ${exact} then 4
      when ${starts} then 3
      when ${stemmed} then 2
      when ${col('search_text')} like ${likePattern(folded)} then 1
      else 0 end
    + 0.5 * similarity(${folded}, ${col('search_text')}) + 0.49 * word_similarity(${folded}, ${col('search_text')}))`
}
