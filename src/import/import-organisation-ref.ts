import { sql } from 'kysely'
import type { Executor } from '../db/write.ts'
import { normaliseOrgNumber } from '../register/org-number.ts'
import { foldForSearch } from '../register/search-text.ts'

export interface OrganisationRef {
  id?: string
  ambiguous?: boolean
}

/**
 * A contact row names its organisation by organisation number or by name (accents and case
 * ignored). Two live organisations with that name are ambiguous: the row must say which.
 */
export async function resolveOrganisations(db: Executor, refs: readonly (string | null)[]): Promise<Map<string, OrganisationRef>> {
  const distinct = [...new Set(refs.filter((r): r is string => !!r))]
  const out = new Map<string, OrganisationRef>()
  if (!distinct.length) return out
  const numbers = new Map(distinct.map((r) => [r, normaliseOrgNumber(r)]))
  const names = new Map(distinct.map((r) => [r, foldForSearch(r)]))
  const wantedNumbers = [...new Set([...numbers.values()].filter((n): n is string => !!n))]
  const wantedNames = [...new Set(distinct.filter((r) => !numbers.get(r)).map((r) => names.get(r)!))]
  // Joined, not `= any(…)`: thousands of names against thousands of organisations stay a hash join.
  const rows = await sql<{ id: string; org_number: string | null; folded: string }>`
    select o.id, o.org_number, lower(unaccent(o.name)) as folded
      from organisations o join unnest(${sql.val(wantedNumbers)}::text[]) as n(v) on o.org_number = n.v
      where o.deleted_at is null
    union all
    select o.id, o.org_number, lower(unaccent(o.name)) as folded from organisations o
      where o.deleted_at is null and lower(unaccent(o.name)) in (select unnest(${sql.val(wantedNames)}::text[]))`.execute(db)
  const group = (key: (r: (typeof rows.rows)[number]) => string | null) => {
    const m = new Map<string, Set<string>>()
    for (const r of rows.rows) {
      const k = key(r)
      if (k) m.set(k, (m.get(k) ?? new Set()).add(r.id))
    }
    return m
  }
  const [byNumber, byName] = [group((r) => r.org_number), group((r) => r.folded)]
  for (const ref of distinct) {
    const number = numbers.get(ref)
    const found = [...((number ? byNumber.get(number) : byName.get(names.get(ref)!)) ?? [])]
    out.set(ref, found.length === 1 ? { id: found[0]! } : { ambiguous: found.length > 1 })
  }
  return out
}
