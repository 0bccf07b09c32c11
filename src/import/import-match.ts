import { sql } from 'kysely'
import type { Contact, ImportEntity, Organisation } from '../db/schema.ts'
import type { Executor } from '../db/write.ts'
import { trigramIndex, type Named } from '../merge/trigram.ts'
import { foldForSearch } from '../register/search-text.ts'
import { mapInTurns } from './import-batches.ts'
import { contactVisibleTo, currentAudience } from '../privacy/visibility.ts'

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

/** Every live record's id, label and folded name, the most recently changed first: where possible duplicates are looked for. */
export async function liveNames(db: Executor, entity: ImportEntity): Promise<Named[]> {
  const label = entity === 'organisations'
    ? sql<string>`name`
    : sql<string>`trim(coalesce(first_name, '') || ' ' || coalesce(last_name, ''))`
  // A person the importer may not see is never offered (nor named) as a possible duplicate.
  const visible = entity === 'organisations' ? sql`true` : contactVisibleTo(currentAudience(), 'contacts')
  const rows = await sql<{ id: string; label: string }>`select id, ${label} as label from ${sql.table(entity)} where deleted_at is null and ${visible} order by updated_at desc, id`.execute(db)
  return rows.rows.map((r) => ({ id: r.id, label: r.label, folded: foldForSearch(r.label) }))
}

/**
 * For each folded name (null: nothing to compare), the live records whose folded name is at least
 * FUZZY_THRESHOLD similar (pg_trgm's similarity, computed here: see trigram.ts), best first, at
 * most three.
 */
export async function similarNames(db: Executor, entity: ImportEntity, names: readonly (string | null)[]): Promise<Candidate[][]> {
  if (!names.some(Boolean)) return names.map(() => [])
  const index = trigramIndex(await liveNames(db, entity), FUZZY_THRESHOLD)
  return mapInTurns(names, (n) => (n ? index.matches(n, 3).map((m) => ({ id: m.item.id, label: m.item.label, score: m.score })) : []), 500)
}
