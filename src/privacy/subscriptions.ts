import { sql } from 'kysely'
import type { Executor } from '../db/write.ts'

/**
 * A person's newsletter subscriptions, whatever the outreach feature names its table: every
 * table whose name mentions subscriptions and that has a `contact_id` column. Read through the
 * catalogue so this feature works before and after outreach lands.
 */
export async function subscriptionTables(db: Executor): Promise<string[]> {
  const { rows } = await sql<{ t: string }>`
    select table_name::text as t from information_schema.columns
    where table_schema = current_schema() and column_name = 'contact_id' and table_name::text like '%subscri%'
    order by table_name`.execute(db)
  return rows.map((r) => r.t)
}

export async function subscriptionsOf(db: Executor, contactId: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = []
  for (const table of await subscriptionTables(db)) {
    const { rows } = await sql<{ j: Record<string, unknown> }>`select to_jsonb(s) as j from ${sql.id(table)} s where s.contact_id = ${contactId}`.execute(db)
    // Tokens and their hashes are secrets, not personal data to hand out.
    for (const r of rows) out.push(Object.fromEntries(Object.entries(r.j).filter(([k]) => !/token|hash|secret/i.test(k))))
  }
  return out
}
