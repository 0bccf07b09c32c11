import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateRegister } from '../../bench/register-data.ts'
import type { DbHandle } from '../../src/db/connect.ts'
import { PGLITE_STATISTICS_TARGET, refreshStatistics } from '../../src/db/statistics.ts'
import { testDb } from '../helpers/db.ts'

/**
 * Planning a global search asked pg_trgm's similarity of the query against every sampled value of
 * each table's search_text (up to 201 at the default target, about a millisecond per table), and
 * from those samples the planner chose to scan all organisations rather than use the trigram
 * index (bench/README.md, "Search planned on ten sampled texts"; tests/search/query-plans.test.ts
 * shows the plans). The column keeps at most ten sampled values, whichever refresh takes them, on
 * both engines; the rest of the table is sampled as before.
 */
describe('the search text’s planner statistics', () => {
  let h: DbHandle

  beforeAll(async () => {
    h = await testDb()
    await generateRegister(h.db, { organisations: 1_500, contacts: 2_000 })
  }, 120_000)
  afterAll(async () => h?.close())

  async function sampled(table: string, column: string): Promise<{ common: number; bounds: number }> {
    const { rows } = await sql<{ common: number | null; bounds: number | null }>`
      select array_length(most_common_vals::text::text[], 1) as common, array_length(histogram_bounds::text::text[], 1) as bounds
      from pg_stats where schemaname = 'public' and tablename = ${table} and attname = ${column}`.execute(h.db)
    expect(rows, `statistics of ${table}.${column}`).toHaveLength(1)
    return { common: rows[0]!.common ?? 0, bounds: rows[0]!.bounds ?? 0 }
  }

  it.each([
    ['a refresh at the default target', {}],
    ['the embedded engine’s smaller refresh', { target: PGLITE_STATISTICS_TARGET }],
    ['a refresh at a large target', { target: 500 }],
  ])('keeps ten values of search_text after %s, and samples the other columns as before', async (_what, opts) => {
    await refreshStatistics(h.db, ['organisations', 'contacts'], opts)
    for (const table of ['organisations', 'contacts']) {
      const search = await sampled(table, 'search_text')
      expect(search.common).toBeLessThanOrEqual(10)
      expect(search.bounds).toBeLessThanOrEqual(11)
      // The sort key, as distinct as the search text, is sampled at the refresh's own target.
      expect((await sampled(table, 'sort_name')).bounds).toBeGreaterThan(11)
    }
  })
})
