import { sql, type Expression, type SqlBool } from 'kysely'
import { foldForSearch } from './search-text.ts'
import { likePattern } from './list-query.ts'

/**
 * The register's text match, used by list filters and by search: a folded substring (accents
 * and case ignored), Swedish stemming on the words, and trigram word similarity for typos.
 * Each arm is backed by a GIN index (search_text trigram, search_vector).
 */
export function textMatch(table: string, q: string): Expression<SqlBool> {
  const folded = foldForSearch(q)
  const col = (name: string) => sql.ref(`${table}.${name}`)
  return sql<SqlBool>`(${col('search_text')} ilike ${likePattern(folded)}
    or ${col('search_vector')} @@ websearch_to_tsquery('swedish', ${q})
    or ${folded} <% ${col('search_text')})`
}
