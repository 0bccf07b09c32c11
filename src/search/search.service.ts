import type { Executor } from '../db/write.ts'
import type { Audience } from '../privacy/visibility.ts'
import { foldForSearch } from '../register/search-text.ts'
import { highlight, plainText, type SnippetPart } from './highlight.ts'
import { SEARCH_SOURCES, type SearchRow, type SearchSource } from './sources.ts'

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
  // One connection on the embedded database anyway; on PostgreSQL the pool runs them side by side.
  const found = await Promise.all(sources.map((s) => bestOf(db, s, q, perType + 1, audience)))
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
 * Precise matches first; typo matches only when those are fewer than wanted. A typo match
 * always scores below a precise one, so the best `limit` are the same as from one query over
 * both, without paying the similarity check on every row of a common word.
 */
async function bestOf(db: Executor, source: SearchSource, q: string, limit: number, audience: Audience): Promise<SearchRow[]> {
  const precise = await source.query(db, q, limit, 'precise', audience).execute()
  if (precise.length >= limit) return precise
  return [...precise, ...(await source.query(db, q, limit - precise.length, 'fuzzy', audience).execute())]
}

/** All hits in one list, best first (the API's answer). */
export async function searchAll(db: Executor, q: string, types: readonly string[], limit: number, audience: Audience = 'viewer'): Promise<SearchHit[]> {
  const perType = types.length === 1 ? limit : Math.min(limit, PER_TYPE)
  const groups = await searchGroups(db, q, types, perType, audience)
  const order = new Map(SEARCH_SOURCES.map((s, i) => [s.type, i]))
  return groups
    .flatMap((g) => g.hits)
    .sort((a, b) => b.score - a.score || order.get(a.type)! - order.get(b.type)! || a.label.localeCompare(b.label, 'sv'))
    .slice(0, limit)
}
