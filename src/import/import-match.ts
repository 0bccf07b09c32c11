import { sql } from 'kysely'
import type { Contact, ImportEntity, Organisation } from '../db/schema.ts'
import type { Executor } from '../db/write.ts'

/** A live record a row may be the same as: by name only, so the user decides. */
export interface Candidate {
  id: string
  label: string
  score: number
}

/** Names at least this similar (pg_trgm, accents and case folded) are offered as possible duplicates. */
export const FUZZY_THRESHOLD = 0.6
const CHUNK = 1000

function chunks<T>(list: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = []
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size))
  return out
}

/** Live organisations by organisation number. */
export async function organisationsByOrgNumber(db: Executor, numbers: readonly string[]): Promise<Map<string, Organisation>> {
  const out = new Map<string, Organisation>()
  for (const part of chunks([...new Set(numbers)])) {
    const rows = await db.selectFrom('organisations').selectAll().where('deleted_at', 'is', null).where('org_number', 'in', part).execute()
    for (const r of rows) out.set(r.org_number!, r)
  }
  return out
}

/** Live contacts by e-mail address, lower case. */
export async function contactsByEmail(db: Executor, emails: readonly string[]): Promise<Map<string, Contact>> {
  const out = new Map<string, Contact>()
  for (const part of chunks([...new Set(emails.map((e) => e.toLowerCase()))])) {
    const rows = await db.selectFrom('contacts').selectAll().where('deleted_at', 'is', null).where(sql<string>`lower(email)`, 'in', part).execute()
    for (const r of rows) out.set(r.email!.toLowerCase(), r)
  }
  return out
}

export async function recordsById<T extends ImportEntity>(db: Executor, entity: T, ids: readonly string[]) {
  const out = new Map<string, T extends 'organisations' ? Organisation : Contact>()
  for (const part of chunks([...new Set(ids)])) {
    const rows = await db.selectFrom(entity as 'organisations').selectAll().where('deleted_at', 'is', null).where('id', 'in', part).execute()
    for (const r of rows) out.set(r.id, r as never)
  }
  return out
}

/**
 * For each folded name (null: nothing to compare), the live records whose folded name is at least
 * FUZZY_THRESHOLD similar, best first, at most three. The trigram index on search_text narrows the
 * search (word similarity of the name within it); the name itself decides.
 */
export async function similarNames(db: Executor, entity: ImportEntity, names: readonly (string | null)[]): Promise<Candidate[][]> {
  const out: Candidate[][] = names.map(() => [])
  const wanted = names.flatMap((n, i) => (n ? [{ n, i }] : []))
  const label = entity === 'organisations'
    ? sql<string>`t.name`
    : sql<string>`trim(coalesce(t.first_name, '') || ' ' || coalesce(t.last_name, ''))`
  for (const part of chunks(wanted, 500)) {
    const result = await sql<{ i: number; id: string; label: string; score: number }>`
      select r.i::int as i, t.id, ${label} as label, similarity(r.n, lower(unaccent(${label}))) as score
      from unnest(${sql.val(part.map((p) => p.n))}::text[], ${sql.val(part.map((p) => p.i))}::int[]) as r(n, i)
      join ${sql.table(entity)} t on t.deleted_at is null and r.n <% t.search_text
      where similarity(r.n, lower(unaccent(${label}))) >= ${FUZZY_THRESHOLD}`.execute(db)
    for (const row of result.rows) out[row.i]!.push({ id: row.id, label: row.label, score: Number(row.score) })
  }
  return out.map((list) => list.sort((a, b) => b.score - a.score || a.label.localeCompare(b.label, 'sv')).slice(0, 3))
}
