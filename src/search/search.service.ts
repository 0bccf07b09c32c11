import { sql, type Expression } from 'kysely'
import type { Executor } from '../db/write.ts'
import { ONE_PLAN } from '../db/prepared.ts'
import type { Audience } from '../privacy/visibility.ts'
import { EXACT_SCORE, FUZZY_FILL_BELOW, typosOf } from '../register/search-filter.ts'
import { foldForSearch } from '../register/search-text.ts'
import { highlight, plainText, type SnippetPart } from './highlight.ts'
import { isTiersMark, SEARCH_SOURCES, type SearchQuery, type SearchRow, type SearchSource } from './sources.ts'

/** At most this many hits of one type; the page offers the type's own list for the rest. */
export const PER_TYPE = 20

export interface SearchHit {
  type: string
  id: string
  label: string
  /** The matched text, name first, as plain text (JSON). */
  snippet: string
  /** The name and the other matched fields in parts, hits marked (the page wraps them in <mark>). */
  labelParts: SnippetPart[]
  detailParts: SnippetPart[]
  score: number
  href: string
}

export interface SearchGroup {
  source: SearchSource
  hits: SearchHit[]
  /** More records of this type match than are shown. */
  more: boolean
}

/** A single character would find nearly everything; nothing is searched below this. */
export const MIN_QUERY_LENGTH = 2

/** Each chosen type's best matches (all types when `types` is empty), groups with the best hit first. */
export async function searchGroups(db: Executor, q: string, types: readonly string[], perType = PER_TYPE, audience: Audience = 'viewer'): Promise<SearchGroup[]> {
  const folded = foldForSearch(q)
  if (folded.length < MIN_QUERY_LENGTH) return []
  const sources = SEARCH_SOURCES.filter((s) => types.length === 0 || types.includes(s.type))
  const found = await bestOf(db, sources, q, perType + 1, audience)
  const groups = sources.map((source, i) => {
    const rows = found[i]!
    const hits = rows.slice(0, perType).map((r): SearchHit => {
      const labelParts = highlight(r.label, folded)
      const detailParts = r.detail ? highlight(r.detail, folded) : []
      const snippet = [r.label, plainText(detailParts)].filter(Boolean).join(' · ')
      return { type: source.type, id: r.id, label: r.label, snippet, labelParts, detailParts, score: Number(r.score), href: source.href(r.id) }
    })
    return { source, hits, more: rows.length > perType }
  })
  return groups.filter((g) => g.hits.length > 0).sort((a, b) => b.hits[0]!.score - a.hits[0]!.score)
}

/**
 * Precise matches first; typo matches only when the precise ones are few — fewer than
 * FUZZY_FILL_BELOW of all types together, as a list fills in — and then only for the types that
 * have fewer than wanted, and only when no record of any type is named exactly by the query (as
 * lists do) —
 * the records holding the words the query is likely a typo of (typosOf). A typo
 * match always scores below a precise one, so the best `limit` are the same as from one query
 * over both, without paying the similarity check on every row of a common word.
 */
async function bestOf(db: Executor, sources: readonly SearchSource[], q: string, limit: number, audience: Audience): Promise<SearchRow[][]> {
  const found = await together(db, sources.map((s) => s.query(db, q, limit, 'precise', audience)))
  // A type whose records many match, read again in tiers, in a statement of its own (SearchSource.tiered).
  for (const [i, rows] of found.entries()) {
    if (rows.some(isTiersMark)) found[i] = (await together(db, [sources[i]!.tiered!(db, q, limit, audience)]))[0]!
  }
  if (found.some((rows) => rows.some((r) => Number(r.score) >= EXACT_SCORE))) return found
  // A place or a common word found plenty as typed: looking up corrections for every other type
  // was a third of such a search (a trigram scan of every word; bench/README.md), for noise.
  if (found.reduce((n, rows) => n + rows.length, 0) >= FUZZY_FILL_BELOW) return found
  const wanting = sources.flatMap((_, i) => (found[i]!.length < limit ? [i] : []))
  if (wanting.length === 0) return found
  // Each wanting type's corrections of the query first; a type with none has no typo matches to read.
  const corrections = await typosOf(db, q, wanting.map((i) => sources[i]!.table))
  const short = wanting.filter((i) => corrections.get(sources[i]!.table)!.length > 0)
  if (short.length > 0) {
    const typos = await together(db, short.map((i) => sources[i]!.query(db, q, limit - found[i]!.length, { typos: corrections.get(sources[i]!.table)! }, audience)))
    short.forEach((i, k) => found[i]!.push(...typos[k]!))
  }
  return found
}

/**
 * Each type's search in one statement, each in its own order: one statement for all nine types
 * instead of nine (eighteen with the typo searches). On the embedded engine every statement waits
 * its turn behind every other request's, so under load a search waited eighteen turns; on
 * PostgreSQL it took nine of the pool's connections at once (bench/README.md).
 */
async function together(db: Executor, queries: SearchQuery[]): Promise<SearchRow[][]> {
  const out: SearchRow[][] = queries.map(() => [])
  if (queries.length === 0) return out
  // row_number() over the subquery's rows as they come: its own order (score, name, id).
  const parts = queries.map((query, i) =>
    sql`select ${sql.lit(i)}::int as branch, row_number() over () as pos, found.id, found.label, found.detail, found.score from (${query as unknown as Expression<SearchRow>}) as found`)
  // Planning the nine branches for their values took longer than running them (src/db/prepared.ts).
  const { rows } = await sql<SearchRow & { branch: number; pos: number }>`${sql.join(parts, sql` union all `)} order by branch, pos ${ONE_PLAN}`.execute(db)
  for (const { branch, pos: _pos, ...row } of rows) out[branch]!.push(row)
  return out
}

/**
 * All hits in one list, best first (the API's answer); hits that score alike by type, and within a
 * type in its own order, as the search page lists them (people by surname: "Lindqvist Berg"
 * before "Anna Lindqvist" when both are named "Lindqvist").
 */
export async function searchAll(db: Executor, q: string, types: readonly string[], limit: number, audience: Audience = 'viewer'): Promise<SearchHit[]> {
  const perType = types.length === 1 ? limit : Math.min(limit, PER_TYPE)
  const groups = await searchGroups(db, q, types, perType, audience)
  const order = new Map(SEARCH_SOURCES.map((s, i) => [s.type, i]))
  return groups
    .flatMap((g) => g.hits.map((hit, pos) => ({ hit, pos })))
    .sort((a, b) => b.hit.score - a.hit.score || order.get(a.hit.type)! - order.get(b.hit.type)! || a.pos - b.pos)
    .slice(0, limit)
    .map(({ hit }) => hit)
}
