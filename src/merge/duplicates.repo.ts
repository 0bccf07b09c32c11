import { sql } from 'kysely'
import type { Executor } from '../db/write.ts'
import { FUZZY_THRESHOLD, liveNames } from '../import/import-match.ts'
import type { MergeEntity } from './links.ts'
import { trigramIndex } from './trigram.ts'
import { contactVisibleTo, currentAudience } from '../privacy/visibility.ts'

export interface DuplicatePair {
  a_id: string
  a_label: string
  b_id: string
  b_label: string
  reason: 'name' | 'phone'
  score: number
}

/** Records compared with all others per page: the most recently changed first, where new duplicates appear. */
export const WINDOW = 2000

/**
 * Likely pairs among live records, the most alike first: folded names at least as similar as the
 * import asks (pg_trgm's similarity, see trigram.ts) and, for contacts, the same phone number.
 * The same organisation number or e-mail cannot occur twice among live records (unique indexes).
 * `page` n compares the records n·WINDOW … (n+1)·WINDOW − 1, newest first, with every record.
 */
export async function duplicatePairs(db: Executor, entity: MergeEntity, opts: { limit: number; page: number }): Promise<{ pairs: DuplicatePair[]; more: boolean }> {
  const all = await liveNames(db, entity)
  const index = trigramIndex(all, FUZZY_THRESHOLD)
  const found = new Map<string, DuplicatePair>()
  const add = (p: DuplicatePair) => {
    const pair = p.a_id < p.b_id ? p : { ...p, a_id: p.b_id, a_label: p.b_label, b_id: p.a_id, b_label: p.a_label }
    const key = `${pair.a_id}/${pair.b_id}`
    if ((found.get(key)?.score ?? -1) < pair.score) found.set(key, pair)
  }
  const probes = all.slice(opts.page * WINDOW, (opts.page + 1) * WINDOW)
  for (const p of probes) {
    for (const m of index.matches(p.folded, 5, (item) => item.id === p.id)) {
      add({ a_id: p.id, a_label: p.label, b_id: m.item.id, b_label: m.item.label, reason: 'name', score: m.score })
    }
  }
  if (entity === 'contacts' && opts.page === 0) {
    const phones = await sql<{ a_id: string; a_label: string; b_id: string; b_label: string }>`
      select a.id as a_id, trim(coalesce(a.first_name, '') || ' ' || coalesce(a.last_name, '')) as a_label,
             b.id as b_id, trim(coalesce(b.first_name, '') || ' ' || coalesce(b.last_name, '')) as b_label
      from contacts a join contacts b on b.phone = a.phone and b.id > a.id and b.deleted_at is null
      where a.deleted_at is null and a.phone is not null
        and ${contactVisibleTo(currentAudience(), 'a')} and ${contactVisibleTo(currentAudience(), 'b')}`.execute(db)
    for (const r of phones.rows) add({ ...r, reason: 'phone', score: 1 })
  }
  const pairs = [...found.values()].sort((x, y) => y.score - x.score || x.a_label.localeCompare(y.a_label, 'sv')).slice(0, opts.limit)
  return { pairs, more: all.length > (opts.page + 1) * WINDOW }
}
