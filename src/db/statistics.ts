import { sql } from 'kysely'
import type { Executor } from './write.ts'

/**
 * Refreshes the planner's statistics after a bulk load (an import, the demo seed, a restore).
 * Without them PostgreSQL plans a table of 100 000 rows as if it were empty or as it was before
 * (it chose a county index and scanned everything); autovacuum gets there eventually on a
 * server, and never on the embedded engine. A few hundred milliseconds for a large table.
 * Tables by name (our own, never user input); the whole database when none are given.
 */
export async function refreshStatistics(db: Executor, tables: readonly string[] = []): Promise<void> {
  if (tables.length === 0) {
    await sql`analyze`.execute(db)
    return
  }
  await sql`analyze ${sql.join(tables.map((t) => sql.id(t)))}`.execute(db)
}
