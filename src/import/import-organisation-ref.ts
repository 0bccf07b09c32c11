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
  const rows = await sql<{ id: string; org_number: string | null; folded: string }>`
    select id, org_number, lower(unaccent(name)) as folded from organisations
    where deleted_at is null
      and (org_number = any(${sql.val([...numbers.values()].filter(Boolean))}::text[])
        or lower(unaccent(name)) = any(${sql.val([...names.values()])}::text[]))`.execute(db)
  for (const ref of distinct) {
    const number = numbers.get(ref)
    const byNumber = number ? rows.rows.filter((r) => r.org_number === number) : []
    const found = byNumber.length ? byNumber : rows.rows.filter((r) => r.folded === names.get(ref))
    out.set(ref, found.length === 1 ? { id: found[0]!.id } : { ambiguous: found.length > 1 })
  }
  return out
}
