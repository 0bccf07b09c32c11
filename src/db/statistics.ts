import { sql } from 'kysely'
import { inTransaction, type Executor } from './write.ts'

/**
 * Refreshes the planner's statistics after a bulk load (an import, the demo seed, a restore).
 * Without them PostgreSQL plans a table of 100 000 rows as if it were empty or as it was before
 * (it chose a county index and scanned everything); autovacuum gets there eventually on a
 * server, and never on the embedded engine. A few hundred milliseconds for a large table.
 * Tables by name (our own, never user input); the whole database when none are given.
 *
 * `target` samples fewer rows (300 × target; PostgreSQL's default is 100) for this refresh only
 * (`set local`: on the embedded database the setting would otherwise stay on everyone's single
 * session). It makes ANALYZE that much shorter where it holds everyone up.
 */
export async function refreshStatistics(db: Executor, tables: readonly string[] = [], opts: { target?: number } = {}): Promise<void> {
  const analyze = (ex: Executor) => (tables.length === 0 ? sql`analyze`.execute(ex) : sql`analyze ${sql.join(tables.map((t) => sql.id(t)))}`.execute(ex))
  if (!opts.target) {
    await analyze(db)
    return
  }
  const target = Math.max(1, Math.min(10_000, Math.trunc(opts.target)))
  await inTransaction(db, async (tx) => {
    await sql`set local default_statistics_target = ${sql.raw(String(target))}`.execute(tx)
    await analyze(tx)
  })
}
